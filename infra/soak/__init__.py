"""The soak: mixed load with faults everywhere against the local stack, and its verdict."""
