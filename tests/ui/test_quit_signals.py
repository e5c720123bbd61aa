"""Ctrl+C (SIGINT) and SIGTERM close the window as its close button does: a user trial's Ctrl+C printed a
KeyboardInterrupt traceback from a timer's slot and the window stayed open for ten minutes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_a_signal_calls_close_on_the_ui_thread(qtbot):
    from ui.quit_signals import QuitOnSignal

    closed: list[bool] = []
    before = signal.getsignal(signal.SIGINT)
    quitter = QuitOnSignal(lambda: closed.append(True))
    try:
        signal.raise_signal(signal.SIGINT)  # noted by the handler, not raised as KeyboardInterrupt
        qtbot.waitUntil(lambda: bool(closed), timeout=5000)
        assert closed == [True]
    finally:
        quitter.uninstall()
    assert signal.getsignal(signal.SIGINT) is before


def _loaded(db: Path) -> bool:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return con.execute("SELECT count(*) FROM alembic_version").fetchone()[0] == 1
        finally:
            con.close()
    except sqlite3.Error:
        return False


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_the_window_closes_on_a_signal_and_saves_its_layout(tmp_path, signum):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", VNEDRENIE_DATA_DIR=str(tmp_path / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "config"), HOME=str(tmp_path))
    db = tmp_path / "w.sqlite3"
    proc = subprocess.Popen([sys.executable, "main.py", "--db", str(db)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not _loaded(db) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
        assert _loaded(db), proc.poll()
        time.sleep(2.0)  # the window shown and idle: only its timers run
        ini = tmp_path / "data" / "settings.ini"
        assert "geometry" not in (ini.read_text() if ini.exists() else "")
        proc.send_signal(signum)
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, (proc.returncode, err)
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert "geometry" in ini.read_text(), "the window's layout was not saved: closed without its closeEvent"
