"""Issue 11 §3: batch documents in the window — Документы ▸ «Акты за месяц всем заказчикам…» issues the month's
acts of every client with billable work through app.reports.batch (the same batch as `report acts`), in the
background with «n из N» progress and a working «Отмена» that stops between documents."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QProgressBar, QProgressDialog, QPushButton

from app.persistence.models import WorkLogEntry
from app.reports.batch import ISSUED, SKIPPED
from app.services import documents as docs
from tests.reports.helpers import CLIENT_NAME, add_remote_client, build_world, clear_executor
from tests.ui.test_main_window import make_window
from ui.actions import MainAction
from ui.dialogs.documents import batch as batch_dialog
from ui.tasks import Progress

MONTH = ("2026-03", date(2026, 3, 31))


@pytest.fixture
def window(qtbot, db, tmp_path, monkeypatch):
    build_world(db)
    other = add_remote_client(db, "ООО «Альфа»", "7736050003", approach="onsite")
    with db.unit() as s:
        s.add(WorkLogEntry(client_id=other, on_date=date(2026, 3, 10), kind="onsite_day", days=Decimal(2), stage=0))
    made = make_window(qtbot, db, tmp_path)
    made.folder = tmp_path / "acts"
    made.summaries = []
    made.announced = []
    made.ops.changed.connect(lambda changes, initiator: made.announced.append((changes, initiator)))
    monkeypatch.setattr(batch_dialog, "ask_month_acts", lambda parent: (MONTH[0], made.folder, MONTH[1]))
    monkeypatch.setattr(QMessageBox, "exec", lambda box: made.summaries.append(box.text() + "\n" + box.detailedText()))
    return made


def steps(monkeypatch) -> list[tuple[int, int]]:
    seen: list[tuple[int, int]] = []
    real = Progress.set
    monkeypatch.setattr(Progress, "set", lambda self, done, total: (seen.append((done, total)), real(self, done, total))[1])
    return seen


def test_the_action_is_in_the_documents_menu(window):
    action = window.action(MainAction.MONTH_ACTS)
    assert action.text().replace("&", "") == "Акты за месяц всем заказчикам…" and action.isEnabled()
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Документы")
    assert action in menu.actions()


def test_the_month_acts_of_every_client_with_counted_progress(window, db, monkeypatch):
    seen = steps(monkeypatch)
    bars: list[str] = []
    real_set_bar = QProgressDialog.setBar
    monkeypatch.setattr(QProgressDialog, "setBar", lambda dialog, bar: (bars.append(bar.format()),
                                                                         real_set_bar(dialog, bar))[1])
    window.action(MainAction.MONTH_ACTS).trigger()
    assert seen == [(0, 2), (1, 2), (2, 2)] and bars == ["%v из %m"]  # determinate: n of N clients
    files = sorted(p.name for p in window.folder.iterdir())
    assert files == ["АУ-1-2026 ООО Альфа.pdf", "АУ-2-2026 ООО Ромашка.pdf"]
    assert sorted(r.code for r in docs.list_documents(db)) == ["АУ-1/2026", "АУ-2/2026"]
    assert window.summaries[-1].startswith("Оформлено актов: 2, уже оформлены: 0, пропущено: 0.")
    changes, initiator = window.announced[-1]
    assert changes.documents and changes.worklog and len(changes.client_ids) == 2 and initiator is window
    window.action(MainAction.MONTH_ACTS).trigger()  # again: nothing is billed twice, the acts are named
    assert window.summaries[-1].startswith("Оформлено актов: 0, уже оформлены: 2, пропущено: 0.")
    assert "уже выставлено актами АУ-2/2026" in window.summaries[-1]
    assert len(docs.list_documents(db)) == 2


def test_cancel_stops_between_documents_and_keeps_what_was_issued(window, db, monkeypatch, qtbot):
    first_done, cancelled = threading.Event(), threading.Event()
    real = Progress.set

    def set_then_wait(self, done, total):
        real(self, done, total)
        if done == 1:  # the first act is issued: wait (in the worker) until the user has pressed «Отмена»
            first_done.set()
            assert cancelled.wait(10)

    monkeypatch.setattr(Progress, "set", set_then_wait)
    pressed: list[str] = []

    def press_cancel() -> None:
        dialog = next((d for d in window.findChildren(QProgressDialog) if d.objectName() == "taskProgress"), None)
        if dialog is None or not first_done.is_set() or cancelled.is_set():
            return
        button = next(b for b in dialog.findChildren(QPushButton))
        pressed.append(button.text())
        button.click()  # the user presses «Отмена» in the progress dialog
        assert isinstance(dialog.findChild(QProgressBar), QProgressBar)
        cancelled.set()

    timer = QTimer(window)
    timer.timeout.connect(press_cancel)
    timer.start(20)
    window.action(MainAction.MONTH_ACTS).trigger()
    timer.stop()
    assert pressed == ["Отмена"]
    rows = docs.list_documents(db)
    assert [r.code for r in rows] == ["АУ-1/2026"]  # issued and registered before the cancel …
    assert [p.name for p in window.folder.iterdir()] == ["АУ-1-2026 ООО Альфа.pdf"]  # … and on disk
    summary = window.summaries[-1]
    assert summary.startswith("Оформлено актов: 1, уже оформлены: 0, пропущено: 0.")
    assert "Отменено: не обработано заказчиков: 1 из 2" in summary
    changes, _initiator = window.announced[-1]
    assert changes.documents and len(changes.client_ids) == 1
    # the rest is issued on the next run, nothing twice
    monkeypatch.setattr(Progress, "set", real)
    window.action(MainAction.MONTH_ACTS).trigger()
    assert window.summaries[-1].startswith("Оформлено актов: 1, уже оформлены: 1, пропущено: 0.")
    assert sorted(r.client_name for r in docs.list_documents(db)) == sorted(["ООО «Альфа»", CLIENT_NAME])


def test_a_refusal_before_the_batch_shows_through_the_runner(window, db):
    clear_executor(db)
    window.action(MainAction.MONTH_ACTS).trigger()
    assert len(window.errors) == 1 and "реквизиты исполнителя" in window.errors[0].message
    assert docs.list_documents(db) == [] and not window.folder.exists() and window.summaries == []


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # PostgreSQL refuses «ufo» in a date column
def test_a_client_whose_work_cannot_be_dated_is_skipped_by_name_in_a_warning(window, db, monkeypatch):
    """«ufo» in the dates of a client's work: the batch left the client out and said «пропущено: 0» (its work was
    never billed); it is skipped, the summary warns, and its details name every such entry and the way out."""
    import sqlite3

    other = next(cid for cid, name in docs.billable_clients(db, date(2026, 3, 1), date(2026, 3, 31))
                 if name == "ООО «Альфа»")
    with db.unit() as s:
        s.add(WorkLogEntry(client_id=other, on_date=date(2026, 3, 11), kind="onsite_day", days=Decimal(1), stage=0))
    with sqlite3.connect(db.engine.url.database) as conn:
        conn.execute("UPDATE work_log SET on_date = 'ufo' WHERE client_id = ?", (other,))
        ids = [row[0] for row in conn.execute("SELECT id FROM work_log WHERE client_id = ? ORDER BY id", (other,))]
    conn.close()
    icons: list[QMessageBox.Icon] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: (icons.append(box.icon()), window.summaries.append(
        box.text() + "\n" + box.detailedText())))
    window.action(MainAction.MONTH_ACTS).trigger()
    summary = window.summaries[-1]
    assert summary.startswith("Оформлено актов: 1, уже оформлены: 0, пропущено: 1.")
    assert icons == [QMessageBox.Icon.Warning]
    assert "ООО «Альфа»: пропущено — " in summary
    assert all(f"таблица work_log, запись {entry}, поле on_date: «ufo»" in summary for entry in ids)
    assert "«Файл ▸ Восстановить из резервной копии…»" in summary and "vnedrenie" not in summary
    assert [r.client_name for r in docs.list_documents(db)] == [CLIENT_NAME]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # PostgreSQL refuses «ufo» where it keeps a code
def test_a_client_with_an_approach_it_cannot_use_is_named_in_the_summary_itself(window, db, monkeypatch):
    """«ufo» in a client's approach stopped the window's whole batch with «ValueError: 'ufo' is not a valid
    Approach»; skipped, the summary box said only «пропущено: 1» — whose work and why behind «Показать подробности…»."""
    import sqlite3

    other = next(cid for cid, name in docs.billable_clients(db, date(2026, 3, 1), date(2026, 3, 31))
                 if name == "ООО «Альфа»")
    with sqlite3.connect(db.engine.url.database) as conn:
        conn.execute("UPDATE client SET approach = 'ufo' WHERE id = ?", (other,))
    conn.close()
    boxes: list[tuple[QMessageBox.Icon, str, str]] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: boxes.append((box.icon(), box.text(), box.detailedText())))
    window.action(MainAction.MONTH_ACTS).trigger()
    assert window.errors == [] and len(boxes) == 1
    icon, text, details = boxes[0]
    assert icon == QMessageBox.Icon.Warning
    assert text.startswith("Оформлено актов: 1, уже оформлены: 0, пропущено: 1.")
    assert f"• ООО «Альфа»: В базе данных есть значения, которые программа не может прочитать (их записала другая " \
           f"программа или файл повреждён): 1; таблица client, запись {other}, поле approach: «ufo»." in text
    assert "Показать подробности" in text and "Error" not in text + details and "Сбой" not in text + details
    assert "«Файл ▸ Восстановить из резервной копии…»" in details and "vnedrenie" not in text + details
    assert [r.client_name for r in docs.list_documents(db)] == [CLIENT_NAME]  # the healthy client's act issued


def test_the_summary_names_the_first_five_skipped_and_counts_the_rest(tmp_path):
    from app.reports.batch import ActsBatch, BatchLine

    batch = ActsBatch(date(2026, 3, 1), date(2026, 3, 31), 8)
    batch.lines.append(BatchLine(1, 8, 1, "ООО «Альфа»", ISSUED, code="АУ-1/2026", path=tmp_path / "a.pdf"))
    for n in range(2, 9):
        batch.lines.append(BatchLine(n, 8, n, f"ООО «Клиент {n}»", SKIPPED, reason=f"Причина {n}.\nВторая строка.",
                                     details=(f"Подробность {n}",)))
    text, details = batch_dialog.summary_text(batch)
    assert text.splitlines() == [
        "Оформлено актов: 1, уже оформлены: 0, пропущено: 7.", "",
        "Пропущены (причина каждого полностью — в «Показать подробности...»):",  # the button's own words
        *[f"• ООО «Клиент {n}»: Причина {n}." for n in range(2, 7)], "… и ещё 2."]
    assert all(f"ООО «Клиент {n}»: пропущено — Причина {n}.\nВторая строка.\nПодробность {n}" in details
               for n in range(2, 9))
