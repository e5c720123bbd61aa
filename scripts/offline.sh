#!/usr/bin/env bash
# Run a command with no network at all (an empty network namespace): CI's and the tests' offline start.
# As root: `unshare -n`. Otherwise `unshare -rn` (the user mapped to root in a user namespace); where that is
# refused (Ubuntu 24.04's AppArmor forbids unprivileged user namespaces) `sudo -n` cuts the network and
# `setpriv` gives the command back to this user with this environment. Exit 3 when none of these can.
# The namespace's loopback is brought up first (`ip`, where iproute2 is installed): 127.0.0.1 works inside.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: scripts/offline.sh COMMAND [ARG...]" >&2; exit 2; }
LO_UP='if command -v ip >/dev/null; then ip link set lo up 2>/dev/null; fi; exec "$@"'
if [ "$(id -u)" = 0 ]; then exec unshare -n -- bash -c "$LO_UP" offline "$@"; fi
if unshare -rn true 2>/dev/null; then exec unshare -rn -- bash -c "$LO_UP" offline "$@"; fi
if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  mapfile -d '' -t environment < <(env -0)
  exec sudo -n unshare -n -- bash -c "$LO_UP" offline setpriv --reuid="$(id -u)" --regid="$(id -g)" --init-groups -- \
    env -i "${environment[@]}" "$@"
fi
echo "Не удалось отключить сеть для проверки: unshare -rn запрещён (на Ubuntu 24.04 его запрещает AppArmor:" \
  "sysctl kernel.apparmor_restrict_unprivileged_userns=0), а sudo без пароля недоступен." \
  "Запустите от root или разрешите одно из двух." >&2
exit 3
