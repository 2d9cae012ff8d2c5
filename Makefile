# Integrationsatlas (the district is configuration: districts/<key>/district.toml)
#   make run    create .venv if missing, install, start the dashboard on the shipped data
#   make run DISTRICT=07336   build (once) and start it for another Kreis of the boundary
#               package (here Kusel), DISTRICT=07 for the whole Land (synthetic test data)
#   make serve  several app processes behind nginx on one shared store (deploy/README.md)
#   make test   install test tools (and Debian's chromium, PostgreSQL/PostGIS, nginx if missing),
#               lint, run all tests (the store tests on SQLite and on a throw-away PostGIS cluster)
#   make i18n   extract the message keys and update both catalogues (docs/i18n.md)
VENV    ?= .venv
PYTHON  ?= python3
PY      := $(VENV)/bin/python
PORT    ?= 8501
DISTRICT ?=

PROCESSES ?= 2
LISTEN  ?= 127.0.0.1:8080

.PHONY: run serve test lint format bench bench-finder data i18n clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-app: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed-app
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

run: $(VENV)/.installed-app
ifeq ($(strip $(DISTRICT)),)
	$(PY) -m dashboard finder --out static/finder
	$(PY) -m streamlit run asgi.py --server.port $(PORT)
else
	$(PY) -m dashboard build-geodata --district $(DISTRICT) --if-missing
	INTEGRATIONSATLAS_DISTRICT=$(DISTRICT) $(PY) -m dashboard finder --out static/finder
	INTEGRATIONSATLAS_DISTRICT=$(DISTRICT) $(PY) -m streamlit run asgi.py --server.port $(PORT)
endif

# several processes behind nginx (deploy/README.md); installs nginx when run as root
serve: $(VENV)/.installed-app
	scripts/ensure-nginx
	$(PY) -m dashboard finder --out static/finder
	$(PY) -m dashboard serve --processes $(PROCESSES) --listen $(LISTEN)

test: $(VENV)/.installed-test
	scripts/ensure-chromium
	scripts/ensure-postgres
	scripts/ensure-nginx
	scripts/ensure-qgis
	$(MAKE) lint
	$(PY) -m pytest

# ruff, the layer contracts, mypy --strict, declared = imported dependencies (deptry),
# module and function sizes (tests/size_limits.toml)
lint: $(VENV)/.installed-test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) -m mypy
	$(VENV)/bin/deptry .
	$(PY) -m pytest -q -p no:cacheprovider tests/unit/test_sizes.py tests/unit/test_import_time.py

format: $(VENV)/.installed-test
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

bench: $(VENV)/.installed-test
	$(PY) -m benchmarks

bench-finder: $(VENV)/.installed-test
	$(PY) -m benchmarks.bench_finder

data: $(VENV)/.installed-app
	$(PY) -m dashboard build-datasets
	$(PY) -m dashboard build-geodata

i18n: $(VENV)/.installed-app
	mkdir -p var
	$(VENV)/bin/pybabel extract --no-default-keywords -k t -k tn:1,1 -k N_ -k Nn_:1,1 -k say --no-location \
		--sort-output --project integrationsatlas --version 0.1.0 \
		-o var/messages.pot dashboard app_pages app.py
	$(VENV)/bin/pybabel update -i var/messages.pot -d dashboard/i18n/locale -D messages \
		-w 100 --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
