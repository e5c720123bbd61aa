"""No N+1 when opening a client: the card, checklist, lessons, calculator and work log run the same number of
SQL statements for a client with 10 work-log entries as for one with 500 (counted with a SQLAlchemy engine
event), whether the work log tab is shown or waits hidden until it is opened."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import QSettings

from app.persistence.models import WorkLogEntry
from app.services.clients import ClientInput, PersonInput, add_client
from tests.sqlcount import counting
from ui.main_window import TAB_CARD, TAB_WORKLOG, MainWindow

KINDS = (("conference", {"minutes": 50}), ("questions", {"minutes": 20}), ("control", {"minutes": 35}),
         ("onsite_day", {"days": Decimal("1.00")}), ("transfer", {"amount": Decimal("8400.00")}))


def make_db(tmp_path, name: str, log_rows: int):
    """A database with two clients; the second («heavy») carries ``log_rows`` work-log entries."""
    from app.persistence.db import open_database

    db = open_database(f"sqlite:///{tmp_path / name}")
    add_client(db, ClientInput(name="ООО «Лёгкий»", inn="7707083893", approach="remote"))
    heavy = add_client(db, ClientInput(name="ООО «Тяжёлый»", inn="7728168971", approach="onsite",
                                       employees=[PersonInput(name="Иванов И. И.")]))
    start = date(2024, 7, 1)
    with db.unit() as s:
        for n in range(log_rows):
            kind, measure = KINDS[n % len(KINDS)]
            s.add(WorkLogEntry(client_id=heavy, on_date=start + timedelta(days=n % 90), kind=kind, stage=0,
                               note=f"запись {n}", **measure))
    return db, heavy


@pytest.fixture
def dbs(tmp_path):
    made = [make_db(tmp_path, "few.sqlite3", 10), make_db(tmp_path, "many.sqlite3", 500)]
    yield made
    for db, _heavy in made:
        db.dispose()


def open_window(qtbot, db, tmp_path, name: str, tab: int) -> MainWindow:
    window = MainWindow(db, QSettings(str(tmp_path / name), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.wait_for_background()
    window.work_area.tabs.setCurrentIndex(tab)
    return window


@pytest.mark.parametrize("tab", [TAB_WORKLOG, TAB_CARD])
def test_card_open_statements_do_not_grow_with_log_rows(qtbot, dbs, tmp_path, tab):
    counts = []
    for n, (db, heavy) in enumerate(dbs):
        window = open_window(qtbot, db, tmp_path, f"s{tab}-{n}.ini", tab)
        light = next(i for i in (1, 2) if i != heavy)
        window.set_current_client(light)
        window.wait_for_background()  # its entries read (in a worker when the log is shown) before the count
        with counting(db) as opened:
            window.set_current_client(heavy)
            qtbot.wait(1)
            if tab == TAB_WORKLOG:  # the log on screen: another client's entries are read in a worker
                qtbot.waitUntil(lambda w=window, rows=(10, 500)[n]: w.work_area.worklog.proxy.rowCount() == rows)
        assert window.current_id == heavy and window.work_area.card.details is not None
        shown = window.work_area.worklog.proxy.rowCount()
        with counting(db) as switched:
            window.work_area.tabs.setCurrentIndex(TAB_WORKLOG)
        assert window.work_area.worklog.proxy.rowCount() == (10, 500)[n]
        if tab == TAB_WORKLOG:
            assert shown == (10, 500)[n] and switched == []  # loaded with the card
        else:
            assert shown == 0 and switched  # the hidden work log waited until its tab was opened
        counts.append((len(opened), len(switched)))
    print("statement counts", counts)
    assert counts[0] == counts[1], counts
    assert counts[0][0] + counts[0][1] <= 40, counts
