# Benchmarks. The root Makefile includes this file (it needs $(UV) and the `setup` target).
#   make bench                      the lesson: ab -n $(N) -c $(C) on /blocking-movies and /movies
#   make bench N=400 C=200 LATENCY_MS=1000
#   make bench-full [QUICK=1]       the matrix, baselines, Lambda path and targets (~8 min; QUICK ~4)
#   make bench-coldstart [RUNS=9]   both handlers' cold start as deployed, against their floors
#   make bench-smoke                every bench code path with tiny counts (CI)
#   make bench-ratings              POST /me/ratings latency over the no-loss load, early vs late
#   make bench-recommendations      one recommendation at 600 and 100,000 movies: latency, calls
#   make bench-cost                 the bill per request through make run-lambda, caching as
#                                   shipped and off; targets of issue 17 (REQUESTS, LATENCY_MS)
# Each suite is a sub-command of `python -m infra.bench` and writes one typed results file,
# $(BENCH_OUT)/<suite>.json, then its markdown from that file. Results go to bench-results/
# (gitignored). `make bench` and `bench-full` need ApacheBench (ab);
# bench-ab installs it when it can (root and apt-get), else prints how to and fails.

UV ?= .tools/bin/uv

N ?= 200
C ?= 100
LATENCY_MS ?= 3000
QUICK ?=
RUNS ?= 9
BENCH_OUT ?= bench-results
REQUESTS ?= 300
BENCH_MODE := $(if $(filter-out 0 no false,$(QUICK)),quick,full)

.PHONY: bench bench-full bench-smoke bench-ab bench-coldstart bench-twin bench-recommendations \
	bench-ratings bench-cost

# Succeeds if ab is there or could be installed; otherwise prints how to install it and fails.
ENSURE_AB = if command -v ab >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "ab not found: installing apache2-utils with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq apache2-utils >/dev/null \
	    && command -v ab >/dev/null; \
	else \
	  echo "ab (ApacheBench) is not installed, and this is not root with apt-get. Install it:"; \
	  echo "  sudo apt-get update && sudo apt-get install -y apache2-utils   \# Debian, Ubuntu"; \
	  echo "  sudo dnf install -y httpd-tools                                \# Fedora, RHEL"; \
	  echo "  brew install httpd                                             \# macOS"; \
	  exit 1; \
	fi

bench-ab: ## Install ApacheBench (ab) if it is missing (apt-get, as root), else say how
	@( $(ENSURE_AB) )

bench: setup bench-ab ## The lesson: ab on /blocking-movies vs /movies, catalog at 3 s (N, C, LATENCY_MS)
	$(UV) run --frozen python -m infra.bench lesson --n $(N) --c $(C) --latency-ms $(LATENCY_MS) --out $(BENCH_OUT)

# The x86_64 twin of the artifact, which this machine can import (infra/sam.mk); sam build is
# quick when nothing changed, and a stale twin would measure old code.
bench-twin: setup
	$(MAKE) --no-print-directory build LAMBDA_ARCH=x86_64

bench-coldstart: setup bench-twin ## Cold start as deployed: init of both handlers ÷ their floors (RUNS)
	$(UV) run --frozen python -m infra.bench coldstart --runs $(RUNS) --out $(BENCH_OUT)

bench-full: setup bench-ab bench-twin ## Matrix c x latency x route, baselines, Lambda path, targets (QUICK=1: shorter)
	$(UV) run --frozen python -m infra.bench full --mode $(BENCH_MODE) --out $(BENCH_OUT)

bench-smoke: setup bench-twin ## The bench code with tiny counts (ab if installed, else a built-in client)
	@( $(ENSURE_AB) ) || echo "going on without ab: the smoke test uses its built-in load client"
	$(UV) run --frozen pytest tests/bench -q

bench-recommendations: setup ## Latency and catalog calls of one recommendation at 600 and 100,000 movies
	$(UV) run --frozen python -m infra.bench recommendations --latency-ms $(LATENCY_MS) --out $(BENCH_OUT)

bench-ratings: setup ## 1,000 ratings from 50 clients: latency of the first 100 vs the last 100, ratings/s
	$(UV) run --frozen python -m infra.bench ratings --out $(BENCH_OUT)

bench-cost: setup ## The bill per request via make run-lambda, caching as shipped and off (REQUESTS, ~8 min)
	$(UV) run --frozen python -m infra.bench cost --requests $(REQUESTS) --latency-ms $(LATENCY_MS) --out $(BENCH_OUT)
