# Two commands on a fresh machine: `make run` and `make test`. Every target sets itself up first.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
NODE_STAMP := tools/cosmos/node_modules/.installed
# The browser tests drive Debian's Chromium through Playwright; no browser is ever downloaded.
CHROMIUM := /usr/bin/chromium
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PORT    ?= 7071
STATE   ?= .devhost/state.db
WORKER  := .venv-worker
APP     ?= .

.PHONY: run test lint unit integration e2e browser bench dashboard-bench soak setup clean validate-app

setup: $(STAMP) $(NODE_STAMP) $(CHROMIUM)

# The project itself goes in editable (only devhost/ is a package): `python -m devhost` then works
# from any folder with --app-dir.
$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# The bench's own dependencies (matplotlib, durabletask) only for `make bench`.
$(BENCH_STAMP): $(STAMP) requirements-bench.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $(BENCH_STAMP)

$(NODE_STAMP): tools/cosmos/package.json tools/cosmos/package-lock.json
	cd tools/cosmos && npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

$(CHROMIUM):
	$(SUDO) apt-get update
	$(SUDO) apt-get install -y --no-install-recommends chromium

# Binding expressions (%EVENTHUB_NAME%, %SAGA_HISTORY_PURGE_SCHEDULE%) need their app setting, as
# under `func start`.
run: $(STAMP)
	EVENTHUB_NAME=$${EVENTHUB_NAME:-saga-events} \
		SAGA_HISTORY_PURGE_SCHEDULE="$${SAGA_HISTORY_PURGE_SCHEDULE:-0 0 * * * *}" \
		$(BIN)/python -m devhost --app function_app:app --port $(PORT) --state $(STATE)

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

browser: $(STAMP) $(CHROMIUM)
	$(BIN)/python -m pytest -q tests/browser

test: lint $(NODE_STAMP) $(CHROMIUM)
	$(BIN)/python -m pytest -q tests

# The harness's smoke test first (it needs the bench dependencies, so `make test` skips it).
# e.g. make bench BENCH_ARGS="--only hot-sku --before 9799069 --before-minutes 15 --out docs/BENCHMARKS.md"
bench: $(BENCH_STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest -q tests/unit/test_bench_smoke.py
	$(BIN)/python -m tools.bench $(BENCH_ARGS)

# The dashboard's first page over a state file of 10,000 instances, in headless Chromium.
dashboard-bench: $(STAMP) $(CHROMIUM)
	$(BIN)/python -m tools.dashboard_bench

soak: $(STAMP)
	$(BIN)/python -m tools.soak

# Opt-in, not part of `make test`: index APP's function_app.py with the real Python worker library
# (declared for Python >= 3.13, pure Python, so installed here with --ignore-requires-python).
$(WORKER)/.installed: requirements.txt
	test -x $(WORKER)/bin/python || $(PY) -m venv $(WORKER)
	$(WORKER)/bin/python -m pip install --quiet --disable-pip-version-check --ignore-requires-python \
		azure-functions-runtime==1.3.0 protobuf==7.36.2 -r requirements.txt
	touch $@

validate-app: $(WORKER)/.installed
	$(WORKER)/bin/python tools/validate_app.py $(APP)

clean:
	rm -rf $(VENV) $(WORKER) tools/cosmos/node_modules .devhost .pytest_cache .mypy_cache .ruff_cache
