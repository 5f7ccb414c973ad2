"""Benchmarks of the local stack and the artifact: `python -m infra.bench <suite>`."""
