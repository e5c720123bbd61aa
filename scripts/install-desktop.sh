#!/usr/bin/env bash
# Put «Внедрение» into the desktop's application menu (freedesktop: GNOME, KDE, Xfce…) for this user:
# the .desktop entry, the AppStream metainfo and the icon in every size, under $XDG_DATA_HOME (default
# ~/.local/share). The entry starts the built app (dist/vnedrenie/vnedrenie-gui, see scripts/build.sh)
# when there is one, else the app from this checkout through scripts/run.sh.
#   bash scripts/install-desktop.sh [--prefix DIR] [--uninstall]
#   --prefix DIR   install under DIR/share instead (e.g. /usr/local as root)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
APP_ID=ru.vnedrenie.Vnedrenie
SHARE=${XDG_DATA_HOME:-$HOME/.local/share}
UNINSTALL=""
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) SHARE="$2/share"; shift 2;;
    --uninstall) UNINSTALL=1; shift;;
    *) echo "Unknown option: $1" >&2; exit 2;;
  esac
done
SIZES="16 24 32 48 64 128 256 512"

if [ -n "$UNINSTALL" ]; then
  rm -f "$SHARE/applications/$APP_ID.desktop" "$SHARE/metainfo/$APP_ID.metainfo.xml" \
        "$SHARE/icons/hicolor/scalable/apps/$APP_ID.svg"
  for size in $SIZES; do rm -f "$SHARE/icons/hicolor/${size}x${size}/apps/$APP_ID.png"; done
  echo "Removed $APP_ID from $SHARE"
  exit 0
fi

if [ -x "$ROOT/dist/vnedrenie/vnedrenie-gui" ]; then
  EXEC="\"$ROOT/dist/vnedrenie/vnedrenie-gui\""
else
  EXEC="bash \"$ROOT/scripts/run.sh\""
fi
install -d "$SHARE/applications" "$SHARE/metainfo" "$SHARE/icons/hicolor/scalable/apps"
sed "s|^Exec=.*|Exec=$EXEC|" "packaging/$APP_ID.desktop" > "$SHARE/applications/$APP_ID.desktop"
chmod 644 "$SHARE/applications/$APP_ID.desktop"
install -m 644 "packaging/$APP_ID.metainfo.xml" "$SHARE/metainfo/$APP_ID.metainfo.xml"
install -m 644 resources/icons/vnedrenie.svg "$SHARE/icons/hicolor/scalable/apps/$APP_ID.svg"
for size in $SIZES; do
  install -d "$SHARE/icons/hicolor/${size}x${size}/apps"
  install -m 644 "resources/icons/vnedrenie-$size.png" "$SHARE/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
done
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$SHARE/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$SHARE/icons/hicolor" || true
echo "Installed $APP_ID into $SHARE (starts: $EXEC)"
