# Hardening targets: checkov over the template, the soak, the fuzz suites. The root Makefile
# includes this file (it uses $(UV) and the `setup` target from there); paths are relative to the
# repo root, where make runs. docs/guarantees.md says what each of them proves.
#
# checkov pins many libraries of its own, so, like SAM CLI (infra/sam.mk), it lives in its own
# uv tool environment under .tools/ and never meets the project's dependencies. Named here rather
# than taken from sam.mk, so the two files can be included in either order.

UV ?= .tools/bin/uv

CHECKOV_VERSION := 3.3.30
CHECKOV_TOOL_DIR := .tools/uv-tools
CHECKOV_BIN_DIR := .tools/bin
CHECKOV := $(CHECKOV_BIN_DIR)/checkov
# Re-installs when the pin changes; removed with the tool environment.
CHECKOV_STAMP := $(CHECKOV_TOOL_DIR)/checkov/.installed-checkov-$(CHECKOV_VERSION)
CHECKOV_TEMPLATE ?= template.yaml

# How long `make soak` loads the stack; the queue's drain and the checks come on top.
SOAK_SECONDS ?= 120
SOAK_FLAGS ?=

.PHONY: checkov-tool security soak fuzz

$(CHECKOV_STAMP): $(UV)
	UV_TOOL_DIR=$(abspath $(CHECKOV_TOOL_DIR)) UV_TOOL_BIN_DIR=$(abspath $(CHECKOV_BIN_DIR)) \
	  $(UV) tool install --quiet --force "checkov==$(CHECKOV_VERSION)"
	@touch $@

checkov-tool: $(CHECKOV_STAMP) ## Install the pinned checkov into .tools/ (once)

# --skip-download: no call to Prisma Cloud (there is no network here, and nothing to upload).
# Every check passes or is skipped in template.yaml, in the resource's Metadata, with its reason.
security: $(CHECKOV_STAMP) ## checkov over template.yaml: no failed check
	$(CHECKOV) --file $(CHECKOV_TEMPLATE) --framework cloudformation \
	  --skip-download --compact --quiet

soak: setup ## c=100 mixed load with faults against the local stack (SOAK_SECONDS=120)
	$(UV) run --frozen python -m infra.soak.soak --seconds $(SOAK_SECONDS) $(SOAK_FLAGS)

fuzz: setup ## schemathesis (in-process and over HTTP) and the hostile-input tests
	$(UV) run --frozen pytest tests/fuzz
