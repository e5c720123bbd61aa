# Sourced by run.sh and test.sh: PY = a Python 3.11 or newer (pyproject.toml's requires-python), and a venv made
# by an older one is said, not used (pip failed quietly there and the broken .venv stayed for the next start).
#   PYTHON=/path/to/python3.12   use that one
pick_python() {
  local candidate
  for candidate in ${PYTHON:-} python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 \
        && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      PY=$(command -v "$candidate")
      return 0
    fi
  done
  echo "Нужен Python 3.11 или новее (python3 здесь: $(python3 --version 2>&1 || echo 'не найден'))." \
       "Установите python3.11 (или новее) с модулем venv и запустите снова; другой Python: PYTHON=путь." >&2
  exit 2
}
check_venv_python() {  # $1: the venv folder
  if [ -x "$1/bin/python" ] && ! "$1/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Виртуальное окружение $1 сделано старым Python ($("$1/bin/python" --version 2>&1)): удалите папку $1" \
         "и запустите снова." >&2
    exit 2
  fi
}
venv_folder() {  # before the scripts' cd: VNEDRENIE_VENV as the caller meant it (relative to their folder), else .venv
  local venv=${VNEDRENIE_VENV:-}
  if [ -z "$venv" ]; then echo .venv; return; fi
  case $venv in /*) echo "$venv" ;; *) echo "$PWD/$venv" ;; esac
}
check_venv_checkout() {  # $1: the venv; before an install: refuse one that runs another checkout of the program
  local record="" found url other
  for found in "$1"/lib/python3*/site-packages/vnedrenie-*.dist-info/direct_url.json; do  # the scripts' set -e:
    if [ -f "$found" ]; then record=$found; break; fi                                    # no command may fail
  done
  [ -n "$record" ] || return 0
  url=$(sed -n 's/.*"url": *"file:\/\/\([^"]*\)".*/\1/p' "$record")
  other=$(printf '%b' "${url//%/\\x}")  # pip writes the path percent-encoded
  [ -n "$other" ] && [ -d "$other" ] || return 0  # that checkout is gone: the venv is free
  if [ "$(cd "$other" && pwd -P)" != "$(pwd -P)" ]; then
    echo "Окружение $1 установлено для другой копии программы ($other); установка в него переключила бы ту копию" \
         "на эту ($(pwd -P)). Укажите отдельное окружение (VNEDRENIE_VENV=папка) или удалите $1." >&2
    exit 2
  fi
}
