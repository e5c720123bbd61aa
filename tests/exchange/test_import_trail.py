"""A bundle import writes the audit lines of what the file changed here, authored by the person importing it (the
trial of 2026-12-01, 17g finding 1: work and a tick brought in from a file reached every laptop and the team server
with no line anywhere)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, insert, select

from app.persistence.db import open_database
from app.persistence.models import AuditEntry, Client, Setting, WorkLogEntry
from app.services.clients import ClientInput, add_client
from app.services.progress import set_checklist
from app.services.worklog import EntryInput, add_entry
from tests.exchange.test_bundle_versions import INN, carry


def _profile(db, name: str) -> None:
    with db.unit() as s:
        s.execute(delete(Setting).where(Setting.key == "team.profile_name"))
        s.execute(insert(Setting).values(key="team.profile_name", value=name))


def _lines(db, since: int = 0) -> list[tuple]:
    with db.read() as s:
        return [(r.author, r.table_name, r.action, r.field, r.old_value, r.new_value) for r in s.scalars(
            select(AuditEntry).where(AuditEntry.id > since).order_by(AuditEntry.id))]


def _last_line(db) -> int:
    with db.read() as s:
        return s.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1)) or 0


@pytest.fixture
def two(tmp_path):
    a = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    b = open_database(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    _profile(a, "Иванова Анна")
    _profile(b, "Петрова Мария")
    add_client(a, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote", city="Тула"))
    carry(a, b)
    yield a, b
    a.dispose()
    b.dispose()


def test_the_records_a_file_adds_are_lines_of_the_person_who_imported_it(two):
    a, b = two
    since = _last_line(b)
    add_entry(a, INN, EntryInput(kind="conference", on_date=date(2026, 3, 2), minutes=45, note="из файла"))
    set_checklist(a, INN, ["s1.test_project"], True)
    carry(a, b)
    lines = _lines(b, since)
    assert ("Петрова Мария", "work_log", "insert", "", None, "2026-03-02 conference 45") in lines
    assert ("Петрова Мария", "checklist_state", "insert", "", None, "s1.test_project: 1") in lines
    assert len(lines) == 2  # nothing else changed: no line for the client the file carries unchanged


def test_a_field_the_file_changed_and_a_record_it_deleted_are_lines_too(two):
    a, b = two
    add_entry(a, INN, EntryInput(kind="conference", on_date=date(2026, 3, 2), minutes=45, note="удалят"))
    carry(a, b)
    since = _last_line(b)
    with a.unit() as s:
        s.scalar(select(Client).where(Client.inn == INN)).city = "Орёл"
        s.delete(s.scalar(select(WorkLogEntry).where(WorkLogEntry.note == "удалят")))
    carry(a, b)
    lines = _lines(b, since)
    assert ("Петрова Мария", "client", "update", "city", "Тула", "Орёл") in lines
    assert ("Петрова Мария", "work_log", "delete", "", "2026-03-02 conference 45", None) in lines
    assert len(lines) == 2


def test_an_import_that_changes_nothing_writes_no_line(two):
    a, b = two
    since = _last_line(b)
    carry(a, b)
    assert _lines(b, since) == []


def test_a_stage_move_the_file_brings_is_the_move_line_once(two, tmp_path):
    """The trial 17j, finding 3: a move made on the exporting computer had no line after the import — neither
    on a client the file changed nor on one it added."""
    from app.services.progress import move_stage

    a, b = two
    since = _last_line(b)
    move_stage(a, INN, 1, force=True, reason="договор")
    carry(a, b)
    assert _lines(b, since) == [("Петрова Мария", "client", "update", "stage", "0", "1")]  # not also a field line
    other = open_database(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    try:
        _profile(other, "Сидоров Олег")
        move_stage(a, INN, 2, force=True, reason="справочники")
        carry(a, other)  # a client new here, with both moves
        moves = [line for line in _lines(other) if line[3] == "stage"]
        assert sorted(moves) == [("Сидоров Олег", "client", "update", "stage", "0", "1"),
                                 ("Сидоров Олег", "client", "update", "stage", "1", "2")]
        since = _last_line(b)
        carry(a, b)
        assert _lines(b, since) == [("Петрова Мария", "client", "update", "stage", "1", "2")]
    finally:
        other.dispose()
