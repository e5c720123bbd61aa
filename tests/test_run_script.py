"""Issue 14, point 1: after the first set-up, README command 1 (`bash scripts/run.sh`) installs nothing,
starts about as fast as `python main.py` and works with no network at all (`unshare -n`), printing no
warning. The set-up itself is simulated: a virtual environment built of links to the one running the
tests, with the stamp scripts/run.sh writes after an install."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints()"  # the offscreen plugin, not us


def no_network() -> list[str]:
    """scripts/offline.sh: a new network namespace with nothing in it (as CI's offline start)."""
    return ["bash", str(ROOT / "scripts" / "offline.sh")]


@pytest.fixture
def set_up_venv(tmp_path) -> Path:
    """A venv that is what scripts/run.sh leaves after its first run: python, packages, stamp."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    shutil.copy(Path(sys.prefix) / "pyvenv.cfg", venv / "pyvenv.cfg")
    (venv / "bin" / "python").symlink_to(os.path.realpath(sys.executable))
    (venv / "lib").symlink_to(Path(sys.prefix) / "lib")
    stamp = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    (venv / ".vnedrenie-installed").write_text(stamp + "\n")
    subprocess.run([str(venv / "bin" / "python"), "-m", "app.i18n"], cwd=ROOT, check=True, capture_output=True,
                   timeout=120)
    return venv


def run_offline(venv: Path, tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess, float]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "VNEDRENIE_VENV": str(venv),
           "VNEDRENIE_DATA_DIR": str(tmp_path / "data"), "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}
    started = time.monotonic()
    result = subprocess.run([*no_network(), "bash", str(ROOT / "scripts" / "run.sh"), *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=180)
    return result, time.monotonic() - started


def test_run_script_starts_offline_without_installing(set_up_venv, tmp_path):
    stamp = (set_up_venv / ".vnedrenie-installed").read_text()
    result, took = run_offline(set_up_venv, tmp_path, "--version")
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    assert result.stdout.strip() == "vnedrenie 0.1.0"
    assert (set_up_venv / ".vnedrenie-installed").read_text() == stamp

    started = time.monotonic()
    direct = subprocess.run([str(set_up_venv / "bin" / "python"), "main.py", "--version"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    plain = time.monotonic() - started
    assert direct.stdout == result.stdout
    assert took < 2 * plain + 1.5, (took, plain)  # no pip, no apt: the same start plus a hash of one file


def test_run_script_runs_commands_and_the_window_offline(set_up_venv, tmp_path):
    db = str(tmp_path / "offline.sqlite3")
    result, _ = run_offline(set_up_venv, tmp_path, "--db", db, "clients", "add", "--name", "ООО «Ромашка»",
                            "--inn", "7707083893", "--approach", "remote")
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "1", "")
    result, _ = run_offline(set_up_venv, tmp_path, "--db", db, "--quit-when-loaded")
    assert result.returncode == 0
    # the title names the database (issue 11: two windows on two databases differ)
    assert result.stdout.splitlines() == [f"Внедрение АСУ «Менеджмент» — {db}", "Qt: Отмена | &Перейти к:"]
    warnings = [line for line in result.stderr.splitlines() if line.strip() and line.strip() != OFFSCREEN_NOISE]
    assert warnings == []


def test_a_changed_pyproject_means_a_new_install(set_up_venv, tmp_path):
    """The stamp is what decides: a stale one makes run.sh install (and fail here, with no network)."""
    (set_up_venv / ".vnedrenie-installed").write_text("stale\n")
    (set_up_venv / "bin" / "python").unlink()  # an install must not touch the shared environment
    fake = set_up_venv / "bin" / "python"
    fake.write_text("#!/bin/sh\ncase \"$*\" in *version_info*) exit 0 ;; esac\n"  # a 3.11+ venv python
                    "echo \"python $*\" >> \"$(dirname \"$0\")/../calls\"\nexit 1\n")
    fake.chmod(0o755)
    env = {"PATH": f"{tmp_path / 'nobin'}:/usr/bin:/bin", "HOME": str(tmp_path), "VNEDRENIE_VENV": str(set_up_venv)}
    (tmp_path / "nobin").mkdir()
    (tmp_path / "nobin" / "dpkg").write_text("#!/bin/sh\nexit 0\n")  # system-deps.sh: all installed
    (tmp_path / "nobin" / "dpkg").chmod(0o755)
    result = subprocess.run(["bash", str(ROOT / "scripts" / "run.sh"), "--version"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    calls = (set_up_venv / "calls").read_text()
    assert "-m pip --disable-pip-version-check --quiet install --no-index --no-build-isolation --editable ." in calls


def _fake_python(folder: Path, name: str, version: str) -> None:
    """A ``python`` that reports ``version`` (major.minor) to the scripts' version check."""
    folder.mkdir(parents=True, exist_ok=True)
    major, minor = version.split(".")
    script = folder / name
    script.write_text("#!/bin/sh\n"
                      f"case \"$*\" in *version_info*) [ {major}{int(minor):02d} -ge 311 ]; exit $? ;; esac\n"
                      f"echo 'Python {version}.0'\n")
    script.chmod(0o755)


def test_an_old_python_is_said_in_russian_not_used(tmp_path):
    """On a machine whose python3 is 3.10 (Ubuntu 22.04) the venv was made, pip failed quietly and the broken venv
    stayed (tester I, 2026-12-05): the scripts look for 3.11 or newer and say so when there is none."""
    bin_dir = tmp_path / "bin"
    _fake_python(bin_dir, "python3", "3.10")
    env = {"PATH": str(bin_dir), "HOME": str(tmp_path), "LANG": "C.UTF-8"}  # no other Python to be found
    result = subprocess.run(["/bin/bash", "-c", ". scripts/pick-python.sh; pick_python; echo \"$PY\""], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "Нужен Python 3.11 или новее" in result.stderr and "3.10" in result.stderr
    _fake_python(bin_dir, "python3.12", "3.12")
    result = subprocess.run(["/bin/bash", "-c", ". scripts/pick-python.sh; pick_python; echo \"$PY\""], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0 and result.stdout.strip() == str(bin_dir / "python3.12")


def test_a_venv_made_by_an_old_python_is_said(tmp_path):
    _fake_python(tmp_path / "old-venv" / "bin", "python", "3.10")
    result = subprocess.run(["/bin/bash", "-c", f". scripts/pick-python.sh; check_venv_python {tmp_path / 'old-venv'}"],
                            cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "удалите папку" in result.stderr


def test_a_relative_venv_is_the_callers(set_up_venv, tmp_path):
    """``VNEDRENIE_VENV=venv`` names the caller's folder's venv, not one inside the checkout (tester J: the scripts
    changed to the checkout before reading it)."""
    mine = set_up_venv.rename(set_up_venv.with_name(f"venv-{os.getpid()}-{time.monotonic_ns()}"))
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "VNEDRENIE_VENV": mine.name,
           "VNEDRENIE_DATA_DIR": str(tmp_path / "data"), "LANG": "C.UTF-8"}
    try:
        result = subprocess.run(["bash", str(ROOT / "scripts" / "run.sh"), "--version"], cwd=mine.parent, env=env,
                                capture_output=True, text=True, timeout=300)
        assert not (ROOT / mine.name).exists()
    finally:  # the scripts before made a venv of that name in the checkout
        shutil.rmtree(ROOT / mine.name, ignore_errors=True)
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "vnedrenie 0.1.0", "")


def _venv_installed_for(venv: Path, checkout: str) -> None:
    """A venv whose program is installed from ``checkout`` (the record pip writes, its path percent-encoded)."""
    from urllib.parse import quote

    info = venv / "lib" / "python3.11" / "site-packages" / "vnedrenie-0.1.0.dist-info"
    info.mkdir(parents=True)
    record = {"dir_info": {"editable": True}, "url": "file://" + quote(checkout)}
    (info / "direct_url.json").write_text(json.dumps(record))


def _check_checkout(venv: Path) -> subprocess.CompletedProcess:
    """The check as the scripts run it: under ``set -euo pipefail``, where any failing command ends the script
    (a first version ended test.sh with status 2 on a fresh venv: ``ls`` of a missing record failed)."""
    result = subprocess.run(["/bin/bash", "-c", f"set -euo pipefail; . scripts/pick-python.sh; "
                                                f"check_venv_checkout '{venv}'; echo checked"], cwd=ROOT,
                            capture_output=True, text=True, timeout=30)
    assert (result.stdout.strip() == "checked") == (result.returncode == 0), result
    return result


def test_a_venv_of_another_checkout_is_not_moved_to_this_one(tmp_path):
    """An install into a venv that runs another checkout would silently switch that checkout's program to this one
    (tester J): it is said instead, with exit 2; this checkout's own venv, or one whose checkout is gone, is used."""
    other = tmp_path / "другая копия"
    other.mkdir()
    _venv_installed_for(tmp_path / "theirs", str(other))
    result = _check_checkout(tmp_path / "theirs")
    assert result.returncode == 2
    assert f"установлено для другой копии программы ({other})" in result.stderr
    assert "VNEDRENIE_VENV=папка" in result.stderr
    _venv_installed_for(tmp_path / "ours", str(ROOT))
    assert _check_checkout(tmp_path / "ours").returncode == 0
    _venv_installed_for(tmp_path / "orphan", str(tmp_path / "gone"))
    assert _check_checkout(tmp_path / "orphan").returncode == 0
    assert _check_checkout(tmp_path / "new").returncode == 0  # no venv yet
    (tmp_path / "fresh" / "lib" / "python3.11" / "site-packages").mkdir(parents=True)
    assert _check_checkout(tmp_path / "fresh").returncode == 0  # a venv with nothing installed yet


@pytest.mark.parametrize("script", ["run.sh", "test.sh"])
def test_both_scripts_ask_before_installing(tmp_path, script):
    """run.sh and test.sh refuse, before pip runs, to install into a venv of another checkout."""
    venv = tmp_path / "venv"
    other = tmp_path / "other"
    other.mkdir()
    _venv_installed_for(venv, str(other))
    fake = venv / "bin" / "python"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\ncase \"$*\" in *version_info*) exit 0 ;; esac\n"
                    "echo \"python $*\" >> \"$(dirname \"$0\")/../calls\"\nexit 1\n")
    fake.chmod(0o755)
    (tmp_path / "nobin").mkdir()
    (tmp_path / "nobin" / "dpkg").write_text("#!/bin/sh\nexit 0\n")  # system-deps.sh: all installed
    (tmp_path / "nobin" / "dpkg").chmod(0o755)
    env = {"PATH": f"{tmp_path / 'nobin'}:/usr/bin:/bin", "HOME": str(tmp_path), "VNEDRENIE_VENV": str(venv)}
    result = subprocess.run(["bash", str(ROOT / "scripts" / script)], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert "установлено для другой копии программы" in result.stderr
    assert not (venv / "calls").exists()  # pip never ran
