# The README's two commands: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501

.PHONY: run mirror-files test lint typecheck unit e2e deploy-check check-content rules-doc illustrations share-card favicon summary-picture screenshots bench bench-firstload bench-mirror cluster cluster-stop clean help

help:
	@echo "make run            install into .venv and serve the app on http://localhost:$(PORT)"
	@echo "make test           lint, type-check and run every test (the browser ones too)"
	@echo "make e2e            only the browser tests (Chromium: accessibility, phone, keyboard)"
	@echo "make screenshots    photograph every screen on a phone; refresh the README's pictures"
	@echo "make mirror-files   the camera aid's face model (npm, pinned; run by make run)"
	@echo "make check-content  validate questions.yaml and clinic.yaml"
	@echo "make rules-doc      write docs/RULES.md (the rules as plain-English tables)"
	@echo "make deploy-check   only the deployment files (Dockerfile, Kubernetes, one server; docs/DEPLOY.md)"
	@echo "make illustrations  redraw the movement pictures and docs/illustrations.{html,png}"
	@echo "make summary-picture  the README's pictures of the take-away summary PDF"
	@echo "make bench          load benchmark: the app against a bare baseline, 10/50/200 people,"
	@echo "                    and the two-replica cluster; writes bench/RESULTS.md (about 15 min)"
	@echo "make bench-firstload  Lighthouse on a phone: this app against bare Streamlit, direct and"
	@echo "                    behind Caddy with HTTP/2 (about 20 min)"
	@echo "make bench-mirror   the camera aid on a slow phone: download and time to measure"
	@echo "make cluster        2 replicas + nginx (sticky) + PostgreSQL on loopback: localhost:8080"
	@echo "make cluster-stop   end what make cluster started"

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
run: $(VENV)/.installed-app mirror-files
	$(BIN)/python -m screening check
	$(BIN)/streamlit run asgi.py --server.port $(PORT)

check-content: $(VENV)/.installed-app
	$(BIN)/python -m screening check

# docs/RULES.md: the rules as plain-English decision tables, made from questions.yaml (a test
# fails when the committed file is stale).
rules-doc: $(VENV)/.installed-app
	$(BIN)/python -m screening explain > docs/RULES.md

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/hadolint Dockerfile

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

unit: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q --ignore=tests/e2e

# The app in Debian's Chromium (apt-get install chromium chromium-driver; nothing is downloaded):
# flows on a phone and a desktop, axe-core, keyboard; and our FHIR in LHC-Forms (npm package
# lforms, installed once into build/npm/ by the test). Without Chromium (or npm) they are
# skipped with a one-line hint; with CI=true they fail instead.
e2e: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q tests/e2e

# The deployment files alone (make lint and make unit run the same checks as part of make test):
# hadolint, kubectl kustomize + the Kubernetes schemas, systemd-analyze, Caddy, a backup restored.
deploy-check: $(VENV)/.installed-dev
	$(BIN)/hadolint Dockerfile
	$(BIN)/python -m pytest -q tests/test_dockerfile.py tests/test_kubernetes.py \
	  tests/test_single_server.py tests/test_backup.py tests/test_deploy_docs.py tests/test_cli_migrate.py

test: lint typecheck unit e2e

# Redraws assets/illustrations/*.svg and the review sheet. The PNG step needs the Cairo library
# and a font from Debian (libcairo2, fonts-dejavu-core); its output is committed, so `make test`
# never needs them.
illustrations: $(VENV)/.installed-dev
	$(BIN)/python tools/draw_illustrations.py

# The link-preview picture (assets/share.png); needs cairosvg and Debian's fonts-dejavu-core.
share-card: $(VENV)/.installed-dev
	$(BIN)/python -m tools.draw_share_card

# The favicon (assets/favicon.png and .ico, served at /favicon.png and /favicon.ico); Pillow only.
favicon: $(VENV)/.installed-dev
	$(BIN)/python -m tools.draw_favicon

# The README's pictures of the take-away summary: real PDFs from screening/outputs/report.py (into build/),
# page 1 rendered to docs/summary-{en,es}.png by pdftoppm (Debian's poppler-utils).
summary-picture: $(VENV)/.installed-app
	$(BIN)/python tools/summary_picture.py

# The browser tests photograph every screen on a phone into build/screenshots/; this runs them
# and copies the pictures the README shows into docs/screenshots/.
screenshots: $(VENV)/.installed-dev
	$(BIN)/python tools/screenshots.py

# Capacity: the real app and a bare Streamlit baseline in their own server processes, alternating
# (bench/compare.py), at 10, 50 and 200 simulated people; then the cluster below through nginx.
# Writes bench/RESULTS.md and bench/results.json. Loopback only; not part of `make test`.
bench: $(VENV)/.installed-app
	$(BIN)/python bench/standard.py

# A first visit on a phone: Lighthouse 12.2.3 (npm, pinned, into build/npm/) with Debian's
# Chromium, mobile preset, 3 runs each of this app and a bare Streamlit page, plus the time to the
# first question in Playwright on slow 4G; each page directly (HTTP/1.1) and behind the
# deployment's Caddy (HTTPS on loopback, HTTP/2; needs caddy); medians into bench/RESULTS.md
# (about 20 min). ARGS="--via direct" for the direct figures only.
bench-firstload: $(VENV)/.installed-dev
	$(BIN)/python bench/firstload.py $(ARGS)

# The camera aid on a phone (slow 4G, 4x CPU, a fake camera): what it downloads, and the time to
# the first measurement and to the comparison; medians into bench/RESULTS.md (about 10 min).
bench-mirror: $(VENV)/.installed-dev mirror-files
	$(BIN)/python -m bench.mirror

# Two replicas sharing one cookie secret and one PostgreSQL, behind nginx with cookie-sticky
# sessions, all on 127.0.0.1 (Debian's nginx and postgresql; installed when missing, as root).
cluster: $(VENV)/.installed-app
	deploy/cluster.sh start 2

cluster-stop:
	deploy/cluster.sh stop

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis

# The camera aid's face model (npm @mediapipe/face_mesh, pinned) into web/selfcheck/mirror/;
# without npm it says so and the app runs without the aid.
mirror-files: $(VENV)/.installed-app
	$(BIN)/python -m tools.mirror_files
