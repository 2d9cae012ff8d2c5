# Integrationsatlas Landkreis Kaiserslautern
#   make run    create .venv if missing, install, start the dashboard on the shipped data
#   make test   install test tools (and Debian's chromium if missing), lint, run all tests
VENV    ?= .venv
PYTHON  ?= python3
PY      := $(VENV)/bin/python
PORT    ?= 8501

.PHONY: run test lint format bench data clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-app: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed-app
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

run: $(VENV)/.installed-app
	$(PY) -m streamlit run app.py --server.port $(PORT)

test: $(VENV)/.installed-test
	scripts/ensure-chromium
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) -m mypy
	$(PY) -m pytest

lint: $(VENV)/.installed-test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) -m mypy

format: $(VENV)/.installed-test
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

bench: $(VENV)/.installed-test
	$(PY) -m dashboard bench

data: $(VENV)/.installed-app
	$(PY) -m dashboard build-datasets
	$(PY) -m dashboard build-geodata

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
