# The commands the README names. Needs python3, make and a CPython 3.13 (see below); uv is
# bootstrapped into .tools/.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy

UV_VERSION := 0.13.9
UV := .tools/bin/uv
PY_SOURCES := functions infra

.PHONY: help setup run run-lambda test e2e lint typecheck pytest clean

include infra/sam.mk
include infra/bench.mk
include infra/hardening.mk

help: ## List the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(UV):
	python3 -m venv .tools
	.tools/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# One Python everywhere: the venv, the tests and mypy run on the CPython that template.yaml
# deploys, found where the artifact's build finds it (functions/Makefile, `lambda-python`:
# LAMBDA_BUILD_PYTHON, uv's own, python3.13 on PATH, pyenv's). A venv of another Python is
# replaced. The stamp names the version, so a checkout's older venv is re-made once.
DEV_PYTHON_VERSION := 3.13
SYNCED := .venv/.synced-$(DEV_PYTHON_VERSION)

$(SYNCED): $(UV) pyproject.toml uv.lock
	@python=$$($(MAKE) -s --no-print-directory -C functions lambda-python UV=$(abspath $(UV))) \
	  || { echo "No CPython $(DEV_PYTHON_VERSION) found: the venv, the tests and the artifact need one." >&2; \
	       echo "  pyenv install $(DEV_PYTHON_VERSION), or uv python install $(DEV_PYTHON_VERSION) where downloads are allowed," >&2; \
	       echo "  or name it: make setup LAMBDA_BUILD_PYTHON=/path/to/python$(DEV_PYTHON_VERSION)" >&2; exit 1; }; \
	echo "venv: $$python"; \
	$(UV) sync --frozen --python "$$python"
	@touch $@

setup: $(SYNCED) ## Install uv (if missing) and the locked dependencies into a CPython 3.13 venv

run: setup ## The whole local stack: API (:8000), catalog (:8001), moto (:8002), issuer (:8003), pollers
	$(UV) run --frozen python -m infra.local.run_local

run-lambda: setup ## The same stack, but the API runs through the real Lambda handler (Mangum)
	$(UV) run --frozen python -m infra.local.run_local --lambda

lint: setup ## ruff check and ruff format --check
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

typecheck: setup ## mypy --strict over functions/ and infra/
	$(UV) run --frozen mypy $(PY_SOURCES)

pytest: setup sam-tools bench-twin ## The test suites (tests/build runs a real sam build; tests/bench times the x86_64 twin)
	$(UV) run --frozen pytest

test: lint typecheck validate security pytest ## Everything CI checks

e2e: setup ## The end-to-end suite; BASE_URL=https://... runs it against a deployed stack
	$(UV) run --frozen pytest tests/e2e

clean: ## Remove the environments and build output
	rm -rf .venv .tools .aws-sam .pytest_cache .mypy_cache .ruff_cache
