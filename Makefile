# The README's two commands: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501

.PHONY: run test lint typecheck unit check-content illustrations share-card screenshots clean help

help:
	@echo "make run            install into .venv and serve the app on http://localhost:$(PORT)"
	@echo "make test           lint, type-check and run every test"
	@echo "make check-content  validate questions.yaml and clinic.yaml"
	@echo "make illustrations  redraw the movement pictures and docs/illustrations.{html,png}"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed-app: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.installed-app

# Serves the way a deployment does: headless, on $PORT, settings from .streamlit/config.toml.
run: $(VENV)/.installed-app
	$(BIN)/python -m screening check
	$(BIN)/streamlit run asgi.py --server.port $(PORT)

check-content: $(VENV)/.installed-app
	$(BIN)/python -m screening check

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

unit: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q

test: lint typecheck unit

# Redraws assets/illustrations/*.svg and the review sheet. The PNG step needs the Cairo library
# and a font from Debian (libcairo2, fonts-dejavu-core); its output is committed, so `make test`
# never needs them.
illustrations: $(VENV)/.installed-dev
	$(BIN)/python tools/draw_illustrations.py

# The link-preview picture (assets/share.png); needs cairosvg and Debian's fonts-dejavu-core.
share-card: $(VENV)/.installed-dev
	$(BIN)/python -m tools.draw_share_card

screenshots: $(VENV)/.installed-dev
	$(BIN)/python tools/screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
