# Tribune — the two commands: `make demo` and `make test`. Everything else is a helper.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
DEMO_ENV := TRIBUNE_DEMO=1
# The integration and browser layers run on PostgreSQL (pytest-django creates test_<name>).
PG_URL ?= postgres://postgres@127.0.0.1:5432
# The integration layer starts its own redis-server on this port (it stops it to test an outage).
IT_REDIS_URL ?= redis://127.0.0.1:6391/0
PYTEST := $(VENV)/bin/pytest

.PHONY: help install static demo seed serve worker beat test test-unit test-integration test-browser \
        lint messages clean bench bench-wiki bench-fanout bench-queue bench-spam-worker bench-talent

help:
	@echo "make demo   - create the environment, migrate, seed the demo community, serve it on :8000"
	@echo "make test   - run the unit, integration (PostgreSQL+Redis+worker) and browser layers"
	@echo "make worker / make beat / make serve - the production processes (see README)"

$(VENV)/.installed: requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $@

install: $(VENV)/.installed static

# htmx comes from its npm package (pinned by package-lock.json) and is copied, never committed.
static/vendor/htmx.min.js: package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --silent && mkdir -p static/vendor && \
		cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js; \
	else \
		echo "npm not found: pages work without htmx, but install Node.js for the interactive parts."; \
		mkdir -p static/vendor && echo "/* htmx not installed: run make static with npm */" > $@; \
	fi

static: static/vendor/htmx.min.js

demo: install
	$(DEMO_ENV) $(MANAGE) migrate --noinput
	$(DEMO_ENV) $(MANAGE) seed_demo
	@echo ""
	@echo "  Tribune demo: http://127.0.0.1:8000"
	@echo "  Logins (password tribune-demo): member, contributor, cm (community manager), admin (staff)"
	@echo ""
	$(DEMO_ENV) $(MANAGE) runserver 127.0.0.1:8000

seed: install
	$(DEMO_ENV) $(MANAGE) migrate --noinput
	$(DEMO_ENV) $(MANAGE) seed_demo

test: install test-unit test-integration test-browser

# Unit layer: SQLite in memory, Celery eager, two processes (pytest-xdist). Under a minute.
test-unit: install
	env -u DATABASE_URL -u REDIS_URL -u EMAIL_URL $(PYTEST) tests --ignore=tests/integration --ignore=tests/browser -q -n 2

# Integration layer: PostgreSQL, a private Redis server, a real Celery worker process and a local
# SMTP sink (started by the tests; the worker sends to it).
test-integration: install
	env -u EMAIL_URL DATABASE_URL=$(PG_URL)/tribune_it REDIS_URL=$(IT_REDIS_URL) $(PYTEST) tests/integration -q

# Browser layer: Playwright driving Debian's chromium against a live server on PostgreSQL.
test-browser: install
	env -u REDIS_URL DATABASE_URL=$(PG_URL)/tribune_browser DJANGO_ALLOW_ASYNC_UNSAFE=true $(PYTEST) tests/browser -q

worker: install
	$(VENV)/bin/celery -A community worker --loglevel=INFO -Q default,spam,notifications,email

beat: install
	$(VENV)/bin/celery -A community beat --loglevel=INFO --schedule=/tmp/tribune-celerybeat-schedule

serve: install
	$(MANAGE) collectstatic --noinput
	$(VENV)/bin/gunicorn community.wsgi:application --workers 2 --bind 0.0.0.0:8000 --access-logfile -

messages: install
	$(MANAGE) makemessages -l fr --no-location --ignore=.venv --ignore=node_modules --ignore=tests
	$(MANAGE) compilemessages --ignore=.venv

# The forum benchmark on the standard dataset, Tribune beside Spirit and django-machina measured in the
# same run by the shared peers' benchmark (PEERS_DIR: its setup_peers.sh, measure.sh with MEMBER=1,
# ratios.py), then the contributor spaces' pages (Tribune alone); both written into bench/README.md
# ("Running it"). PostgreSQL + Redis + gunicorn + wrk on 127.0.0.1; about 30 minutes, the machine loaded.
# Smoke run (figures compare with nothing): make bench PEERS="ours spirit" DURATION=2 RUNS=1
PEERS_DIR ?= ../shared/bench/peers
bench: install
	PEERS_DIR="$(PEERS_DIR)" bash bench/run.sh

# The wiki benchmark on the standard wiki dataset, django-wiki 0.13 measured in the same run (PostgreSQL +
# Redis + gunicorn + wrk): bench/README.md, "Wiki".
bench-wiki: install
	bash bench/run_wiki.sh

# Notification fan-out of one reply to 1,000 and 10,000 watchers (PostgreSQL): bench/README.md.
bench-fanout: install
	$(PY) bench/fanout.py

# The review queue's first page with 10 items, then 10,000 held and 1,000 reported (PostgreSQL): bench/README.md.
bench-queue: install
	dropdb --if-exists -h 127.0.0.1 -U postgres tribune_queue && createdb -h 127.0.0.1 -U postgres tribune_queue
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/tribune_queue $(PY) bench/review_queue.py

# The talent board's nightly job (cm.compute_talent_scores) on the standard dataset (PostgreSQL): bench/README.md.
bench-talent: install
	dropdb --if-exists -h 127.0.0.1 -U postgres tribune_talent && createdb -h 127.0.0.1 -U postgres tribune_talent
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/tribune_talent $(PY) bench/talent.py

# Spam checks by a real Celery worker (2 processes) on PostgreSQL and a private Redis: bench/README.md.
bench-spam-worker: install
	$(PY) bench/spam_worker.py

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles tribune.sqlite3
