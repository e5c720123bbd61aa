#!/usr/bin/env bash
# Run a command with no network at all (an empty network namespace): CI's and the tests' offline start.
# As root: `unshare -n`. Otherwise `unshare -rn` (the user mapped to root in a user namespace); where that is
# refused (Ubuntu 24.04's AppArmor forbids unprivileged user namespaces) `sudo -n` cuts the network and
# `setpriv` gives the command back to this user with this environment. Exit 3 when none of these can.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: scripts/offline.sh COMMAND [ARG...]" >&2; exit 2; }
if [ "$(id -u)" = 0 ]; then exec unshare -n -- "$@"; fi
if unshare -rn true 2>/dev/null; then exec unshare -rn -- "$@"; fi
if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  mapfile -d '' -t environment < <(env -0)
  exec sudo -n unshare -n -- setpriv --reuid="$(id -u)" --regid="$(id -g)" --init-groups -- \
    env -i "${environment[@]}" "$@"
fi
echo "Не удалось отключить сеть для проверки: unshare -rn запрещён (на Ubuntu 24.04 его запрещает AppArmor:" \
  "sysctl kernel.apparmor_restrict_unprivileged_userns=0), а sudo без пароля недоступен." \
  "Запустите от root или разрешите одно из двух." >&2
exit 3
