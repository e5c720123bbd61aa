"""scripts/offline.sh, the no-network wrapper of CI's offline start and of tests/test_run_script.py: it really
leaves only the loopback, for root and for a plain user, and where a plain user may not make a user namespace
(Ubuntu 24.04) it goes through `sudo -n` keeping the environment, or says in Russian why it cannot (exit 3)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


@pytest.fixture
def open_dir():
    """A folder every user can read (a plain user's PATH must reach the fakes; pytest's tmp folders are private)."""
    folder = Path(tempfile.mkdtemp(prefix="vnedrenie-offline-", dir="/tmp"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "offline.sh"


def as_plain_user(args: list[str]) -> list[str]:
    """The command as a user without privileges (nobody when the tests run as root)."""
    return ["runuser", "-u", "nobody", "--", *args] if os.geteuid() == 0 else args


def interfaces(output: str) -> list[str]:
    return [line.split(":")[0].strip() for line in output.splitlines()[2:]]


@pytest.mark.parametrize("plain", [False, True], ids=["this user", "a plain user"])
def test_only_the_loopback_is_left(plain):
    command = ["bash", str(SCRIPT), "cat", "/proc/net/dev"]
    result = subprocess.run(as_plain_user(command) if plain else command, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert interfaces(result.stdout) == ["lo"]


LOOPBACK_ROUND_TRIP = ("import socket; server = socket.socket(); server.bind(('127.0.0.1', 0)); server.listen(); "
                       "socket.create_connection(server.getsockname(), timeout=5); print('loopback ok')")


@pytest.mark.parametrize("plain", [False, True], ids=["this user", "a plain user"])
def test_the_loopback_is_up_inside(plain):
    """127.0.0.1 works inside (a test server, PostgreSQL on the loopback); in a new namespace lo starts down."""
    command = ["bash", str(SCRIPT), "python3", "-c", LOOPBACK_ROUND_TRIP]
    result = subprocess.run(as_plain_user(command) if plain else command, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "loopback ok"


def fake_tools(folder: Path, *, sudo: bool) -> dict[str, str]:
    """unshare that refuses user namespaces as AppArmor does; with sudo: a sudo and a setpriv that only pass on."""
    folder.mkdir()
    folder.chmod(0o777)  # the fake sudo notes its calls here, as a plain user
    tools = {"unshare": 'case " $* " in *" -rn "*) echo "unshare: write failed /proc/self/uid_map" >&2; exit 1;; esac\n'
                        'while [ "$1" != -- ]; do shift; done; shift; exec "$@"\n'}
    if sudo:
        tools["sudo"] = '[ "$1" = -n ] && shift; echo "$*" >> "$(dirname "$0")/sudo-ran"; exec "$@"\n'
        tools["setpriv"] = 'while [ "$1" != -- ]; do shift; done; shift; exec "$@"\n'
    for name, body in tools.items():
        path = folder / name
        path.write_text("#!/bin/bash\n" + body)
        path.chmod(0o755)
    return {"PATH": f"{folder}:/usr/bin:/bin", "HOME": "/tmp", "VNEDRENIE_MARK": "кириллица и пробел"}


def test_refused_user_namespace_goes_through_sudo_keeping_the_environment(open_dir):
    env = fake_tools(open_dir / "bin", sudo=True)
    result = subprocess.run(as_plain_user(["env", *[f"{k}={v}" for k, v in env.items()], "bash", str(SCRIPT),
                                           "env"]), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    seen = dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    ran = (open_dir / "bin" / "sudo-ran").read_text().splitlines()  # through sudo, not the refused unshare -rn
    assert ran[-1].startswith("unshare -n -- bash -c ") and " offline setpriv --reuid=" in ran[-1]
    assert ran[-1].endswith(" env")
    assert seen["VNEDRENIE_MARK"] == "кириллица и пробел"
    assert seen["PATH"] == env["PATH"]


def test_no_way_to_cut_the_network_is_said_not_run_online(open_dir):
    env = fake_tools(open_dir / "bin", sudo=False)
    result = subprocess.run(as_plain_user(["env", *[f"{k}={v}" for k, v in env.items()], "bash", str(SCRIPT),
                                           "touch", str(open_dir / "ran")]), capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 3
    assert "Не удалось отключить сеть" in result.stderr and "sudo" in result.stderr
    assert not (open_dir / "ran").exists()


def test_the_test_command_uses_the_chosen_venv():
    """scripts/test.sh honours VNEDRENIE_VENV as scripts/run.sh does: no tool is called from a fixed .venv."""
    text = (ROOT / "scripts" / "test.sh").read_text()
    assert "VENV=$(venv_folder)" in text  # scripts/pick-python.sh: VNEDRENIE_VENV, else .venv
    assert [line for line in text.splitlines() if ".venv/" in line and not line.lstrip().startswith("#")] == []
