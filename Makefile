# Two commands from a fresh clone: `make demo` and `make test`. Everything else is set up here:
# uv comes from PyPI into .tools/, the locked environment into .venv/ (system Python, no download).
UV_VERSION := 0.13.8
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Bytecode written once at install: where PYTHONDONTWRITEBYTECODE is set (as on CI), each
# process would otherwise compile every module it imports (about 3 s for the pipeline's, 2 s for
# dbt's, in every CLI call and every dbt run).
export UV_COMPILE_BYTECODE := 1
# dagster-dbt runs the `dbt` on PATH: the environment's own.
export PATH := $(CURDIR)/$(BIN):$(PATH)
# Lint and tests never touch the demo's data folder.
LINT_DIR := $(CURDIR)/.lint

.PHONY: demo test test-all test-reliability test-spark lint format benchmark dev dev-demo clean \
	chromium screenshots

demo: $(VENV)/.synced
	$(BIN)/empreinte demo

# Two processes share the tests (pytest-xdist); each test file stays whole in one of them, so
# its module fixtures (a night each) are built once.
PYTEST_PARALLEL = -n $(TEST_WORKERS) --dist loadfile --durations=15
TEST_WORKERS ?= 2

# The reliability and security suite is not in `make test` (the whole command must stay near
# 15 minutes on 2 cores): `make test-reliability` is the nightly CI target (docs/reliability.md).
test: lint chromium
	$(BIN)/pytest $(PYTEST_PARALLEL)

test-all: lint chromium
	$(BIN)/pytest $(PYTEST_PARALLEL) -m ""

# The dashboard's browser test drives Debian's Chromium, never a downloaded browser: installed
# here when missing (as root with apt-get, e.g. on CI's fresh machine); elsewhere the test skips
# and says why.
chromium:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		{ apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium chromium-driver; } \
			|| echo "chromium: apt-get could not install it; the browser test will skip"; \
	else echo "chromium: not installed and cannot install it here (needs root and apt-get); the browser test will skip"; fi

# The README's screenshots of the report and the dashboard, from the demo's warehouse.
screenshots: $(VENV)/.synced chromium
	$(BIN)/python -m tests.screenshots docs

# The reliability and security suite, with its figures (docs/reliability.md): the nightly CI
# target, about 4 minutes on a quiet machine.
test-reliability: $(VENV)/.synced
	$(BIN)/pytest tests/reliability -m reliability

# The marts built on Spark (a local session) against DuckDB's, in an environment of its own
# (.venv-spark, the locked one with the `spark` group): beside pyspark, Great Expectations'
# import of pyspark.sql.connect ends any process whose __main__ has no file (pytest-xdist's
# workers) with exit 0, so `make test`'s environment never holds it.
SPARK_VENV := .venv-spark
test-spark: $(UV)
	UV_PROJECT_ENVIRONMENT=$(SPARK_VENV) $(UV) sync --frozen --group spark
	PATH=$(CURDIR)/$(SPARK_VENV)/bin:$$PATH $(SPARK_VENV)/bin/pytest tests/spark -m spark

# sqlfluff's dbt templater compiles each model (about 0.7 s each): one process per core.
lint: $(VENV)/.synced
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	mkdir -p $(LINT_DIR)
	cd dbt_project && EMPREINTE_BUILD_DB=$(LINT_DIR)/lint.duckdb EMPREINTE_LAKE=$(LINT_DIR)/lake \
		EMPREINTE_INTERNAL_DB=$(LINT_DIR)/internal.duckdb \
		../$(BIN)/sqlfluff lint models --processes 0

format: $(VENV)/.synced
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	cd dbt_project && ../$(BIN)/sqlfluff fix models --processes 0

# S and M; `make benchmark SCALE=L` for the 2.5 million assets (docs/performance.md).
SCALE ?= S M
benchmark: $(VENV)/.synced
	$(BIN)/python -m benchmarks.run --scales $(SCALE)

# The Dagster UI on the data folder's instance (<data>/dagster): the CLI's runs, the schedule,
# the sensor, the checks. The configuration is checked first.
dev: $(VENV)/.synced
	$(BIN)/empreinte dev

# The same on the demo's folder, to browse the demo's runs (schedule off).
dev-demo: $(VENV)/.synced
	$(BIN)/empreinte dev --demo

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen
	touch $@

clean:
	rm -rf $(VENV) $(SPARK_VENV) $(TOOLS) $(LINT_DIR) dbt_project/target dbt_project/logs
