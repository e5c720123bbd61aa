#!/usr/bin/env bash
# Set up (system packages, virtual environment) and open the app on its default SQLite database.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
exec .venv/bin/python main.py "$@"
