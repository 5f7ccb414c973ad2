# AWS SAM targets. The root Makefile includes this file; it also works alone:
#   make -f infra/sam.mk validate
# Paths are relative to the repo root, where make runs.
#
# SAM CLI and cfn-lint live in their own uv tool environment under .tools/, so their pins never
# meet the project's. `make build` needs no Docker: functions/Makefile installs the cp313 manylinux
# wheels with uv and compiles the bytecode with a local CPython 3.13 (found, or LAMBDA_BUILD_PYTHON).
#   make build                       arm64 (aarch64), as the template deploys, into .aws-sam/build
#   make build LAMBDA_ARCH=x86_64    the same artifact for x86_64 into .aws-sam/build-x86_64: this
#                                    machine can import it (make bench-coldstart); never deployed

UV ?= .tools/bin/uv

SAM_CLI_VERSION := 1.170.0
# The cfn-lint that `sam validate --lint` imports, and the `cfn-lint` command: one version for both.
CFN_LINT_VERSION := 1.58.0
SAM_TOOL_DIR := .tools/uv-tools
SAM_BIN_DIR := .tools/bin
SAM := $(SAM_BIN_DIR)/sam
CFN_LINT := $(SAM_BIN_DIR)/cfn-lint
# Re-installs when a pin above changes; removed with the tool environment.
SAM_TOOLS_STAMP := $(SAM_TOOL_DIR)/aws-sam-cli/.installed-sam-$(SAM_CLI_VERSION)-cfn-lint-$(CFN_LINT_VERSION)

SAM_TEMPLATE ?= template.yaml
LAMBDA_ARCH ?= arm64
LAMBDA_PLATFORM_arm64 := aarch64-manylinux2014
LAMBDA_PLATFORM_x86_64 := x86_64-manylinux2014
LAMBDA_PLATFORM = $(or $(LAMBDA_PLATFORM_$(LAMBDA_ARCH)),$(error LAMBDA_ARCH=$(LAMBDA_ARCH): use arm64 or x86_64))
# Each architecture has its own build dir, so the twin never overwrites what `make deploy` ships.
SAM_BUILD_DIR ?= .aws-sam/build$(if $(filter-out arm64,$(LAMBDA_ARCH)),-$(LAMBDA_ARCH))
SAM_CONFIG ?= infra/samconfig.toml
SAM_ENV ?= dev
SAM_REGION ?= us-east-1
# The ports `make run` and `make sam-local-stack` use; sam local reaches them on the host.
CATALOG_PORT ?= 8001
AWS_PORT ?= 8002
# infra/env.local.json with those ports, written by `make local-api`.
SAM_ENV_VARS_PORTS := .aws-sam/env.local.json
# The locked runtime requirements (no dev group, no hashes), exported for functions/Makefile, which
# sam build runs in a scratch copy of functions/ where uv.lock is out of reach. Under .aws-sam/, so
# it is never committed and never stale in the source tree.
LAMBDA_REQUIREMENTS := .aws-sam/requirements.lambda.txt

export SAM_CLI_TELEMETRY := 0

.PHONY: sam-tools validate build deploy local-api sam-local-stack docker-check

$(SAM_TOOLS_STAMP): $(UV)
	UV_TOOL_DIR=$(abspath $(SAM_TOOL_DIR)) UV_TOOL_BIN_DIR=$(abspath $(SAM_BIN_DIR)) \
	  $(UV) tool install --quiet --force "aws-sam-cli==$(SAM_CLI_VERSION)" \
	  --with "cfn-lint==$(CFN_LINT_VERSION)" --with-executables-from cfn-lint
	@touch $@

sam-tools: $(SAM_TOOLS_STAMP) ## Install the pinned SAM CLI and cfn-lint into .tools/ (once)

validate: sam-tools ## sam validate --lint and cfn-lint on template.yaml: no error, no warning
	AWS_DEFAULT_REGION=$(SAM_REGION) $(SAM) validate --lint --template-file $(SAM_TEMPLATE) --region $(SAM_REGION)
	$(CFN_LINT) --regions $(SAM_REGION) -- $(SAM_TEMPLATE)

$(LAMBDA_REQUIREMENTS): $(UV) pyproject.toml uv.lock
	@mkdir -p $(@D)
	$(UV) export --frozen --no-dev --no-hashes --no-emit-project --quiet --output-file $@

build: sam-tools $(LAMBDA_REQUIREMENTS) ## sam build with bytecode into .aws-sam/build (LAMBDA_ARCH=x86_64: the twin)
	UV=$(abspath $(UV)) REQUIREMENTS=$(abspath $(LAMBDA_REQUIREMENTS)) LAMBDA_PLATFORM=$(LAMBDA_PLATFORM) \
	  LAMBDA_BUILD_PYTHON=$(LAMBDA_BUILD_PYTHON) \
	  $(SAM) build --template-file $(SAM_TEMPLATE) --build-dir $(SAM_BUILD_DIR)

# The twin is for measuring; only arm64 ships.
deploy: override LAMBDA_ARCH := arm64
deploy: build ## sam deploy --guided with infra/samconfig.toml (SAM_ENV=dev|prod)
	$(SAM) deploy --guided --template-file $(SAM_BUILD_DIR)/template.yaml \
	  --config-file $(abspath $(SAM_CONFIG)) --config-env $(SAM_ENV)

# moto's dummy credentials (infra/local/aws_env.py), so SAM CLI hands the container no real ones:
# SAM CLI passes its own credentials and region to every function, whatever the env-vars file says.
SAM_LOCAL_AWS := env -u AWS_PROFILE -u AWS_SESSION_TOKEN AWS_ACCESS_KEY_ID=testing \
  AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=$(SAM_REGION)

# Before the build: without a Docker engine, sam local cannot run, and the build would be 40 s lost.
docker-check:
	@docker info >/dev/null 2>&1 || { echo "sam local needs a running Docker engine, and none answers (docker info failed); make run-lambda runs the same handler without Docker" >&2; exit 1; }

local-api: docker-check build ## sam local start-api (needs Docker) against `make sam-local-stack` (same ports)
	$(UV) run --frozen python -m infra.local.sam_local_env \
	  --catalog-port $(CATALOG_PORT) --aws-port $(AWS_PORT) --out $(SAM_ENV_VARS_PORTS)
	$(SAM_LOCAL_AWS) $(SAM) local start-api --template-file $(SAM_BUILD_DIR)/template.yaml \
	  --env-vars $(SAM_ENV_VARS_PORTS) --add-host host.docker.internal:host-gateway \
	  --parameter-overrides CatalogUrl=http://host.docker.internal:$(CATALOG_PORT)

sam-local-stack: setup ## What sam local needs: moto (:8002), catalog (:8001), worker pollers, on 0.0.0.0
	BIND_HOST=0.0.0.0 $(UV) run --frozen python -m infra.local.run_local
