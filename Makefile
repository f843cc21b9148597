# `make serve` and `make test` work on a fresh machine with only Python 3 (3.11+) present.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
LIGHTHOUSE := .lighthouse/node_modules/.bin/lighthouse

.PHONY: serve test bench lint format lighthouse prove-durability clean

serve: $(VENV)/.runtime-installed
	@# A key file only for a single machine; several machines share SECRET_KEY instead.
	@if [ -z "$$SECRET_KEY$$FLASK_SECRET_KEY" ]; then $(BIN)/python -m app.secret_key; fi
	$(BIN)/flask --app wsgi init-db
	$(BIN)/gunicorn wsgi:app

test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest

# Production setup under load, beside a baseline app and Isso; prints one table (see README).
bench: $(VENV)/.runtime-installed
	$(BIN)/python -m bench
	$(BIN)/python -m bench.spam_filter
# 4 gunicorn workers, 50 readers, 2,000 comments, twice (the second time a worker is killed
# mid-run while a moderator approves); prints what reached the database. About three minutes.
prove-durability: $(VENV)/.dev-installed
	$(BIN)/python -m tests.durability --readers 50 --comments 2000 --workers 4

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check app tests tools bench wsgi.py gunicorn.conf.py

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format app tests tools bench wsgi.py gunicorn.conf.py

# Lighthouse audit of the demo article, served by gunicorn; prints the four scores.
# Needs Node.js and Chromium (CHROME_PATH, default /usr/bin/chromium).
lighthouse: $(VENV)/.runtime-installed $(LIGHTHOUSE)
	$(BIN)/python -m tools.lighthouse

$(LIGHTHOUSE):
	npm install --prefix .lighthouse --no-audit --no-fund --save-exact lighthouse@12.8.2

$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	touch $@

$(VENV)/.runtime-installed: requirements.txt $(VENV)/.created
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt $(VENV)/.runtime-installed
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .lighthouse browser-screenshots bench/.cache
