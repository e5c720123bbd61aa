"""A benchmark part that fails leaves no scratch copy in /tmp (a damaged database left ``vn-bench-*/copy.sqlite3``
behind per failed part)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from bench.databases import scratch_copy

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.mark.parametrize("content", [b"\x8f\x02" * 3000, b"SQLite format 3\x00" + b"\x00" * 50])
def test_a_copy_of_no_database_fails_and_leaves_no_folder(tmp_path, private_tmp, content):
    source = tmp_path / "clients-100.sqlite3"
    source.write_bytes(content)
    with pytest.raises(sqlite3.DatabaseError):
        scratch_copy(source)
    assert list(private_tmp.iterdir()) == []


def test_a_window_that_fails_to_open_leaves_no_copy(tmp_path, private_tmp, monkeypatch):
    import bench.run as run
    import bench.window

    def refuse(*args, **kwargs):
        raise RuntimeError("the list shows 0 clients, the database has 100")

    monkeypatch.setattr(bench.window, "WindowBench", refuse)
    source = tmp_path / "clients-100.sqlite3"
    source.write_bytes(b"")  # an empty file copies fine: the window is what refuses it
    with pytest.raises(RuntimeError, match="0 clients"):
        run.run_window(source, 100, ["card"], 1)
    assert list(private_tmp.iterdir()) == []


def test_the_message_guard_made_before_the_window_runs_its_timer():
    """bench.run makes the guard before any QApplication exists (the window parts, the CSV window): it must still
    close a message box, i.e. its timer must run — in a fresh process, as the suite starts."""
    code = ("import os; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
            "from bench.paint import MessageGuard\n"
            "guard = MessageGuard()\n"
            "from PySide6.QtCore import QTimer\n"
            "from PySide6.QtWidgets import QApplication, QMessageBox\n"
            "QTimer.singleShot(0, lambda: QMessageBox.critical(None, 'Внедрение', 'Не удалось открыть базу'))\n"
            "QTimer.singleShot(5000, QApplication.instance().quit)  # a guard that never fires: the box stays\n"
            "timer = QTimer(); timer.setInterval(50)\n"
            "timer.timeout.connect(lambda: guard.seen and QApplication.instance().quit())\n"
            "timer.start()\n"
            "QApplication.instance().exec()\n"
            "print(guard.seen)\n")
    env = {**os.environ, "VNEDRENIE_DATA_DIR": tempfile.mkdtemp(), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['Не удалось открыть базу']", (done.stdout, done.stderr)
    assert "startTimer" not in done.stderr
