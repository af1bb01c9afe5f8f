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
	# JupyterLab from this venv also starts as root (containers, CI); the setting lives in the venv only
	mkdir -p $(VENV)/etc/jupyter && printf '{"ServerApp": {"allow_root": true}}\n' > $(VENV)/etc/jupyter/jupyter_server_config.json
	touch $(STAMP)

report: $(STAMP)
	$(BIN)/framing report data/seed --lexicon russia-ukraine --by outlet --out reports/seed

test: $(STAMP)
	$(BIN)/python -m ruff check framing tests benchmarks tools conftest.py
	$(BIN)/nbstripout --verify --keep-id notebooks/*.ipynb
	$(BIN)/python -m pytest -n 2

clean-venv:
	rm -rf $(VENV)
