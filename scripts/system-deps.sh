#!/usr/bin/env bash
# Install the Debian/Ubuntu packages the app (and, with --test, the test suite) needs, if missing.
# Uses sudo when not root; on a system without apt-get it only says what to install.
set -euo pipefail

app_pkgs=(python3 python3-venv libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0 libgssapi-krb5-2
          libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
          libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xinerama0)
test_pkgs=(postgresql poppler-utils)
test_pkgs+=(libreoffice-calc-nogui)  # the Excel export is checked by converting it with LibreOffice

want=("${app_pkgs[@]}")
[ "${1:-}" = "--test" ] && want+=("${test_pkgs[@]}")

if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "Not a Debian-like system: make sure these are installed: ${want[*]}" >&2
  exit 0
fi
need=()
for pkg in "${want[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "Missing packages (install them as root): ${need[*]}" >&2
    exit 0
  fi
fi
echo "Installing: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
