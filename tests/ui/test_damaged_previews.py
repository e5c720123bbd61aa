"""A document preview over a value another program wrote: «Документы ▸ Отчёт о ходе внедрения» and «Акт оказанных
услуг» said «Внутренняя ошибка: TypeError: '>' not supported between instances of 'int' and 'str'» for «abc» in
work_log.minutes — no value named, no way out, nothing logged."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from tests.unit.test_damaged_dates import _damage
from ui.dialogs.documents import preview
from ui.dialogs.documents.preview import PdfPreviewDialog


@pytest.fixture
def db_url(demo_file) -> str:
    return f"sqlite:///{demo_file}"


@pytest.fixture
def shown(monkeypatch) -> list[PdfPreviewDialog]:
    """The previews the window opens, kept instead of shown modally."""
    dialogs: list[PdfPreviewDialog] = []
    monkeypatch.setattr(preview, "_run_preview", lambda dialog: dialogs.append(dialog))
    return dialogs


def _error_of(qtbot, dialog: PdfPreviewDialog) -> str:
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.error is not None or dialog.is_ready(), timeout=20000)
    assert dialog.error is not None
    return dialog.error


@pytest.mark.parametrize("document", ["progress", "act"])
def test_the_preview_names_the_value_and_the_way_out(qtbot, tmp_path, demo_file, db, shown, monkeypatch, document):
    from tests.ui.test_main_window import make_window
    from ui.dialogs.documents import period

    _damage(demo_file, "UPDATE work_log SET minutes = 'abc' WHERE id = (SELECT min(id) FROM work_log "
                       "WHERE client_id = 2 AND minutes IS NOT NULL)")
    monkeypatch.setattr(period, "ask_period", lambda *_args: (date(2000, 1, 1), date.today()))
    window = make_window(qtbot, db, tmp_path)
    window.set_current_client(2)
    window.print_progress() if document == "progress" else window.print_act()
    assert len(shown) == 1
    error = _error_of(qtbot, shown[0])
    assert "Внутренняя ошибка" not in error
    assert "таблица work_log" in error and "поле minutes: «abc»" in error
    assert "«Файл ▸ Восстановить из резервной копии…»" in error  # the details too, as the work log tab says
    assert "vnedrenie" not in error  # the command is the CLI's hint
    assert shown[0].info_label.text() == error


def test_a_fault_no_value_explains_is_logged_and_said_as_one(qtbot, tmp_path, db, shown, monkeypatch, caplog):
    from app.services import documents
    from tests.ui.test_main_window import make_window

    def fault(*_args, **_kwargs):
        raise TypeError("'>' not supported between instances of 'int' and 'str'")

    monkeypatch.setattr(documents, "prepare_progress", fault)
    window = make_window(qtbot, db, tmp_path)
    window.set_current_client(2)
    with caplog.at_level(logging.ERROR, logger=preview.__name__):
        window.print_progress()
        error = _error_of(qtbot, shown[0])
    assert error == "Внутренняя ошибка: TypeError: '>' not supported between instances of 'int' and 'str'"
    records = [r for r in caplog.records if r.name == preview.__name__]
    assert len(records) == 1 and records[0].exc_info is not None and records[0].exc_info[0] is TypeError
