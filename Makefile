# Chorus: two commands for a fresh machine (see README.md).
#   make run   set up, migrate, load the demo consultation and serve http://127.0.0.1:8000/
#   make test  set up and run the whole test suite (browser tests included)
# Every target is idempotent: stamps skip installs whose inputs have not changed.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
PIP_STAMP := $(VENV)/.chorus-installed
NPM_STAMP := node_modules/.chorus-installed

# Django 6.1 needs Python 3.12+. pyenv shims exist for versions that are not selected and then fail,
# so each candidate is run, not just looked up.
PYTHON_CANDIDATES := python3.14 python3.13 python3.12 \
	$(sort $(wildcard /root/.pyenv/versions/3.1[2-9]*/bin/python3)) \
	$(sort $(wildcard /usr/local/bin/python3.1[2-9])) python3
find_python = $(shell for c in $(PYTHON_CANDIDATES); do \
	if "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then echo "$$c"; break; fi; \
	done)

.PHONY: help run test lint install demo serve audit lock clean-install system-packages

help:
	@echo "make run    - install, migrate, load the demo consultation, serve http://127.0.0.1:8000/"
	@echo "make test   - install and run the whole test suite"
	@echo "make lint   - ruff and the missing-migrations check"
	@echo "make audit  - pip-audit of the locked dependencies (requirements.lock; make lock re-pins them)"
	@echo "make serve  - the production profile on 127.0.0.1:8000 (needs DATABASE_URL and SECRET_KEY; docs/deploy.md)"

$(PY):
	@python="$(find_python)"; \
	if [ -z "$$python" ]; then echo "Chorus needs Python 3.12 or newer (python3.12 or python3.13 on PATH)." >&2; exit 1; fi; \
	echo "Creating $(VENV) with $$python"; \
	"$$python" -m venv $(VENV)

$(PIP_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# WeasyPrint (the paper form, engagement/paper) needs Pango and a font: Debian's packages, installed when
# missing if this runs as root (as .ci/run does for Chromium), otherwise named so they can be installed.
PANGO_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
system-packages:
	@if ! ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so' || ! fc-list 2>/dev/null | grep -qi 'DejaVu Sans'; then \
		if [ "$$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then \
			apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(PANGO_PACKAGES); \
		else \
			echo "The paper form needs Pango and the DejaVu fonts: apt-get install $(PANGO_PACKAGES)" >&2; exit 1; \
		fi; \
	fi

install: system-packages $(PIP_STAMP) $(NPM_STAMP)

run: install
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py load_demo
	@# The worker runs background tasks (response exports) beside the server, and stops with it.
	DEBUG=true $(PY) manage.py db_worker --interval 1 & worker=$$!; trap "kill $$worker" EXIT INT TERM; \
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

# The production profile: gunicorn (several workers), whitenoise, the task worker, PostgreSQL from
# DATABASE_URL, DEBUG off (bin/serve, docs/deploy.md). SERVE_ADDRESS=127.0.0.1:8107 make serve for another port.
serve: install
	bin/serve

# The suite runs in parallel, a worker per processor (TEST_WORKERS=0 for one process), each with its own
# test database; work-stealing evens out the few long tests (browser pages, census loads).
TEST_WORKERS ?= auto
test: install
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal

# Known vulnerabilities, from PyPI's advisory data: in the locked dependencies (requirements.lock), and in
# what is installed, so a dependency added since the last `make lock` is audited too (bin/audit). A known
# vulnerability fails it; dependencies it could not check (PyPI's per-version JSON unreachable, as behind
# a mirror) are counted as AUDIT INCOMPLETE, never "no known vulnerabilities", and fail it with AUDIT_STRICT=true.
audit: install
	$(PY) -m pip install --quiet 'pip-audit>=2.9,<3'
	$(PY) bin/audit

# Re-pin every dependency (run after changing pyproject.toml's dependencies).
lock: install
	$(PY) -m pip install --quiet 'pip-tools>=7.4,<8'
	$(VENV)/bin/pip-compile --quiet --extra test --strip-extras --no-emit-index-url --no-emit-find-links \
		--output-file requirements.lock pyproject.toml

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run

clean-install:
	rm -f $(PIP_STAMP) $(NPM_STAMP)
