# The two commands of the README:
#   make run   — installs, loads the real data into SQLite and serves the site
#   make test  — installs everything the tests need and runs the whole suite
# DATABASE_URL switches both to PostgreSQL.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test install install-test lint

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)

install: $(VENV)/bin/activate
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .

install-test: $(VENV)/bin/activate
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	npm ci --no-audit --no-fund --silent

# make run is for a laptop: debug on (a throw-away secret key), SQLite unless DATABASE_URL.
run: export DJANGO_DEBUG = 1
run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_directory
	@echo ""
	@echo "  Annuaire public :   http://127.0.0.1:$(PORT)/"
	@echo "  Administration :    http://127.0.0.1:$(PORT)/admin/"
	@echo "  Compte d'équipe :   $(PY) manage.py createsuperuser"
	@echo "                      (puis, dans l'administration, ajoutez les comptes de l'équipe"
	@echo "                      au groupe « Éditeurs » ou « Administrateurs »)"
	@echo ""
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install-test
	$(VENV)/bin/ruff check .

# The suite runs with debug off, as in production: a secret key of its own for this run.
test: export DJANGO_SECRET_KEY ?= $(shell $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))")
test: install-test
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest
