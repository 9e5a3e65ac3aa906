# Hearth: `make run` starts a room on this laptop; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
VENDOR := static/vendor

.PHONY: run test lint format unit e2e bench setup runtime db dist clean
.PHONY: translations-extract translations-init translations-check

# Everything for tests and benchmarks (pyproject.toml's [dev] = [test] + [bench]).
setup: $(VENV)/.installed $(VENDOR)/.copied

# Only what running Hearth needs: `make run` installs no test tools.
runtime: $(VENV)/.runtime $(VENDOR)/.copied

$(VENV)/.runtime: pyproject.toml setup.py
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed: $(VENV)/.runtime
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Front-end packages come from npm; only what pages load is copied, and never committed.
$(VENDOR)/.copied: node_modules/.installed
	mkdir -p $(VENDOR)/socket.io
	cp node_modules/socket.io-client/dist/socket.io.esm.min.js $(VENDOR)/socket.io/
	cp node_modules/socket.io-client/dist/socket.io.esm.min.js.map $(VENDOR)/socket.io/
	touch $@

db: runtime
	$(BIN)/hearth --data-dir instance db upgrade

# The same launcher as an installed `hearth`, with the checkout's instance/ as its data folder.
run: runtime
	$(BIN)/hearth --data-dir instance

# A wheel and an sdist in dist/; the wheel carries the assets and the Socket.IO client.
dist: setup
	rm -rf dist build
	$(PY) -m build --outdir dist .

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Unit and socket tests share one process; real-server and browser tests get their own,
# because the Socket.IO test client patches the shared server object.
unit: setup
	$(BIN)/pytest -q tests --ignore=tests/e2e

e2e: setup
	$(BIN)/pytest -q -p no:cacheprovider tests/e2e tests/server

test: lint unit e2e

bench: setup
	$(PY) -m bench.run --mode both

clean:
	rm -rf $(VENV) node_modules $(VENDOR) dist build .pytest_cache .mypy_cache .ruff_cache

# Languages (docs/translating.md). The .po files in hearth/translations/ are the catalogs Hearth
# reads: there is no compile step, and the .pot template is generated, never committed.
TRANSLATIONS := hearth/translations
POT := build/messages.pot
# N_ marks a message translated later; the error types' messages are ids too (hearth/errors.py).
BABEL_KEYWORDS := -k lazy_gettext -k _l -k N_ -k HearthError:2 -k invalid_payload -k not_found \
	-k Message -k MessageError -k PlanError -k ArticleError -k ArticleTooLarge -k SpecError
BABEL_SKIP := ".* _* node_modules vendor tests bench build dist instance"

# Collect every message from the code, templates and ES modules, and add the new ones to each
# language's catalog (marked untranslated) without touching what is already translated.
translations-extract: setup
	mkdir -p $(TRANSLATIONS) build
	$(BIN)/pybabel extract -F babel.cfg $(BABEL_KEYWORDS) --ignore-dirs $(BABEL_SKIP) \
		--add-location=file --sort-output --no-wrap --project=Hearth --copyright-holder="Hearth contributors" -o $(POT) . >/dev/null
	if ls $(TRANSLATIONS)/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel update -i $(POT) -d $(TRANSLATIONS) --no-fuzzy-matching --ignore-obsolete --no-wrap; fi

# A new language: `make translations-init LOCALE=pt`; then add it to LANGUAGES in hearth/i18n.py.
translations-init: translations-extract
	test -n "$(LOCALE)" || (echo "Name the language: make translations-init LOCALE=pt" && false)
	$(BIN)/pybabel init -i $(POT) -d $(TRANSLATIONS) -l $(LOCALE) --no-wrap

# Fails when a catalog misses a message, a placeholder differs from English, or a file is broken.
translations-check: setup
	$(BIN)/pytest -q tests/test_i18n.py
