# Entry points for people and CI. Every target installs what it needs when it is missing:
#   - Deno (pinned) from the npm package `deno` into .tools/ when `deno` is not on PATH;
#   - a Python virtual environment in .venv/ with the pinned packages of requirements.txt.
# A second run reuses both (stamp files), so it is fast.

DENO_VERSION := 2.9.6
PYTHON ?= python3
SHELL := /bin/bash

ifeq ($(origin DENO),undefined)
  DENO := $(shell command -v deno 2>/dev/null)
  ifeq ($(DENO),)
    DENO := $(CURDIR)/.tools/node_modules/deno/deno
    DENO_INSTALL := $(DENO)
  endif
endif

VENV := $(CURDIR)/.venv
VENV_STAMP := $(VENV)/.installed-$(shell cksum < requirements.txt | cut -d' ' -f1)
# The tool finds uvicorn, openapi-python-client and ruff through PATH.
export PATH := $(VENV)/bin:$(PATH)
export CODEGEN_PYTHON := $(VENV)/bin/python

.PHONY: help setup test demo generate-bindings bench lint fmt check bundle compile clean

help:
	@echo "make setup                        install Deno (into .tools/ when not on PATH) and the Python environment (.venv/)"
	@echo "make test                         install prerequisites, then lint, type-check and run all tests"
	@echo "make demo [KEEP=1]                run the tool on the bundled example trace repository (KEEP=1 keeps the workspace; KEEP=0 does not)"
	@echo "make generate-bindings ARGS=...   run the CLI, e.g. ARGS=\"help get_openapi_spec\""
	@echo "make bench                        benchmarks (not part of the tests)"
	@echo "make bundle                       the CLI as JavaScript in dist/bundle/ (deno run --allow-all dist/bundle/codegen.js)"
	@echo "make compile [TARGET=<target>]    standalone executables dist/codegen-<target> (all four; or TARGET)"
	@echo "make lint | fmt | check           deno lint, deno fmt, type-check"
	@echo "make clean                        remove .tools/, .venv/ and dist/"

setup: $(DENO_INSTALL) $(VENV_STAMP)

ifdef DENO_INSTALL
$(DENO_INSTALL):
	@echo "Installing Deno $(DENO_VERSION) from npm into .tools/ (deno is not on PATH)" >&2
	npm install --silent --no-audit --no-fund --prefix .tools deno@$(DENO_VERSION)
	@test -x $@ || { echo "error: npm did not produce $@" >&2; exit 1; }
endif

# The stamp's name holds requirements.txt's checksum, so new content means a new stamp to make.
# Order-only (`|`): its modification time must not count, since every fresh checkout writes the
# file anew and would reinstall an environment that is already complete.
$(VENV_STAMP): | requirements.txt
	@echo "Creating the Python environment in .venv/ (pinned packages of requirements.txt)" >&2
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

test: setup
	$(DENO) fmt --check
	$(DENO) lint
	$(DENO) task check
	$(DENO) task test

demo: setup
	$(DENO) run --allow-all scripts/demo.ts $(if $(filter-out 0 no false,$(KEEP)),--keep)

generate-bindings: setup
	$(DENO) run --allow-all codegen.ts $(ARGS)

bench: setup
	$(DENO) task bench

lint: setup
	$(DENO) lint

fmt: setup
	$(DENO) fmt

check: setup
	$(DENO) task check

bundle: setup
	$(DENO) task bundle

# TARGET=x86_64-unknown-linux-gnu (or another target of scripts/compile.ts) builds just that one.
compile: setup
	$(DENO) task compile $(TARGET)

clean:
	rm -rf .tools .venv dist
