# Two commands set up everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: run test bench gazetteer clean chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

$(BENCH_STAMP): $(TEST_STAMP)
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@

run: $(STAMP)
	$(BIN)/streamlit run streamlit_app.py --server.headless true --browser.gatherUsageStats false

test: $(TEST_STAMP) chromium
	$(BIN)/python -m pytest

bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/bench_geoparser.py --json benchmarks/results/geoparser.json
	$(BIN)/python benchmarks/bench_events.py --json benchmarks/results/events.json
	$(BIN)/python benchmarks/bench_trust.py --json benchmarks/results/trust.json
	$(BIN)/python benchmarks/bench_maps.py --json benchmarks/results/maps.json
	$(BIN)/python benchmarks/bench_app.py --json benchmarks/results/app.json
	$(BIN)/python benchmarks/bench_app_browser.py --json benchmarks/results/app_browser.json
	$(BIN)/python benchmarks/bench_public_corpora.py --json benchmarks/results/public_corpora.json
	$(BIN)/python benchmarks/bench_hostile.py --json benchmarks/results/hostile.json
	$(BIN)/python benchmarks/bench_build_scale.py --mb 200 --json benchmarks/results/build_scale.json

gazetteer: $(TEST_STAMP)
	$(BIN)/python scripts/build_gazetteer.py
	$(BIN)/python scripts/build_admin_regions.py
	$(BIN)/python scripts/build_demonyms.py

chromium:
	command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

clean:
	rm -rf $(VENV) .mapapp-cache
