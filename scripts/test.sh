#!/usr/bin/env bash
# Set up (system packages, virtual environment) and run the whole test suite (import contracts, lint, pytest).
# When PostgreSQL binaries are present, a throwaway cluster on 127.0.0.1 also runs the
# persistence and service tests against PostgreSQL. Extra arguments go to pytest.
#   VNEDRENIE_VENV=DIR   another virtual environment (default .venv), as in scripts/run.sh
set -euo pipefail
. "$(dirname "$0")/pick-python.sh"
VENV=$(venv_folder)  # a relative VNEDRENIE_VENV is the caller's, so before the cd
cd "$(dirname "$0")/.."

bash scripts/system-deps.sh --test

check_venv_python "$VENV"
if [ ! -x "$VENV/bin/python" ]; then
  pick_python
  "$PY" -m venv "$VENV"
fi
# As scripts/run.sh: install only when pyproject.toml changed (own stamp: the dev extra), offline first.
STAMP="$VENV/.vnedrenie-dev-installed"
want=$(cat pyproject.toml | { sha256sum 2>/dev/null || shasum -a 256; } | cut -d' ' -f1)
if [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
  check_venv_checkout "$VENV"
  pipq() { "$VENV/bin/python" -m pip --disable-pip-version-check --quiet "$@"; }
  if ! pipq install --no-index --no-build-isolation -e ".[dev]" 2>/dev/null; then
    pipq install --upgrade pip
    pipq install "setuptools>=77" wheel
    pipq install --no-build-isolation -e ".[dev]"
  fi
  echo "$want" > "$STAMP"
fi
"$VENV/bin/python" -m app.i18n >/dev/null  # the shipped catalogue, as set-up and build make it

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
  PORT=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  [ "$(id -u)" = 0 ] && chown postgres "$PGDIR"
  run_pg "$PGBIN/initdb" -D "$PGDIR/data" -U vnedrenie --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  # team members (issue 17) sign in with scram-sha-256 passwords even though the superuser is trusted
  sed -i '1i host all +vnedrenie_team 127.0.0.1/32 scram-sha-256' "$PGDIR/data/pg_hba.conf"
  run_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGDIR -c fsync=off" start >/dev/null
  export VNEDRENIE_TEST_PG_URL="postgresql+psycopg://vnedrenie@127.0.0.1:$PORT/postgres"
  echo "PostgreSQL test server on 127.0.0.1:$PORT"
fi

"$VENV/bin/lint-imports"
"$VENV/bin/ruff" check .
"$VENV/bin/mypy"
# one worker per core (pytest-xdist; each has its own data dir and databases): the suite took 52 of CI's 60
# minutes in one process. VNEDRENIE_TEST_WORKERS=0 runs it in this process; «-n N» among the arguments wins.
"$VENV/bin/python" -m pytest -n "${VNEDRENIE_TEST_WORKERS:-auto}" "$@"
