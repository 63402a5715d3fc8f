# The two commands of the README:
#   make run   — installs, loads the real data and serves the site, with its background worker
#   make test  — installs everything the tests need and runs the whole suite
# PostgreSQL is the only engine: without DATABASE_URL, manage.py and the tests start a
# private server whose data live in .postgres/ (common/localdb.py); with it, that server.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test install install-test lint staff lighthouse port-free

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)

# Installs only when the dependencies changed (a stamp per set), silently: pip's output
# goes to .venv/install.log, shown only when it fails.
PIP_INSTALL = $(PY) -m pip install --quiet --disable-pip-version-check
$(VENV)/.installed: pyproject.toml | $(VENV)/bin/activate
	@echo "Installation des dépendances (.venv)…"
	@{ $(PIP_INSTALL) --upgrade pip && $(PIP_INSTALL) -e ".[local]"; } >$(VENV)/install.log 2>&1 \
		|| { cat $(VENV)/install.log; exit 1; }
	@touch $@

$(VENV)/.installed-test: pyproject.toml package-lock.json | $(VENV)/bin/activate
	@echo "Installation des dépendances des tests (.venv, node_modules)…"
	@{ $(PIP_INSTALL) --upgrade pip && $(PIP_INSTALL) -e ".[local,test]" \
		&& npm ci --no-audit --no-fund --silent; } >$(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# make run is for a laptop: debug on, the private PostgreSQL unless DATABASE_URL. It writes
# local.env (common/localenv.py) so that every manage.py command after it runs as the README
# shows, on the same database, with the same key as the site and its worker.
# The port is checked first, so a busy one stops at once (make run PORT=8001).
run: export DJANGO_DEBUG = 1
run: port-free install
	@$(PY) -m common.localenv write
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_directory
	@echo ""
	@echo "  Annuaire public :   http://127.0.0.1:$(PORT)/"
	@echo "  Administration :    http://127.0.0.1:$(PORT)/admin/"
	@echo "  Compte d'équipe :   make staff IDENTIFIANT=prenom GROUPE=administrateur"
	@echo "                      (ou : $(PY) manage.py create_staff prenom --groupe administrateur)"
	@echo "  Commandes locales : $(PY) manage.py …  (local.env : mode debug, la base servie ici)"
	@echo ""
	@echo "  Tâches de fond :    le processus de fond (imports, e-mails…) tourne avec le site"
	@echo ""
	@# The background worker (jobs/) beside the site, stopped with it (Ctrl+C stops both).
	@$(PY) manage.py db_worker --queue-name '*' --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

port-free:
	@$(PYTHON) -c "import socket, sys; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); \
	sys.exit(0) if s.connect_ex(('127.0.0.1', $(PORT))) else sys.exit('Le port $(PORT) est déjà occupé : choisissez-en un autre, par exemple « make run PORT=8001 ».')"

# A staff account without questions, in the database of DATABASE_URL (the private one by
# default):
#   make staff IDENTIFIANT=camille GROUPE=editeur|administrateur [EMAIL=…]
# The password comes from DJANGO_STAFF_PASSWORD, or is drawn and shown once.
staff: export DJANGO_DEBUG = 1
staff: install
	@test -n "$(IDENTIFIANT)" || { echo "Indiquez l'identifiant : make staff IDENTIFIANT=camille [GROUPE=administrateur]"; exit 1; }
	@$(PY) manage.py migrate --no-input --verbosity 0
	$(PY) manage.py create_staff $(IDENTIFIANT) --groupe $(or $(GROUPE),editeur) $(if $(EMAIL),--email $(EMAIL),)

lint: install-test
	$(VENV)/bin/ruff check .

# The suite runs with debug off, as in production: a secret key of its own for this run.
# On both cores (pytest-xdist, one database per worker); the browser tests after, alone.
test: export DJANGO_SECRET_KEY ?= $(shell $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))")
test: install-test
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n 2 --dist loadgroup -m "not e2e"
	$(PY) -m pytest -m e2e

# Lighthouse (mobile and desktop) on the home page, the list and a profile; fails under 100.
tools/lighthouse/node_modules/.bin/lighthouse: tools/lighthouse/package-lock.json
	npm ci --prefix tools/lighthouse --no-audit --no-fund --silent
	touch $@

lighthouse: install tools/lighthouse/node_modules/.bin/lighthouse
	$(PY) benchmarks/lighthouse.py $(LIGHTHOUSE_ARGS)
