#!/usr/bin/env bash
# Build the one-folder desktop app with PyInstaller: dist/vnedrenie/ with the launchers `vnedrenie`
# (console, headless commands) and `vnedrenie-gui` (the window). Sets up .venv as scripts/run.sh does,
# installs PyInstaller into it, compiles the translations, then runs packaging/vnedrenie.spec.
#   bash scripts/build.sh [--check]     --check: also run the built binary (version, a command, the window)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${VNEDRENIE_PYTHON:-.venv/bin/python}
if [ -z "${VNEDRENIE_PYTHON:-}" ]; then
  VNEDRENIE_SETUP_ONLY=1 bash scripts/run.sh
fi
"$PY" -m PyInstaller --version >/dev/null 2>&1 || "$PY" -m pip install --quiet "pyinstaller>=6.10"
"$PY" -m app.i18n >/dev/null
"$PY" -m PyInstaller packaging/vnedrenie.spec --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller
echo "Built: dist/vnedrenie/vnedrenie-gui (window), dist/vnedrenie/vnedrenie (commands)"
if [ "${1:-}" = "--check" ]; then
  bash scripts/check-build.sh dist/vnedrenie
fi
