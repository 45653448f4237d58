# `make run` and `make test` do all their own set-up; `make help` lists every target.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app network
HOST ?= 127.0.0.1
PORT ?= 5000
PO_FILES := $(wildcard network/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
VENDOR := static/vendor/socket.io.min.js

.DEFAULT_GOAL := help
.PHONY: help run dev test setup lint format check-migrations i18n-extract i18n-update clean

help: ## List the targets
	@grep -E '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | sort | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  %-18s %s\n", $$1, $$2}'

$(BIN)/.installed: setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[postgres,redis,test,gevent]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

$(VENDOR): node_modules/.installed
	mkdir -p static/vendor
	cp node_modules/socket.io-client/dist/socket.io.min.js node_modules/socket.io-client/dist/socket.io.min.js.map static/vendor/

%.mo: %.po $(BIN)/.installed
	$(BIN)/pybabel compile -i $< -o $@ >/dev/null

setup: $(BIN)/.installed $(VENDOR) $(MO_FILES) ## Install Python and npm dependencies, compile translations

run: setup ## Serve the community with gunicorn on http://$(HOST):$(PORT)/ (creates the secret and database on first run)
	$(FLASK) gen-secret --if-missing
	$(FLASK) db upgrade
	NETWORK_BIND=$(HOST):$(PORT) $(BIN)/gunicorn -c gunicorn.conf.py

dev: setup ## Serve with the development server instead (reloads nothing; for debugging only)
	$(FLASK) gen-secret --if-missing
	$(FLASK) db upgrade
	$(FLASK) serve --host $(HOST) --port $(PORT)

lint: $(BIN)/.installed ## ruff check, ruff format --check, and the layers contracts (lint-imports)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(BIN)/.installed ## Reformat the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check-migrations: $(BIN)/.installed ## Fail when the models and the migrations disagree (flask db check)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  NETWORK_INSTANCE_PATH=$$tmp NETWORK_DATABASE_URL=sqlite:///$$tmp/check.sqlite $(FLASK) db upgrade && \
	  NETWORK_INSTANCE_PATH=$$tmp NETWORK_DATABASE_URL=sqlite:///$$tmp/check.sqlite $(FLASK) db check

# Two workers for the two cores (pytest-xdist), a test file each at a time; each worker has
# its own PostgreSQL database and Redis number (tests/support/workers.py).
PYTEST_WORKERS ?= 2
test: setup lint check-migrations ## Lint, check migrations and run the whole test suite
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

i18n-extract: $(BIN)/.installed ## Collect translatable strings into network/translations/messages.pot
	$(BIN)/pybabel extract -F babel.cfg --ignore-dirs='.* node_modules' -k _l -k lazy_gettext -k lazy_ngettext:1,2 \
	  --no-location --sort-output --omit-header -o network/translations/messages.pot .

i18n-update: i18n-extract ## Merge new strings into the Russian catalogue (then translate them)
	$(BIN)/pybabel update --no-fuzzy-matching -i network/translations/messages.pot -d network/translations

clean: ## Remove the virtualenv, npm packages and build output (keeps instance/)
	rm -rf $(VENV) node_modules static/vendor .pytest_cache .ruff_cache
	find . -name '*.mo' -delete

# The demo community and the feed benchmark (benchmarks/; not part of `make test`)
.PHONY: demo bench-feed bench-feed-1m bench-realtime bench-mail screenshots
INSTALL_WRK := command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)

demo: setup ## Upgrade the database and fill it with the Brewbird demo community (prints how to sign in)
	$(FLASK) db upgrade
	$(FLASK) seed-demo

bench-feed: setup ## Feed benchmark, 100k posts: 250 members in rotation, 0/1/5 writes/s, vs a bare-Flask floor; PostgreSQL too if NETWORK_TEST_DATABASE_URL (about 9 min)
	@$(INSTALL_WRK)
	$(BIN)/python benchmarks/bench_feed.py $(BENCH_ARGS)

bench-feed-1m: setup ## Feed benchmark at 100k and 1M posts, with the latency-growth and queries checks (about 20 min; seeding 1M posts adds about 20 min per database, once)
	@$(INSTALL_WRK)
	$(BIN)/python benchmarks/bench_feed.py --posts 100000 --posts 1000000 $(BENCH_ARGS)

bench-realtime: setup ## Realtime benchmark, threading and gevent: a POSTed comment to N=100 and 500 subscribers vs a bare Flask-SocketIO floor in the same mode, and 2,000 sockets on one gevent process (about 10 min)
	$(BIN)/python benchmarks/bench_realtime.py $(BENCH_ARGS)

bench-mail: setup ## Mail benchmark: 1,000 queued messages delivered to a local aiosmtpd server (target: under 60 s)
	$(BIN)/python benchmarks/bench_mail.py $(BENCH_ARGS)

screenshots: setup ## Photograph the demo community with Chromium into docs/img/ (for README)
	$(BIN)/python scripts/screenshots.py
