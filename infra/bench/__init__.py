"""Benchmarks of the local stack: `make bench` (the lesson), `bench-full` and `bench-smoke`."""
