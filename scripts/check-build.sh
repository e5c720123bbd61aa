#!/usr/bin/env bash
# Run a built app folder (default dist/vnedrenie) the way a user would, on a temporary data folder:
# --version, headless commands on a temporary database, and the window opened offscreen until its rows
# are loaded. Also checks that the compiled translations and Qt's Russian catalogue are inside.
set -euo pipefail
cd "$(dirname "$0")/.."
DIST=${1:-dist/vnedrenie}
WORK=$(mktemp -d /tmp/vnedrenie-build-check.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export VNEDRENIE_DATA_DIR="$WORK/data" QT_QPA_PLATFORM=offscreen
unset VNEDRENIE_DATABASE_URL
fail() { echo "build check FAILED: $*" >&2; exit 1; }

version=$("$DIST/vnedrenie" --version)
expected=$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -n 1)
[ "$version" = "vnedrenie $expected" ] || fail "--version printed «$version», expected «vnedrenie $expected»"

db="$WORK/check.sqlite3"
id=$("$DIST/vnedrenie" --db "$db" clients add --name "ООО «Проверка сборки»" --inn 7707083893 --kpp 770701001 --approach remote)
[ "$id" = 1 ] || fail "clients add printed «$id»"
listing=$("$DIST/vnedrenie" --db "$db" clients list)
case "$listing" in *"Удалённые конференции"*) ;; *) fail "clients list is not in Russian: $listing";; esac
"$DIST/vnedrenie" --db "$db" log add 1 --kind conference --date 2024-07-02 --minutes 90 >/dev/null \
  || fail "log add failed"
status=0
"$DIST/vnedrenie" --db "$db" report progress 1 -o "$WORK/act.pdf" 2>"$WORK/refused" || status=$?
grep -q "реквизиты" "$WORK/refused" || fail "the refusal is not in Russian: $(cat "$WORK/refused")"
[ "$status" = 2 ] || fail "report without executor details should be refused (status $status)"
"$DIST/vnedrenie" --db "$db" executor set --company "ООО «Исполнитель»" --inn 7707083893 --kpp 770701001 --address "г. Москва" \
  --city Москва --specialist-name "Николаев Артём Сергеевич" --specialist-position "Специалист" >/dev/null
"$DIST/vnedrenie" --db "$db" report progress 1 -o "$WORK/act.pdf" >/dev/null
[ "$(head -c 5 "$WORK/act.pdf")" = "%PDF-" ] || fail "the progress report is not a PDF (fonts or seed data missing?)"

title=$(timeout 120 "$DIST/vnedrenie-gui" --db "$db" --quit-when-loaded 2>"$WORK/gui.err") \
  || fail "the window did not open: $(cat "$WORK/gui.err")"
case "$title" in *"Внедрение"*) ;; *) fail "window title «$title»";; esac
case "$title" in *"Qt: Отмена | &Перейти к:"*) ;; *) fail "Qt's own texts are not Russian: $title";; esac

ls "$DIST"/_internal/i18n/ru/LC_MESSAGES/vnedrenie.mo >/dev/null || fail "compiled translations missing"
ls "$DIST"/_internal/PySide6/Qt/translations/qtbase_ru.qm >/dev/null || fail "qtbase_ru.qm missing"
ls "$DIST"/_internal/resources/icons/vnedrenie-256.png >/dev/null || fail "icon missing"
echo "build check passed: $version; window: $(echo "$title" | tr '\n' ' ')"
