#!/usr/bin/env bash
# A small cluster on this machine's loopback: PostgreSQL, N app replicas sharing one cookie secret
# and one database, and nginx in front with sticky sessions. For trying scale-out and measuring
# it (bench/cluster_check.py), not for production (see docs/SCALING.md).
#
#   deploy/cluster.sh start [REPLICAS]   # default 2; prints the address
#   deploy/cluster.sh stop               # ends everything it started and deletes the database
#   deploy/cluster.sh status
#
# Ports: NGINX_PORT (8080), APP_PORT (8601, then +1 per replica), PG_PORT (55442). State, logs and
# secrets go to CLUSTER_DIR (build/cluster). nginx and PostgreSQL come from Debian's packages and
# are installed when missing (as root). With CLUSTER_DATABASE_URL set (an existing PostgreSQL
# database, e.g. a managed one), the replicas use it and no PostgreSQL is started.
set -Eeuo pipefail
cd "$(dirname "$0")/.."

DIR=${CLUSTER_DIR:-$PWD/build/cluster}
NGINX_PORT=${NGINX_PORT:-8080}
APP_PORT=${APP_PORT:-8601}
PG_PORT=${PG_PORT:-55442}
PY=${PYTHON:-$PWD/.venv/bin/python}
AS=()
[ "$(id -u)" = 0 ] && AS=(runuser -u postgres --)  # initdb and postgres refuse to run as root

need_packages() {
  local missing=()
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]} (Debian packages)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1; }

port_free() {
  "$PY" -c 'import socket,sys; s=socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1])))' "$1" \
    2>/dev/null
}

wait_for() {  # URL, seconds
  local i
  for ((i = 0; i < $2 * 2; i++)); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "no answer from $1" >&2
  return 1
}

start_postgres() {
  local bin password pg
  bin=$(pg_bin)
  # Its own folder under /tmp: the postgres user must be able to reach it.
  pg=$(mktemp -d /tmp/screening-cluster-pg.XXXXXX)
  echo "$pg" >"$DIR/pg_dir"
  password=$("$PY" -c 'import secrets; print(secrets.token_hex(16))')
  echo "$password" >"$pg/pw"
  chmod 600 "$pg/pw"
  if [ ${#AS[@]} -gt 0 ]; then chown -R postgres: "$pg"; fi
  "${AS[@]}" "$bin/initdb" -D "$pg/data" -U postgres --pwfile="$pg/pw" \
    -A scram-sha-256 --no-sync >"$DIR/pg-initdb.log" 2>&1 || { cat "$DIR/pg-initdb.log"; return 1; }
  "${AS[@]}" "$bin/pg_ctl" -D "$pg/data" -l "$pg/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $pg -c max_connections=200" >/dev/null \
    || { cat "$pg/server.log"; return 1; }
  PGPASSWORD=$password "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres screening
  echo "postgresql+psycopg://postgres:$password@127.0.0.1:$PG_PORT/screening" >"$DIR/database_url"
  chmod 600 "$DIR/database_url"
}

start_replica() {  # index
  local port=$((APP_PORT + $1))
  port_free "$port" || { echo "port $port is taken" >&2; return 1; }
  SCREENING_DATABASE_URL=$(cat "$DIR/database_url") \
    STREAMLIT_SERVER_COOKIE_SECRET=$(cat "$DIR/cookie_secret") \
    STREAMLIT_SERVER_FILE_WATCHER_TYPE=none \
    nohup "$PY" -m streamlit run asgi.py --server.port "$port" --server.address 127.0.0.1 \
    >"$DIR/replica-$1.log" 2>&1 &
  echo $! >"$DIR/replica-$1.pid"
}

start_nginx() {  # replicas
  local upstreams="" i user=""
  for ((i = 0; i < $1; i++)); do
    upstreams+="        server 127.0.0.1:$((APP_PORT + i)) max_fails=3 fail_timeout=10s;"$'\n'
  done
  mkdir -p "$DIR/nginx-tmp"
  if [ "$(id -u)" = 0 ]; then  # workers drop to nobody; they only need their temp folder
    user="user nobody nogroup;"
    chown nobody: "$DIR/nginx-tmp"
  fi
  UPSTREAMS=$upstreams USER_LINE=$user RUN=$DIR PORT=$NGINX_PORT "$PY" - \
    deploy/nginx.conf.template "$DIR/nginx.conf" <<'EOF'
import os, sys
text = open(sys.argv[1]).read()
for name, value in (("@USER@", os.environ["USER_LINE"]), ("@RUN@", os.environ["RUN"]),
                    ("@PORT@", os.environ["PORT"]), ("@UPSTREAMS@\n", os.environ["UPSTREAMS"])):
    text = text.replace(name, value)
open(sys.argv[2], "w").write(text)
EOF
  nginx -t -q -c "$DIR/nginx.conf" -p "$DIR" -e "$DIR/nginx-error.log"
  nginx -c "$DIR/nginx.conf" -p "$DIR" -e "$DIR/nginx-error.log"
}

start() {
  local replicas=${1:-2} i
  if [ -f "$DIR/running" ]; then
    echo "already running (deploy/cluster.sh stop first)" >&2
    exit 1
  fi
  [ -x "$PY" ] || { echo "no $PY: run make test or make run first" >&2; exit 1; }
  need_packages
  port_free "$NGINX_PORT" || { echo "port $NGINX_PORT is taken" >&2; exit 1; }
  if [ -z "${CLUSTER_DATABASE_URL:-}" ]; then
    port_free "$PG_PORT" || { echo "port $PG_PORT is taken (set PG_PORT)" >&2; exit 1; }
  fi
  rm -rf "$DIR"
  mkdir -p "$DIR"
  chmod 700 "$DIR"
  echo "$replicas" >"$DIR/running"
  trap 'echo "start failed; stopping what started" >&2; stop' ERR
  if [ -n "${CLUSTER_DATABASE_URL:-}" ]; then
    echo "$CLUSTER_DATABASE_URL" >"$DIR/database_url"
    chmod 600 "$DIR/database_url"
  else
    start_postgres
  fi
  # One cookie secret for every replica: a cookie signed by one must verify on the others.
  "$PY" -c 'import secrets; print(secrets.token_urlsafe(32))' >"$DIR/cookie_secret"
  chmod 600 "$DIR/cookie_secret"
  for ((i = 0; i < replicas; i++)); do start_replica "$i"; done
  for ((i = 0; i < replicas; i++)); do wait_for "http://127.0.0.1:$((APP_PORT + i))/ready" 90; done
  start_nginx "$replicas"
  wait_for "http://127.0.0.1:$NGINX_PORT/ready" 30
  trap - ERR
  echo "cluster: http://127.0.0.1:$NGINX_PORT/ -> $replicas replicas on ports" \
    "$APP_PORT..$((APP_PORT + replicas - 1)); logs in $DIR"
}

stop() {
  local pid f
  if [ -f "$DIR/nginx.pid" ]; then
    nginx -c "$DIR/nginx.conf" -p "$DIR" -e "$DIR/nginx-error.log" -s quit 2>/dev/null || true
  fi
  for f in "$DIR"/replica-*.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$f"
  done
  if [ -f "$DIR/pg_dir" ]; then
    local pg
    pg=$(cat "$DIR/pg_dir")
    if [ -d "$pg/data" ]; then
      "${AS[@]}" "$(pg_bin)/pg_ctl" -D "$pg/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$pg" "$DIR/pg_dir"
  fi
  rm -f "$DIR/running" "$DIR/database_url" "$DIR/cookie_secret"
  echo "cluster stopped"
}

status() {
  local f
  [ -f "$DIR/running" ] || { echo "not running"; return 0; }
  for f in "$DIR"/replica-*.pid; do
    kill -0 "$(cat "$f")" 2>/dev/null && echo "$(basename "$f" .pid): up" || echo "$f: down"
  done
  curl -fsS "http://127.0.0.1:$NGINX_PORT/ready" && echo " (through nginx)"
}

case "${1:-}" in
  start) start "${2:-2}" ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start [REPLICAS] | stop | status" >&2; exit 2 ;;
esac
