#!/usr/bin/env bash
# Open the app on its default SQLite database (arguments go to main.py, e.g. --db FILE or a command).
#
# The first run sets up: Debian packages (scripts/system-deps.sh), the virtual environment .venv, the
# app installed into it in editable mode, and the compiled translations. A stamp in the venv keeps the
# hash of pyproject.toml: while it matches, nothing is installed or checked on the network, so later
# starts take as long as `python main.py` and work offline. After an edit of pyproject.toml the install
# runs again, first from what is already in the venv (offline), then from the package index if needed.
#   VNEDRENIE_VENV=DIR   another virtual environment (default .venv; relative to the folder you run from); one
#                        installed for another checkout is refused, not switched to this one
#   VNEDRENIE_SETUP_ONLY=1   set up, do not start (scripts/build.sh uses it)
set -euo pipefail
. "$(dirname "$0")/pick-python.sh"
VENV=$(venv_folder)  # a relative VNEDRENIE_VENV is the caller's, so before the cd
cd "$(dirname "$0")/.."
STAMP="$VENV/.vnedrenie-installed"
MO=i18n/ru/LC_MESSAGES/vnedrenie.mo

want=$(cat pyproject.toml | { sha256sum 2>/dev/null || shasum -a 256; } | cut -d' ' -f1)
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
  bash scripts/system-deps.sh
  check_venv_python "$VENV"
  if [ ! -x "$VENV/bin/python" ]; then pick_python; "$PY" -m venv "$VENV"; fi
  check_venv_checkout "$VENV"
  pipq() { "$VENV/bin/python" -m pip --disable-pip-version-check --quiet "$@"; }
  # The build backend goes into the venv once, so the editable install never needs build isolation
  # (which would fetch setuptools from the index at every install).
  if ! pipq install --no-index --no-build-isolation --editable . 2>/dev/null; then
    pipq install --upgrade pip
    pipq install "setuptools>=77" wheel
    pipq install --no-build-isolation --editable .
  fi
  echo "$want" > "$STAMP"
fi
# Translations ship compiled: again only when a catalogue changed (a cheap file-time comparison).
if [ ! -f "$MO" ] || [ -n "$(find i18n -name '*.po' -newer "$MO" -print -quit)" ]; then
  "$VENV/bin/python" -m app.i18n >/dev/null
fi
[ -n "${VNEDRENIE_SETUP_ONLY:-}" ] && exit 0
exec "$VENV/bin/python" main.py "$@"
