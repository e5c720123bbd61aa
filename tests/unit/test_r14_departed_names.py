"""Tester R, item 6: someone removed from the card's «Сотрудники заказчика» (they left) kept their place in the
planned events and the questions, but lost their name: `plan list` showed «?», the forms «Бывший сотрудник (не в
штате)». The removal's audit line keeps the name; the lists read it back, in the same single statement."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.services import event_input, plan, plan_read, questions
from app.services.clients import ClientInput, PersonInput, add_client, get_client, update_client
from app.services.ics_export import calendar_bytes
from app.services.privacy import erase_personal_data


def _leave(db, cid: int, name: str) -> None:
    card = get_client(db, cid).data
    update_client(db, cid, replace(card, employees=[p for p in card.employees if p.name != name]))


@pytest.fixture
def company(db) -> int:
    return add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote",
                                      employees=[PersonInput("Смирнова Анна"), PersonInput("Орлов Олег")]))


def _event(db, cid: int, day: int = 10) -> int:
    event_id, _changes = plan.add_event(db, cid, event_input.EventInput(
        "conference", datetime(2030, 1, day, 10, 0), "Europe/Moscow", 60,
        participants=("Смирнова Анна", "Орлов Олег")))
    return event_id


def test_a_departed_participant_keeps_their_name_in_the_plan_the_agenda_and_the_calendar(db, company):
    event_id = _event(db, company)
    _leave(db, company, "Орлов Олег")
    assert [p.name for p in plan_read.get_event(db, event_id).participants] == ["Смирнова Анна", "Орлов Олег"]
    assert [p.name for r in plan_read.list_events(db, company) for p in r.participants] == ["Смирнова Анна", "Орлов Олег"]
    week = plan_read.agenda(db, now=datetime(2030, 1, 9, 9, 0, tzinfo=UTC), viewer=UTC)
    assert [p.name for r in week.week_rows for p in r.participants] == ["Смирнова Анна", "Орлов Олег"]
    text = calendar_bytes(db, company).decode().replace("\r\n ", "")
    assert "Участники: Смирнова Анна\\, Орлов Олег" in text


def test_the_latest_name_before_the_removal_is_the_one_shown(db, company):
    event_id = _event(db, company)
    card = get_client(db, company).data
    update_client(db, company, replace(card, employees=[
        replace(p, name="Орлов Олег Петрович") if p.name == "Орлов Олег" else p for p in card.employees]))
    _leave(db, company, "Орлов Олег Петрович")
    assert [p.name for p in plan_read.get_event(db, event_id).participants] == ["Смирнова Анна", "Орлов Олег Петрович"]


def test_a_departed_asker_keeps_their_name(db, company):
    qid, _changes = questions.add_question(db, company, questions.QuestionInput(
        date(2026, 1, 9), "phone", "Как провести инвентаризацию?", employee="Орлов Олег"))
    _leave(db, company, "Орлов Олег")
    row = next(r for r in questions.list_questions(db, company) if r.id == qid)
    assert row.employee_uuid and row.employee_name == "Орлов Олег"


def test_erased_personal_data_take_the_departed_names_too(db, company):
    event_id = _event(db, company)
    _leave(db, company, "Орлов Олег")
    erase_personal_data(db, company)
    names = [p.name for p in plan_read.get_event(db, event_id).participants]
    assert "Орлов Олег" not in names and names[1] == "?"
    with db.read() as s:
        from sqlalchemy import select

        from app.persistence.models import AuditEntry

        kept = list(s.scalars(select(AuditEntry.old_value).where(AuditEntry.table_name == "employee")))
    assert not any("Орлов" in (value or "") for value in kept), kept


def test_the_names_cost_the_same_statements_whatever_the_departed(db, company):
    _event(db, company, 10)

    def statements() -> int:
        seen: list[str] = []

        def count(_conn, _cursor, statement, *_args) -> None:
            seen.append(statement)

        event.listen(Engine, "before_cursor_execute", count)
        try:
            plan_read.list_events(db, company)
        finally:
            event.remove(Engine, "before_cursor_execute", count)
        return len(seen)

    before = statements()
    for day in (11, 12, 13):
        _event(db, company, day)
    _leave(db, company, "Орлов Олег")
    assert statements() == before


def test_plan_list_json_names_a_departed_participant(cli, sqlite_path):
    from app.persistence.db import open_database

    status, out, err = cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--approach", "remote")
    assert status == 0, err
    db = open_database(f"sqlite:///{sqlite_path}")
    details = get_client(db, "7707083893")
    update_client(db, details.id, replace(details.data, employees=[PersonInput("Смирнова Анна"),
                                                                   PersonInput("Орлов Олег")]))
    db.dispose()
    status, out, err = cli("plan", "add", "7707083893", "--kind", "conference", "--start", "2030-01-10 10:00",
                           "--duration", "60", "--participant", "Смирнова Анна", "--participant", "Орлов Олег")
    assert status == 0, err
    db = open_database(f"sqlite:///{sqlite_path}")
    _leave(db, details.id, "Орлов Олег")
    db.dispose()
    status, out, err = cli("plan", "list", "--json")
    assert status == 0, err
    assert json.loads(out)[0]["participants"] == ["Смирнова Анна", "Орлов Олег"]


def test_removing_a_person_from_the_card_is_a_line_of_the_audit_trail(db, company):
    _leave(db, company, "Орлов Олег")
    with db.read() as s:
        from sqlalchemy import select

        from app.persistence.models import AuditEntry

        lines = s.execute(select(AuditEntry.action, AuditEntry.old_value).where(
            AuditEntry.table_name == "employee", AuditEntry.action == "delete")).all()
    assert [tuple(line) for line in lines] == [("delete", "Орлов Олег")]
