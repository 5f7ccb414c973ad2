"""`make bench-full`: the throughput matrix, its baselines, the Lambda path and the targets."""
