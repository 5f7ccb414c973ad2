"""Never deployed: the local stack, its gateway and issuer, the simulator, soak and benchmarks."""
