# Hearline: `make run` serves the demo on 127.0.0.1:8000, `make test` runs the whole suite
# on SQLite and on a real PostgreSQL. Both set everything up themselves on a fresh machine.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2

.PHONY: run test lint test-sqlite test-postgres install install-test migrate demo bench bench-peer soak clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

# Browser tests drive Debian's chromium (never a downloaded browser); CJK fonts for the
# screenshots. Installed with apt when missing (CI runs as root).
/usr/bin/chromium:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk

# The task queue of the production setup (HUEY_REDIS_URL) is tested on a real Redis: Debian's
# redis-server, started by the test itself on a free port (the package's service is not
# needed and is not started).
/usr/bin/redis-server:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server

# The e-mail tests poll a real IMAP server: Debian's dovecot, started by the tests themselves
# (the package's own service is not needed and is not started).
/usr/sbin/dovecot:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed node_modules/.installed | /usr/bin/chromium /usr/sbin/dovecot /usr/bin/redis-server
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

install-test: $(VENV)/.installed-test

migrate: install
	$(BIN)/hearline migrate --noinput -v0

demo: migrate
	$(BIN)/hearline demo --if-empty
	$(BIN)/hearline analytics rebuild --if-missing > /dev/null
	$(BIN)/hearline triage train --from-cases --if-missing > /dev/null

run: demo
	$(BIN)/hearline collectstatic --noinput -v0
	HOST=$(HOST) PORT=$(PORT) BIN=$(BIN) sh scripts/serve.sh

test: lint test-sqlite test-postgres

# The gates before the suite: lint, formatting, and types (configured in pyproject.toml).
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy hearline

test-sqlite: install-test
	$(BIN)/pytest -n $(PYTEST_WORKERS)

test-postgres: install-test
	$(BIN)/python scripts/with_pgserver.py $(BIN)/pytest -n $(PYTEST_WORKERS)

bench: install-test
	$(BIN)/python bench/intake_service.py
	$(BIN)/python scripts/with_pgserver.py $(BIN)/python bench/intake_service.py
	$(BIN)/python bench/api_intake.py --requests 1000
	$(BIN)/python scripts/with_pgserver.py $(BIN)/python bench/api_intake.py --requests 1000
	$(BIN)/python bench/domain_overhead.py
	$(BIN)/python scripts/with_pgserver.py $(BIN)/python bench/domain_overhead.py
	$(BIN)/python bench/lifecycle_api.py
	$(BIN)/python scripts/with_pgserver.py $(BIN)/python bench/lifecycle_api.py
	$(BIN)/python bench/sla_sweep_query.py
	$(BIN)/python scripts/with_pgserver.py $(BIN)/python bench/sla_sweep_query.py
	$(BIN)/python bench/staff_pages.py
	$(BIN)/python scripts/with_pgserver.py $(BIN)/python bench/staff_pages.py
	$(BIN)/python bench/staff_pages.py --cases 1000000
	$(BIN)/python scripts/with_pgserver.py $(BIN)/python bench/staff_pages.py --cases 1000000
	$(BIN)/python bench/analytics_scale.py --cases 1000000
	$(BIN)/python scripts/with_pgserver.py $(BIN)/python bench/analytics_scale.py --cases 10000000
	$(BIN)/python bench/knowledge_search.py
	$(BIN)/python scripts/with_pgserver.py $(BIN)/python bench/knowledge_search.py
	$(BIN)/python bench/table.py

# django-helpdesk in its own virtualenv, measured side by side with Hearline (bench/README.md).
PEER_VENV := bench/peer/.venv

$(PEER_VENV)/.installed: bench/peer/requirements.txt
	$(PYTHON) -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/pip install --quiet --upgrade pip
	$(PEER_VENV)/bin/pip install --quiet -r bench/peer/requirements.txt
	touch $@

bench-peer: install-test $(PEER_VENV)/.installed
	$(BIN)/python bench/peer_compare.py
	$(BIN)/python scripts/with_pgserver.py $(BIN)/python bench/peer_compare.py

# The long forms of the bounded tests in `make test`: Schemathesis with 200 examples per
# operation, the fault tests ten times as long on both databases, then 200 new cases/s
# mixed with reads and lifecycle actions for 10 minutes on PostgreSQL.
soak: install-test
	HEARLINE_FUZZ_EXAMPLES=200 $(BIN)/pytest -q -p no:cacheprovider hearline/api/tests/test_schema_fuzz.py
	HEARLINE_SOAK_SCALE=10 $(BIN)/pytest -q -p no:cacheprovider tests/faults
	HEARLINE_SOAK_SCALE=10 $(BIN)/python scripts/with_pgserver.py $(BIN)/pytest -q -p no:cacheprovider tests/faults
	$(BIN)/python scripts/with_pgserver.py $(BIN)/python bench/load.py --rate 200 --duration 600

clean:
	rm -rf $(VENV) $(PEER_VENV) var
