# The self-check as a container image: the same server `make run` starts, listening on all
# interfaces. Not built in this project's CI (no container engine there); hadolint checks this
# file and tests/test_dockerfile.py keeps its command the same as `make run`'s. See docs/DEPLOY.md.
#
#   docker build -t registry.example.org/screening:1.0.0 .
#   docker run -p 8501:8501 -v screening-data:/app/data registry.example.org/screening:1.0.0

# --- model: the camera aid's face model, the pinned npm package (web/selfcheck/mirror_files.py) -
FROM node:22.12.0-bookworm-slim AS model
WORKDIR /model
RUN npm install --exact --ignore-scripts --no-audit --no-fund @mediapipe/face_mesh@0.4.1657299874

# --- build: the pinned requirements into a virtual environment ------------------------------
FROM python:3.11.14-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
COPY requirements.txt /tmp/requirements.txt
RUN /opt/venv/bin/pip install --no-compile -r /tmp/requirements.txt \
    && /opt/venv/bin/python -m compileall -q /opt/venv
# The files a browser may fetch and their sizes, as `make mirror-files` places them.
COPY --from=model /model/node_modules/@mediapipe/face_mesh /tmp/face_mesh
COPY web/selfcheck/mirror_files.py /tmp/mirror_files.py
RUN /opt/venv/bin/python /tmp/mirror_files.py /tmp/face_mesh /opt/mirror

# --- run: only the environment and the files the app reads ----------------------------------
FROM python:3.11.14-slim-bookworm
# HOME=/tmp: anything that writes to a home directory writes to the one writable place
# (an emptyDir in Kubernetes), so the root file system can be mounted read-only.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp
RUN groupadd --system --gid 10001 screening \
    && useradd --system --uid 10001 --gid screening --no-create-home --shell /usr/sbin/nologin screening
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
# Owned by root and read-only to the app's user: the running app cannot change its own code.
COPY app.py asgi.py questions.yaml clinic.yaml ./
COPY .streamlit/config.toml .streamlit/config.toml
COPY app_pages app_pages
COPY web web
COPY --from=build /opt/mirror/ web/selfcheck/mirror/
COPY screening screening
COPY assets assets
# A broken questionnaire fails the build (as it stops `make run`), and the bytecode is made now
# because the running container may not write it.
RUN python -m screening check \
    && python -m compileall -q /app \
    && install -d -o screening -g screening -m 700 /app/data
# The SQLite database when no SCREENING_DATABASE_URL is given; with PostgreSQL nothing is written.
VOLUME ["/app/data"]
USER 10001:10001
EXPOSE 8501
# No curl in the slim image: Python asks the server's own health route.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"]
CMD ["streamlit", "run", "asgi.py", "--server.port", "8501", "--server.address", "0.0.0.0"]
