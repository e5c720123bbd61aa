#!/usr/bin/env bash
# Set up (system packages, virtual environment) and run the whole test suite (import contracts, lint, pytest).
# When PostgreSQL binaries are present, a throwaway cluster on 127.0.0.1 also runs the
# persistence and service tests against PostgreSQL. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/system-deps.sh --test

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[dev]"

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
PGDIR=""
cleanup() {
  if [ -n "$PGDIR" ] && [ -d "$PGDIR" ]; then
    run_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PGDIR"
  fi
}
trap cleanup EXIT
run_pg() {  # initdb refuses to run as root: use the postgres system user then
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ -z "${VNEDRENIE_TEST_PG_URL:-}" ] && [ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ]; then
  PGDIR=$(mktemp -d /tmp/vnedrenie-pg.XXXXXX)
  PORT=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  [ "$(id -u)" = 0 ] && chown postgres "$PGDIR"
  run_pg "$PGBIN/initdb" -D "$PGDIR/data" -U vnedrenie --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  run_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGDIR -c fsync=off" start >/dev/null
  export VNEDRENIE_TEST_PG_URL="postgresql+psycopg://vnedrenie@127.0.0.1:$PORT/postgres"
  echo "PostgreSQL test server on 127.0.0.1:$PORT"
fi

.venv/bin/lint-imports
.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
