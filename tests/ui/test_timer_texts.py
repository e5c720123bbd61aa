"""The timer's words (tester H #10): the client's own quotes nest as „…“ inside «…», a timer started on an earlier
day names that day, another client's timer shown in this client's log names its client, and so does its refusal."""

from datetime import date, datetime

import pytest
from PySide6.QtWidgets import QInputDialog

from app.errors import UserError
from app.services import worklog, worklog_timer
from app.services.clients import ClientInput, add_client
from app.services.worklog import EntryInput
from ui.views.worklog import WorkLogView


@pytest.fixture
def clients(db):
    return (add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote")),
            add_client(db, ClientInput(name="ООО «Лютик»", inn="7728168971", approach="remote")))


@pytest.fixture
def view(qtbot, db):
    widget = WorkLogView(db)
    qtbot.addWidget(widget)
    widget.today = lambda: date(2024, 7, 20)
    widget.clock = lambda: datetime(2024, 7, 20, 16, 0)
    return widget


def test_the_tooltip_nests_the_quotes_and_names_an_earlier_day(view, db, clients):
    worklog_timer.start_timer(db, clients[1], now=datetime(2024, 7, 19, 14, 3))  # naive: local time
    view.set_client(clients[1])
    assert view.timer_button.toolTip() == "Конференция с «ООО „Лютик“» с 19.07.2024 14:03"
    assert view.timer_button.text() == "■ Стоп 25:57:00"  # its own client's log: no name


def test_a_timer_of_today_says_the_time_only(view, db, clients):
    worklog_timer.start_timer(db, clients[1], now=datetime(2024, 7, 20, 14, 3))
    view.set_client(clients[1])
    assert view.timer_button.toolTip() == "Конференция с «ООО „Лютик“» с 14:03"


def test_another_clients_timer_is_named_in_this_log(view, db, clients):
    worklog_timer.start_timer(db, clients[1], now=datetime(2024, 7, 20, 14, 3))
    view.set_client(clients[0])
    assert view.timer_button.text() == "■ Стоп 1:57:00 · ООО «Лютик»"


def test_a_refused_stop_of_another_clients_timer_names_it(view, db, clients):
    first, second = clients
    worklog.add_entry(db, first, EntryInput(date(2024, 7, 20), "conference", minutes=1440))
    worklog_timer.start_timer(db, second, now=datetime(2024, 7, 20, 15, 0))
    view.set_client(first)
    assert view.toggle_timer() is None
    said = view.message_label.text()
    assert said.startswith("Таймер «ООО „Лютик“» не остановлен. ") and "24 часов" in said
    assert worklog_timer.timer_state(db) is not None


def test_the_running_refusal_and_the_forgotten_timer_question_nest_the_quotes(view, db, clients, monkeypatch):
    worklog_timer.start_timer(db, clients[1], now=datetime(2024, 7, 18, 9, 0))
    with pytest.raises(UserError, match="Таймер уже идёт для «ООО „Лютик“»"):
        worklog_timer.start_timer(db, clients[0])
    asked = []
    monkeypatch.setattr(QInputDialog, "getInt", lambda *args: asked.append(args[2]) or (0, False))
    view.set_client(clients[1])
    view.toggle_timer()
    assert asked and "Таймер для «ООО „Лютик“»" in asked[0] and "18.07.2024" in asked[0]
