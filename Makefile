# Gongshi — the two commands a newcomer needs: `make run` and `make test`.
#
#   make run               install, migrate, seed the demo, serve http://127.0.0.1:8000
#   make run PORT=8123     the same on another port
#   make dev               the autoreloading development server instead of gunicorn
#   make test              lint, checks, the whole suite on SQLite and on PostgreSQL
#
# Everything installs into .venv; the SQLite database and uploads live in var/
# (GONGSHI_DATA_DIR moves them). Written for Debian with Python 3.11; as root, missing
# system packages (python3-venv, gettext, chromium, CJK fonts) are installed with apt-get.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
GONGSHI := $(BIN)/gongshi
PORT ?= 8000
export GONGSHI_DATA_DIR ?= $(CURDIR)/var

# PostgreSQL for the second test pass; the test database is created and dropped by pytest.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/gongshi
PYTEST_WORKERS ?= 2
# worksteal: each worker starts on its own half of the suite (so a module's fixtures, such as
# the axe tests' seeded demo, are set up on one worker) and an idle worker takes tests from
# the busy one's queue, so neither waits at the end while the other works through a tail.
PYTEST_DIST ?= --dist worksteal
# --durations lists the slowest tests, to keep the suite inside its ten-minute budget.
PYTEST_ARGS ?= --durations=15

# Debian packages the suite needs: msgfmt, the browser, fonts with Chinese glyphs for PDFs,
# MuPDF (mutool) and Poppler (pdftotext, pdftoppm): the printed board is read with each.
TEST_APT_PACKAGES := gettext chromium fonts-noto-cjk mupdf-tools poppler-utils faketime nginx
# The SQLite pass runs with the machine's clock moved forward (libfaketime), so a test that
# depends on the day it runs fails in CI before its day comes; the PostgreSQL pass runs at the
# real date. `make test CLOCK_SHIFT=` runs both at the real date.
CLOCK_SHIFT ?= +365d

.PHONY: help install install-test lock messages compilemessages migrate seed collectstatic run dev worker \
	system-packages services lint audit checks pytest-sqlite pytest-postgres stack-test test clean

help:
	@echo "make run    — 安装、迁移、载入演示数据并启动 http://127.0.0.1:$(PORT)"
	@echo "make dev    — 同上，但用自动重载的开发服务器"
	@echo "make test   — 代码检查与完整测试（SQLite 与 PostgreSQL）"

# --- Installation --------------------------------------------------------------------------

$(BIN)/python:
	@if ! $(PYTHON) -m venv --help >/dev/null 2>&1 || ! $(PYTHON) -c "import ensurepip" 2>/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; \
		else \
			echo "缺少 python3-venv：请运行 sudo apt-get install python3-venv 后重试。" >&2; exit 1; \
		fi; \
	fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# The stamps make `make run` fast the second time: pip runs only when the dependencies changed.
# constraints.txt pins every package to the versions the suite last passed with.
$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install -q -c constraints.txt -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install -q -c constraints.txt -e '.[test]'
	@touch $@ $(VENV)/.installed

# Move to the newest versions pyproject.toml allows, then run `make test` before committing.
lock: | $(BIN)/python
	$(BIN)/pip install -q --upgrade --upgrade-strategy eager -e '.[test]'
	@{ echo "# Exact versions the suite last passed with (make lock regenerates this file)."; \
	  echo "# make install / install-test install with -c constraints.txt, so a fresh clone gets these."; \
	  $(BIN)/pip freeze --exclude-editable; } > constraints.txt
	@touch $(VENV)/.installed-test $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# --- Translations --------------------------------------------------------------------------
# zh-Hans is the source language; each app has locale/en/LC_MESSAGES/django.po. The .mo files
# are build products (git-ignored), compiled here before running or testing.

compilemessages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; \
		else echo "缺少 msgfmt：请运行 sudo apt-get install gettext 后重试。" >&2; exit 1; fi; }
	@cd gongshi && ../$(GONGSHI) compilemessages -v 0 --ignore '__pycache__'

# Regenerate every catalogue after changing user-visible text (then translate the new msgids).
# Each app owns gongshi/<app>/locale; the project-level templates (gongshi/templates) and
# gongshi/*.py belong to gongshi/locale (LOCALE_PATHS), made with every app directory ignored.
messages: $(VENV)/.installed
	@for locale_dir in gongshi/*/locale; do \
		app=$$(dirname $$locale_dir); \
		(cd $$app && DEBUG=True DJANGO_SETTINGS_MODULE=gongshi.settings \
			../../$(BIN)/django-admin makemessages -l en --no-location -v 0); \
	done
	@mkdir -p gongshi/locale
	@cd gongshi && ignore=""; for dir in */; do \
		case $$dir in templates/|locale/) ;; *) ignore="$$ignore --ignore $${dir%/}";; esac; \
	done; DEBUG=True DJANGO_SETTINGS_MODULE=gongshi.settings \
		../$(BIN)/django-admin makemessages -l en --no-location -v 0 $$ignore

# --- Running -------------------------------------------------------------------------------

migrate: $(VENV)/.installed
	$(GONGSHI) migrate --noinput -v 0

# Demo data only when there are no projects yet: a database you have worked in is left alone.
seed: migrate
	@if $(GONGSHI) shell -v 0 -c "import sys; from gongshi.projects.models import Project; sys.exit(0 if Project.objects.exists() else 1)"; then \
		echo "数据库中已有项目，不再载入演示数据。演示账号见 README.md，或运行 $(GONGSHI) seed_demo 重新列出。"; \
	elif $(GONGSHI) help seed_demo >/dev/null 2>&1; then \
		$(GONGSHI) seed_demo; \
	else \
		echo "seed_demo 命令尚不存在：不载入演示数据。" >&2; \
	fi
	@if $(GONGSHI) help ensure_signing_key >/dev/null 2>&1; then $(GONGSHI) ensure_signing_key; fi
	@# Every year the holiday package knows; names the years it lacks (enter them in the admin).
	@$(GONGSHI) seed_holidays --keep-edits 2>/dev/null

# `make run` is the production server on the embedded defaults: gunicorn (processes and
# threads from GONGSHI_WEB_WORKERS / GONGSHI_WEB_THREADS), static files compressed and hashed
# by collectstatic and served by whitenoise, JSON logs with a request id per line. The
# background-task worker runs beside it and stops with it (Ctrl-C).
# `make dev` is Django's autoreloading development server, static files straight from the
# app directories. deploy/ and docs/deployment.md describe a full deployment.
collectstatic: $(VENV)/.installed
	$(GONGSHI) collectstatic --noinput -v 0

run: compilemessages seed collectstatic
	@echo "Gongshi: http://127.0.0.1:$(PORT)/  (Ctrl-C 停止)"
	@$(GONGSHI) db_worker --no-reload -v 0 & worker=$$!; \
		trap 'kill $$worker 2>/dev/null || true' EXIT INT TERM; \
		$(BIN)/gunicorn -c python:gongshi.ops.gunicorn_conf --bind 127.0.0.1:$(PORT) gongshi.wsgi

dev: compilemessages seed
	@echo "Gongshi（开发服务器，自动重载）: http://127.0.0.1:$(PORT)/  (Ctrl-C 停止)"
	@export GONGSHI_STATIC_MANIFEST=False GONGSHI_LOG_FORMAT=text; \
		$(GONGSHI) db_worker -v 0 & worker=$$!; \
		trap 'kill $$worker 2>/dev/null || true' EXIT INT TERM; \
		$(GONGSHI) runserver 127.0.0.1:$(PORT)

worker: migrate
	$(GONGSHI) db_worker

# --- Testing -------------------------------------------------------------------------------

system-packages:
	@missing=""; for pkg in $(TEST_APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "安装系统软件包：$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
		else \
			echo "缺少系统软件包：$$missing。请以 root 运行 apt-get install$$missing 后重试。" >&2; exit 1; \
		fi; \
	fi

# PostgreSQL and Redis are expected on 127.0.0.1; start them when they are installed but down.
services:
	@if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
		echo "启动 PostgreSQL…"; \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start; \
		for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; \
		pg_isready -h 127.0.0.1 -p 5432 || { echo "PostgreSQL 未能启动：请查看 /var/log/postgresql/。" >&2; exit 1; }; \
	fi
	@if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then \
		echo "启动 Redis…"; \
		mkdir -p /var/lib/redis /var/log/redis; \
		redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
			--dir /var/lib/redis --logfile /var/log/redis/ci.log; \
		for i in $$(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done; \
		redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { echo "Redis 未能启动：请查看 /var/log/redis/ci.log。" >&2; exit 1; }; \
	fi

# lint-imports checks the floors of pyproject.toml's [tool.importlinter]: an import from a
# lower app up to a higher one fails with the offending chain of imports.
# ruff's "S" rules are bandit's security checks (accepted findings: pyproject.toml, with reasons).
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

# Known vulnerabilities in the pinned dependencies (pip-audit, PyPI's vulnerability data).
# --strict fails when a package could not be checked, so an unreachable service is a failure,
# never a silent pass. Not part of `make test`: CI machines may reach only a package mirror,
# which has no vulnerability data (docs/security.md, "Dependencies").
audit: $(VENV)/.installed-test
	$(BIN)/pip-audit --strict --no-deps --disable-pip --progress-spinner off -r constraints.txt

# Checks run against a throw-away data directory so they never touch var/.
checks: $(VENV)/.installed-test compilemessages
# The holiday-calendar warning (W001) is about data, and this throw-away database has none of
# its own: it would turn CI red every late December until the holiday package catches up.
	@export GONGSHI_DATA_DIR=$$(mktemp -d) GONGSHI_SILENCED_CHECKS=gongshi.participation.W001; \
		status=0; { $(GONGSHI) makemigrations --check --dry-run && \
			$(GONGSHI) check --fail-level WARNING; } || status=$$?; \
		rm -rf "$$GONGSHI_DATA_DIR"; exit $$status

pytest-sqlite: $(VENV)/.installed-test compilemessages
	@echo "== pytest on SQLite$(if $(CLOCK_SHIFT), (clock moved $(CLOCK_SHIFT))) =="
	@export GONGSHI_DATA_DIR=$$(mktemp -d); \
		status=0; $(if $(CLOCK_SHIFT),faketime -f '$(CLOCK_SHIFT)') \
			$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_DIST) -q $(PYTEST_ARGS) || status=$$?; \
		rm -rf "$$GONGSHI_DATA_DIR"; exit $$status

# Tests marked one_database (the axe and touch-target checks of rendered pages, the API
# schema: nothing in them depends on the database) run in the SQLite pass only.
pytest-postgres: $(VENV)/.installed-test compilemessages services
	@echo "== pytest on PostgreSQL (one_database tests ran on SQLite) =="
	@export GONGSHI_DATA_DIR=$$(mktemp -d) DATABASE_URL=$(TEST_DATABASE_URL); \
		status=0; $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_DIST) -q -m "not one_database" $(PYTEST_ARGS) || status=$$?; \
		rm -rf "$$GONGSHI_DATA_DIR"; exit $$status

# The reference deployment of deploy/ on loopback: PostgreSQL, Redis, moto's S3 server, two
# gunicorn processes and Debian's nginx with deploy/nginx/gongshi.conf (deploy/tests/). Once
# per `make test`, not per database pass.
stack-test: $(VENV)/.installed-test compilemessages services
	@echo "== stack test (nginx, two gunicorn, PostgreSQL, Redis, S3) =="
	@command -v nginx >/dev/null || { echo "缺少 nginx：请以 root 运行 apt-get install nginx。" >&2; exit 1; }
	@export GONGSHI_DATA_DIR=$$(mktemp -d); \
		status=0; $(BIN)/pytest -n 0 -q deploy/tests || status=$$?; \
		rm -rf "$$GONGSHI_DATA_DIR"; exit $$status

# Every step runs even after one fails — so CI always shows pytest's summary for both
# databases — and then any failure fails `make test`.
test: system-packages services install-test
	@failed=""; \
		for step in lint checks pytest-sqlite pytest-postgres stack-test; do \
			$(MAKE) --no-print-directory $$step || failed="$$failed $$step"; \
		done; \
		if [ -n "$$failed" ]; then echo "make test 失败的步骤：$$failed（见上方输出）。" >&2; exit 1; fi; \
		echo "make test：全部通过。"

clean:
	rm -rf $(VENV) *.egg-info
	find gongshi -name '*.mo' -delete
