"""A fault (no stored value explains it) in a data action or in «Акты за месяц всем заказчикам…» is said in a box as
«Внутренняя ошибка: …» — and kept in the log with its traceback (the window program has no terminal; nothing
was logged before)."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from PySide6.QtWidgets import QMessageBox

from ui.ops import Ops


@pytest.fixture
def boxes(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a, **k: shown.append(text))
    return shown


def _logged(caplog, name: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == name and r.levelno == logging.ERROR]


def test_a_data_action_fault_is_logged_with_its_traceback(qtbot, db, boxes, caplog):
    from ui.dialogs.data import actions

    def work():
        raise RuntimeError("disk I/O error")

    with caplog.at_level(logging.ERROR, logger=actions.__name__):
        assert actions._run(Ops(db), None, None, work) is None
    assert boxes == ["Внутренняя ошибка: RuntimeError: disk I/O error"]
    records = _logged(caplog, actions.__name__)
    assert len(records) == 1 and records[0].exc_info is not None and records[0].exc_info[0] is RuntimeError


def test_a_month_acts_fault_is_logged_with_its_traceback(qtbot, db, tmp_path, boxes, caplog, monkeypatch):
    import app.reports.batch
    from ui.dialogs.documents import batch

    def fault(*_args, **_kwargs):
        raise RuntimeError("disk I/O error")

    monkeypatch.setattr(app.reports.batch, "issue_month_acts", fault)
    with caplog.at_level(logging.ERROR, logger=batch.__name__):
        assert batch.issue_month_acts(None, Ops(db), ask=lambda _parent: ("2024-03", tmp_path, date(2024, 4, 1))) is None
    assert boxes == ["Внутренняя ошибка: RuntimeError: disk I/O error"]
    records = _logged(caplog, batch.__name__)
    assert len(records) == 1 and records[0].exc_info is not None and records[0].exc_info[0] is RuntimeError
