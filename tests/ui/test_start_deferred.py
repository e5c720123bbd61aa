"""Issue 15, start-up: what the window leaves until the client rows are painted (or a part is first shown).

The reminders are read once, in a worker, after the window has painted the rows; the calculator prices its first
quote when its tab is first shown; the first-run page reads the requisites when it is shown; the window's start
imports neither the documents package nor python-stdnum."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from PySide6.QtCore import QSettings

from app.services import reminders
from app.services.demo import fill_demo
from ui.main_window import MainWindow


def _lazy_window(qtbot, tmp_path, db) -> MainWindow:
    window = MainWindow(None, QSettings(str(tmp_path / "lazy.ini"), QSettings.Format.IniFormat), opener=lambda: db)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    return window


def test_reminders_are_read_once_in_a_worker_after_the_rows_are_painted(qtbot, tmp_path, db, monkeypatch):
    fill_demo(db)
    expected = reminders.attention(db)
    assert expected  # the demo has clients needing attention: the panel must end up with them
    calls: list[tuple[bool, bool]] = []  # (on the UI thread, the rows were in the window already)
    real = reminders.attention
    window = _lazy_window(qtbot, tmp_path, db)

    def spy(*args, **kwargs):
        calls.append((threading.current_thread() is threading.main_thread(), window.is_loaded()))
        return real(*args, **kwargs)

    monkeypatch.setattr(reminders, "attention", spy)
    window.show()
    assert window.wait_for_rows(60_000)
    qtbot.waitUntil(lambda: bool(calls), timeout=10_000)  # started by the paint of the rows
    window.wait_for_background()
    assert calls == [(False, True)]
    panel = window.week.attention
    assert panel.model.rows() == expected
    assert panel.title.text() == f"Требует внимания ({len(expected)})"


def test_calculator_and_first_run_page_read_when_first_shown(qtbot, tmp_path, db, monkeypatch):
    from app.services import estimates
    from app.services.documents import executor as paper

    fill_demo(db)
    contexts, requisites = [], []
    real_context, real_executor = estimates.pricing_context, paper.get_executor_on_paper
    monkeypatch.setattr(estimates, "pricing_context", lambda *a: contexts.append(1) or real_context(*a))
    # the page reads the requisites as documents print them (the profile counts: issue 17)
    monkeypatch.setattr(paper, "get_executor_on_paper", lambda *a: requisites.append(1) or real_executor(*a))
    window = _lazy_window(qtbot, tmp_path, db)
    window.show()
    assert window.wait_for_rows(60_000)
    window.wait_for_background()
    area = window.work_area
    assert area.calculator.is_stale() and contexts == [] and requisites == []
    area.tabs.setCurrentWidget(area.calculator)
    qtbot.waitUntil(lambda: not area.calculator.is_stale(), timeout=5_000)
    assert contexts == [1]
    assert area.calculator.comparison_model.rowCount() == 3  # the three approaches compared, as before
    assert requisites == []  # the first-run page stays hidden behind the clients
    area.setCurrentWidget(area.empty_state)
    qtbot.waitUntil(lambda: requisites == [1], timeout=5_000)


def test_window_start_imports_neither_documents_nor_stdnum(tmp_path):
    from app.config import sqlite_url
    from app.persistence.db import open_database

    url = sqlite_url(str(tmp_path / "start.sqlite3"))
    filled = open_database(url)
    fill_demo(filled)
    filled.dispose()
    code = ("import os, sys; os.environ['QT_QPA_PLATFORM']='offscreen'; import ui; "
            f"w = ui.create_main_window({url!r}); assert w.wait_for_rows(60_000); "
            "print(','.join(m for m in ('app.services.documents', 'stdnum') if m in sys.modules))")
    env = {**os.environ, "VNEDRENIE_DATA_DIR": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=root,
                            env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1:] in ([""], []), result.stdout
