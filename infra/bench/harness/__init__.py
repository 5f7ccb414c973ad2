"""What every benchmark shares: stacks, load, child processes, typed results, reports, machine."""
