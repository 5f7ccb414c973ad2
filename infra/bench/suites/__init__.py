"""One module or package per benchmark, each writing one results JSON per run."""
