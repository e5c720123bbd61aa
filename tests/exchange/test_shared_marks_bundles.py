"""Bundles merge a work-log entry's billing mark and a tick met by its natural key by the team sync's rules
(docs/sync.md «Merge rules»): the same work billed on two laptops is a «double_billing» conflict naming both
acts — the act that left its computer first keeps the work — never a silent re-billing; the same item ticked
on both laptops is one record, its UUID never a conflict."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import delete, insert, select

from app.persistence.models import ChecklistState, Document, Setting, WorkLogEntry
from app.services.worklog import EntryInput, add_entry
from app.sync.service import conflict_lines, conflicts
from tests.exchange.test_bundle_versions import INN, carry

YEAR = date.today().year


def bill(db, note: str = "E") -> str:
    """Issue an act on this computer billing the entry with ``note`` as the act service does (the snapshot
    lists the entry, the entry's mark points to the act); returns the act's UUID."""
    from app.services.documents.register import next_number

    with db.unit() as s:
        entry = s.scalar(select(WorkLogEntry).where(WorkLogEntry.note == note))
        act = Document(client_id=entry.client_id, kind="act", year=YEAR, number=next_number(s, "act", YEAR),
                       issued_on=date.today(), content=json.dumps({"entries": [entry.uuid]}))
        s.add(act)
        s.flush()
        entry.billed_by_document_id = act.id
        return act.uuid


def code(db, act_uuid: str) -> str:
    """The act's number as this computer prints it («АУ-1/2026», another's «АУ-1/2026 (установка 3f2a)»)."""
    from app.services.documents.register import document_code

    with db.read() as s:
        d = s.scalar(select(Document).where(Document.uuid == act_uuid))
        return document_code(d.kind, d.number, d.year, d.series)


def billing_act(db, note: str = "E") -> str | None:
    """The UUID of the act that bills the entry (None: not billed)."""
    with db.read() as s:
        return s.scalar(select(Document.uuid).join(WorkLogEntry, WorkLogEntry.billed_by_document_id == Document.id)
                        .where(WorkLogEntry.note == note))


@pytest.fixture
def laptops(tmp_path):
    """Two installations on SQLite files; A made the client, B imported A's first file."""
    from app.persistence.db import open_database
    from app.services.clients import ClientInput, add_client

    a = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    b = open_database(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    add_client(a, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
    carry(a, b, tmp_path / "first.zip")
    yield a, b
    a.dispose()
    b.dispose()


@pytest.fixture
def shared_entry(laptops):
    """Both laptops hold the work entry «E» (A logged it, B imported it)."""
    a, b = laptops
    add_entry(a, INN, EntryInput(kind="conference", on_date=date(2026, 3, 2), minutes=60, note="E"))
    carry(a, b)
    return a, b


def test_the_same_work_billed_on_two_laptops_keeps_the_act_that_left_first_and_is_a_conflict(shared_entry):
    a, b = shared_entry
    act_a, act_b = bill(a), bill(b)
    report = carry(a, b)  # A's file reaches B first: A's act keeps the work, B's must be voided
    carry(b, a)
    assert billing_act(a) == billing_act(b) == act_a
    assert [(c.kind, c.field, c.local_value, c.server_value, c.kept) for c in conflicts(b)] == [
        ("double_billing", "billed_by_document_uuid", code(b, act_b), code(b, act_a), "file")]
    assert code(b, act_b) == f"АУ-1/{YEAR}" and code(b, act_a).startswith(f"АУ-1/{YEAR} (установка ")
    assert [c.kind for c in report.conflicts] == ["double_billing"]
    sentence = (f"уже выставлена актом {code(b, act_a)}; акт {code(b, act_b)} выставляет её повторно — "
                f"аннулируйте акт {code(b, act_b)}")
    # the import's line says what to do in the words of the conflict (and of the team sync's)
    assert report.conflicts[0].label == "Запись журнала работ «02.03.2026 Конференция» — ООО «Ромашка»"
    assert report.conflicts[0].line() == f"{report.conflicts[0].label}: работа {sentence}"
    # A, whose act keeps the work, is told of B's act when B's file brings it (as through the server)
    assert [(c.kind, c.local_value, c.server_value, c.kept) for c in conflicts(a)] == [
        ("double_billing", code(a, act_a), code(a, act_b), "here")]
    assert conflict_lines(a)[0].what.endswith(f"аннулируйте акт {code(a, act_b)}")
    [line] = conflict_lines(b)
    assert line.what == f"Работа «02.03.2026, Конференция» {sentence}"
    assert not line.choosable
    # both acts are on both computers; the next swaps change nothing and are not refused
    for db in (a, b):
        with db.read() as s:
            assert sorted(s.scalars(select(Document.uuid))) == sorted([act_a, act_b])
    carry(a, b)
    carry(b, a)
    assert billing_act(a) == billing_act(b) == act_a and len(conflicts(b)) == len(conflicts(a)) == 1


def test_crossing_files_bill_the_work_by_the_same_act_on_both_laptops(shared_entry, tmp_path):
    """Both export before either imports: both compare the same two exports, so the same act keeps the work
    on both laptops, and each shows the double billing (one «kept: here», the other «kept: from the file»)."""
    from app.exchange.bundle_export import export_bundle
    from app.exchange.bundle_import import import_bundle

    a, b = shared_entry
    act_a, act_b = bill(a), bill(b)
    export_bundle(a, None, tmp_path / "from-a.zip")
    export_bundle(b, None, tmp_path / "from-b.zip")
    import_bundle(b, tmp_path / "from-a.zip", backup=False)
    import_bundle(a, tmp_path / "from-b.zip", backup=False)
    assert billing_act(a) == billing_act(b) in (act_a, act_b)
    kept = {(c.kind, c.kept) for db in (a, b) for c in conflicts(db)}
    assert kept == {("double_billing", "file"), ("double_billing", "here")}


def test_a_billed_entry_is_never_silently_unbilled_by_a_void_in_the_other_file(shared_entry):
    """E billed by X (carried). A voids X and bills E by A2; B voids X, offline. B's file («not billed») must
    not undo A's new act, whichever way the files go: an act against no act keeps the act."""
    from app.services.documents import void_document

    a, b = shared_entry
    act_x = bill(a)
    carry(a, b)
    carry(b, a)
    for db in (a, b):
        with db.read() as s:
            act_id = s.scalar(select(Document.id).where(Document.uuid == act_x))
        void_document(db, act_id, "ошибка")
    act_a2 = bill(a)
    carry(b, a)
    carry(a, b)
    assert billing_act(a) == billing_act(b) == act_a2
    assert conflicts(a) == [] and conflicts(b) == []


def _ticks(db) -> list[tuple]:
    with db.read() as s:
        return [(t.code, t.done, t.done_on, t.who) for t in s.scalars(select(ChecklistState))]


def _profile(db, name: str) -> None:
    with db.unit() as s:
        s.execute(delete(Setting).where(Setting.key == "team.profile_name"))
        s.execute(insert(Setting).values(key="team.profile_name", value=name))


@pytest.mark.parametrize("days", [(date(2026, 3, 2), date(2026, 3, 2)), (date(2026, 3, 2), date(2026, 3, 5))])
def test_the_same_item_ticked_on_both_laptops_is_one_record_and_never_a_uuid_conflict(laptops, days):
    from app.services.progress import set_checklist

    a, b = laptops
    _profile(a, "Иванова Анна")
    _profile(b, "Петрова Мария")
    set_checklist(a, INN, ["s1.lessons"], True, on=days[0])
    set_checklist(b, INN, ["s1.lessons"], True, on=days[1])
    carry(a, b)
    carry(b, a)
    assert _ticks(a) == _ticks(b) == [("s1.lessons", True, days[0], "Иванова Анна")]  # A's tick left first
    expected = [] if days[0] == days[1] else [("field", "done_on", days[1].isoformat(), days[0].isoformat())]
    assert [(c.kind, c.field, c.local_value, c.server_value) for c in conflicts(b)] == expected
    assert conflicts(a) == []
    # later: A unticks; B takes it as A's change of the one record (no conflict, no second row)
    set_checklist(a, INN, ["s1.lessons"], False)
    carry(a, b)
    carry(b, a)
    assert [t[:2] for t in _ticks(a)] == [t[:2] for t in _ticks(b)] == [("s1.lessons", False)]
    # A's later untick answers B's conflict of the day (tester L, item 2: a later change of the field closes it)
    assert conflicts(b) == [] and conflicts(a) == []


@pytest.mark.parametrize("first", ["billing", "edit"])
def test_an_entry_billed_in_one_file_and_edited_in_the_other_keeps_what_the_act_billed(shared_entry, first):
    """A bills E (60 min), B changes it to 90 min: whichever file travels first, the act's figure stays on
    both laptops and the side whose change was not kept holds one «billed_edit» conflict, not choosable."""
    from app.services.worklog import update_entry

    a, b = shared_entry
    act_a = bill(a)
    with b.read() as s:
        entry_id = s.scalar(select(WorkLogEntry.id).where(WorkLogEntry.note == "E"))
    update_entry(b, entry_id, EntryInput(kind="conference", on_date=date(2026, 3, 2), minutes=90, note="E"))
    if first == "billing":
        carry(a, b)
        carry(b, a)
    else:
        carry(b, a)
        carry(a, b)
    for db in (a, b):
        with db.read() as s:
            assert s.scalar(select(WorkLogEntry.minutes).where(WorkLogEntry.note == "E")) == 60
    assert billing_act(a) == billing_act(b) == act_a
    found = [(c.kind, c.field, c.local_value, c.server_value, c.kept) for db in (a, b) for c in conflicts(db)]
    assert found == ([("billed_edit", "minutes", "90", "60", "file")] if first == "billing"
                     else [("billed_edit", "minutes", "60", "90", "here")])
    assert [line.choosable for db in (a, b) for line in conflict_lines(db)] == [False]
