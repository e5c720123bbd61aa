"""No N+1: the client list, the window load and a one-client refresh run the same number of SQL
statements for 10 clients as for 200 (counted with a SQLAlchemy engine event)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QSettings

from app.persistence.models import ChecklistState, Client, Contact, Employee, LessonProgress, StageEvent
from app.services.client_list import list_clients
from app.services.demo import company_inn
from app.services.progress import set_checklist
from tests.sqlcount import counting
from ui.main_window import MainWindow


def add_clients(db, count: int, seed: int = 7) -> list[int]:
    """``count`` clients with contacts, staff, ticks, lessons and history, written in one go."""
    rng = random.Random(seed)
    inns: set[str] = set()
    with db.unit() as s:
        for n in range(count):
            inn = company_inn(rng, "77")
            while inn in inns:
                inn = company_inn(rng, "77")
            inns.add(inn)
            stage = n % 5
            client = Client(name=f"ООО «Клиент {n:04d}»", inn=inn, approach=("remote", "onsite", "accompanied")[n % 3],
                            stage=stage, stage_since=datetime.now() - timedelta(days=n % 60))
            client.contacts.append(Contact(name=f"Контакт {n}", phone=f"+7 900 {n:03d}-00-00"))
            client.contacts.append(Contact(name=f"Второй {n}", email=f"c{n}@example.ru"))
            client.employees.append(Employee(name=f"Сотрудник {n}", department="Склад"))
            s.add(client)
            s.flush()
            s.add(ChecklistState(client_id=client.id, code="s1.lessons", done=True, done_on=date(2024, 7, 1)))
            s.add(LessonProgress(client_id=client.id, lesson_code="L01", employee_uuid="", done=True,
                                 done_on=date(2024, 7, 1)))
            if stage:
                s.add(StageEvent(client_id=client.id, from_stage=stage - 1, to_stage=stage, reason=""))
    return [c.id for c in list_clients(db)]


def statements_for(db, action) -> int:
    with counting(db) as statements:
        action()
    return len(statements)


@pytest.fixture
def dbs(tmp_path):
    """Two fresh databases: one with 10 clients, one with 200."""
    from app.persistence.db import open_database

    small = open_database(f"sqlite:///{tmp_path / 'small.sqlite3'}")
    large = open_database(f"sqlite:///{tmp_path / 'large.sqlite3'}")
    add_clients(small, 10)
    add_clients(large, 200)
    yield small, large
    small.dispose()
    large.dispose()


def test_list_clients_runs_a_constant_number_of_statements(dbs):
    small, large = dbs
    assert len(list_clients(large)) == 200
    counts = [statements_for(db, lambda db=db: list_clients(db)) for db in (small, large)]
    assert counts[0] == counts[1]
    assert counts[0] <= 12


def test_window_load_and_refresh_do_not_grow_with_the_number_of_clients(qtbot, dbs, tmp_path):
    counts = []
    for n, db in enumerate(dbs):
        settings = QSettings(str(tmp_path / f"s{n}.ini"), QSettings.Format.IniFormat)
        holder = {}

        def build(db=db, settings=settings, holder=holder):
            holder["window"] = MainWindow(db, settings)
            holder["window"].wait_for_background()

        load = statements_for(db, build)
        window = holder["window"]
        qtbot.addWidget(window)
        assert window.work_area.clients.rowCount() == (10, 200)[n]
        client_id = window.work_area.clients.summaries()[3].id
        window.set_current_client(client_id)
        changes = set_checklist(db, client_id, ["s1.instruction"], True)
        refresh = statements_for(db, lambda window=window, changes=changes: window.apply_changes(changes))
        select = statements_for(db, lambda window=window: window.set_current_client(window.work_area.clients.summaries()[5].id))
        counts.append((load, refresh, select))
    print("statement counts", counts)
    assert counts[0] == counts[1], counts
