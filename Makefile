# Two commands on a fresh machine with Python 3.11:
#   make build   install into .venv/ and build everything on the demo data
#   make test    install into .venv/ (with the Spark target's packages), lint, and run every test
#   make test-fast   lint and the library's unit tests only (tests/unit, minutes)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export DBT_PROFILES_DIR := $(CURDIR)/profiles

.PHONY: install install-spark export-fits build-spark build test test-fast lint pytest demo-data docs docs-serve bench bench-segmentation bench-e2e clean report report-pdf export online-retail-split

install: $(VENV)/.installed

# Exact versions from requirements.lock; the project itself as an editable package.
$(VENV)/.installed: requirements.lock requirements-duckdb1.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip install --quiet --no-deps --upgrade --target $(VENV)/duckdb1 -r requirements-duckdb1.txt
	touch $@

build: install
	$(BIN)/dbt build

# The Spark target: dbt-spark and PySpark beside the default install (Java 17 needed).
install-spark: $(VENV)/.installed-spark

$(VENV)/.installed-spark: $(VENV)/.installed requirements-spark.txt
	$(BIN)/python -m pip install --quiet -r requirements-spark.txt
	touch $@

# The fits of the last DuckDB build, as Parquet files for a target that runs no Python
# models (var registered_models_dir; README "Scale out on Spark").
REGISTERED_MODELS_DIR ?= registered_models
export-fits: install
	mkdir -p $(REGISTERED_MODELS_DIR)
	$(BIN)/dbt run-operation export_registered_models --args '{directory: "$(REGISTERED_MODELS_DIR)"}'

# The demo on a local Spark session, scoring with the exported fits (after make build
# and make export-fits).
build-spark: install-spark
	$(BIN)/dbt build --target spark --vars '{registered_models_dir: "$(REGISTERED_MODELS_DIR)"}'

# with the Spark target's packages, so the Spark test runs (it says why it skips without Java)
test: install install-spark lint pytest

# The inner loop: lint and the library's unit tests, no dbt build.
test-fast: install lint
	$(BIN)/pytest tests/unit

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# sqlfluff reports a model it cannot render as a warning and exits 0: fail on it
	$(BIN)/sqlfluff lint --processes 2 models tests/dbt > $(VENV)/sqlfluff.log 2>&1; \
		status=$$?; cat $(VENV)/sqlfluff.log; \
		if grep -q "Unable to lint" $(VENV)/sqlfluff.log; then \
			echo "sqlfluff could not render the models above: fix tests/sqlfluff_library"; exit 1; \
		fi; exit $$status

# Two workers (pytest-xdist), one test file each at a time: dbt builds leave a core idle
# part of the time, and the suite's module fixtures stay in their worker.
PYTEST_WORKERS ?= 2
pytest: install
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile

# Regenerate the demo seeds (deterministic: the committed files must not change).
demo-data: install
	$(BIN)/python scripts/generate_demo_data.py

# Feature layer vs one hand-written DuckDB query at 100k and 1M customers (minutes).
bench: install
	$(BIN)/python scripts/benchmark_features.py --scales 100000 1000000 --repeats 3

# Segmentation layer vs plain scikit-learn / numpy floors at 1M customers x 10 features.
bench-segmentation: install
	$(BIN)/python scripts/benchmark_segmentation.py --customers 1000000 --features 10 --repeats 3

# Segment migration and feature drift on Online Retail split in time (docs/benchmarks.md).
online-retail-split: install
	$(BIN)/python scripts/online_retail_time_split.py

# The full dbt build vs a plain pandas + scikit-learn pipeline, with stage floors, at
# 100k and 1M customers (tens of minutes; docs/benchmarks.md "End to end"). BENCH_E2E_ARGS adds
# options, e.g. BENCH_E2E_ARGS="--with-10m --no-floors" or "--demo 3" (the demo build only).
bench-e2e: install
	$(BIN)/python scripts/benchmark_end_to_end.py --scales 100000 1000000 --repeats 3 $(BENCH_E2E_ARGS)

# The catalog is read from the published database: the marts of the last successful build.
docs: install
	$(BIN)/dbt docs generate --target published --no-compile

# Serve the generated docs (overview page, lineage, every model and column) on port 8080.
docs-serve: docs
	$(BIN)/dbt docs serve --port 8080

# The HTML report from the marts of the DuckDB file `make build` wrote (README "Report and BI access").
REPORT ?= build/segmentation_report.html
report: install
	$(BIN)/python -m segmentation_report --output $(REPORT)

# The same report as a PDF, printed by headless Chromium (apt-get install chromium).
report-pdf: report
	chromium --headless --no-sandbox --disable-gpu --no-first-run --no-pdf-header-footer \
		--user-data-dir=$$(mktemp -d) --print-to-pdf=$(abspath $(REPORT:.html=.pdf)) \
		file://$(abspath $(REPORT))

# One Parquet file per public mart, for BI tools that read files.
EXPORT_DIR ?= build/parquet
export: install
	mkdir -p $(EXPORT_DIR)
	$(BIN)/dbt run-operation export_marts --args '{directory: "$(EXPORT_DIR)"}'

clean:
	rm -rf $(VENV) target logs customer_segmentation.duckdb customer_segmentation.duckdb.publishing
	@echo "kept customer_segmentation.workspace.duckdb (model registry, snapshot, run history): delete it by hand to start over"
