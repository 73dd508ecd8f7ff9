# Two commands on a fresh machine: `make run` and `make test`. Every target sets itself up first.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
NODE_STAMP := tools/cosmos/node_modules/.installed
PORT    ?= 7071

.PHONY: run test lint unit integration e2e bench soak setup clean

setup: $(STAMP) $(NODE_STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

$(NODE_STAMP): tools/cosmos/package.json tools/cosmos/package-lock.json
	cd tools/cosmos && npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

run: $(STAMP)
	$(BIN)/python -m devhost --app function_app:app --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

unit: $(STAMP)
	$(BIN)/python -m pytest -q tests/unit

integration: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest -q tests/integration

e2e: $(STAMP)
	$(BIN)/python -m pytest -q tests/e2e

test: lint $(NODE_STAMP)
	$(BIN)/python -m pytest -q tests

bench: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m tools.bench

soak: $(STAMP)
	$(BIN)/python -m tools.soak

clean:
	rm -rf $(VENV) tools/cosmos/node_modules .devhost .pytest_cache .mypy_cache .ruff_cache
