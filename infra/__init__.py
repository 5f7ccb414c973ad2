"""Never deployed: the local stack, the catalog simulator, the soak and the benchmarks."""
