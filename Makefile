# The two commands of the README: `make report` and `make test`.
# Both build .venv/ from the pinned lock file first (once; again when the lock or pyproject changes).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: report test lint clean-venv

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

report: $(STAMP)
	$(BIN)/framing report data/seed --lexicon russia-ukraine --by outlet --out reports/seed

test: $(STAMP)
	$(BIN)/python -m ruff check framing tests benchmarks tools conftest.py
	$(BIN)/nbstripout --verify notebooks/*.ipynb
	$(BIN)/python -m pytest -n 2

clean-venv:
	rm -rf $(VENV)
