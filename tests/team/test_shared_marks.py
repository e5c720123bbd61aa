"""Issue 17 (tester's findings): a work-log entry's billing mark and a tick met by its natural key are not
«append-only» or «a new record» through the team server — the same work billed on two laptops is a
«double_billing» conflict naming both acts, the same item ticked on two laptops is one record."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select, text

from app.errors import UserError
from app.persistence.models import Client, Document, WorkLogEntry
from app.services.clients import ClientInput, add_client
from app.services.worklog import EntryInput
from app.sync.service import conflict_lines, conflicts, resolve_conflict, sync_once

pytestmark = pytest.mark.postgres

INN = "7707083893"
YEAR = date.today().year


@pytest.fixture
def pair(entry_pair):
    """Two laptops of one team that both hold the client and its work entry «E» (synced before)."""
    return list(entry_pair[:2])


def bill(db, note: str = "E") -> str:
    """Issue an act on this computer (offline) billing the entry with ``note``, as the act service does: the
    act's snapshot lists the entry, the entry's mark points to the act. Returns the act's number «АУ-N/YYYY»."""
    from app.services.documents.register import document_code, next_number

    with db.unit() as s:
        entry = s.scalar(select(WorkLogEntry).where(WorkLogEntry.note == note))
        number = next_number(s, "act", YEAR)
        act = Document(client_id=entry.client_id, kind="act", year=YEAR, number=number, issued_on=date.today(),
                       content=json.dumps({"entries": [entry.uuid]}))
        s.add(act)
        s.flush()
        entry.billed_by_document_id = act.id
    return document_code("act", number, YEAR)


def void(db, code: str) -> None:
    from app.services.documents import void_document
    from app.services.documents.register import parse_code

    _kind, number, year = parse_code(code)
    with db.read() as s:
        act_id = s.scalar(select(Document.id).where(Document.number == number, Document.year == year,
                                                    Document.kind == "act"))
    void_document(db, act_id, "выставлен дважды")


def billed_by(db, note: str = "E") -> str | None:
    """The number of the act that bills the entry (None: not billed)."""
    from app.services.documents.register import document_code

    with db.read() as s:
        row = s.execute(select(Document.kind, Document.number, Document.year, Document.series)
                        .join(WorkLogEntry, WorkLogEntry.billed_by_document_id == Document.id)
                        .where(WorkLogEntry.note == note)).first()
    return None if row is None else document_code(row.kind, row.number, row.year, row.series)


def test_the_same_work_billed_on_two_laptops_keeps_the_first_act_and_is_a_double_billing_conflict(pair, server):
    a, b = pair
    act_a, act_b = bill(a), bill(b)
    assert act_a != act_b  # numbers stay unique (reserved blocks): only the work is billed twice
    sync_once(a)
    report = sync_once(b)
    sync_once(a)
    # the act that reached the team first keeps the work, everywhere
    assert billed_by(server) == billed_by(a) == billed_by(b) == act_a
    assert report.conflicts == 1
    assert [(c.kind, c.field, c.local_value, c.server_value, c.kept) for c in conflicts(b)] == [
        ("double_billing", "billed_by_document_uuid", act_b, act_a, "server")]
    # A's act kept the work, and A is told of B's act too (it pulled it: brief srv17, test_double_billing_both)
    assert [(c.kind, c.local_value, c.server_value, c.kept) for c in conflicts(a)] == [
        ("double_billing", act_a, act_b, "local")]
    assert conflict_lines(a)[0].what == conflict_lines(b)[0].what
    [line] = conflict_lines(b)
    assert line.what == (f"Работа «02.03.2026, Конференция» уже выставлена актом {act_a}; акт {act_b} "
                         f"выставляет её повторно — аннулируйте акт {act_b}")
    assert not line.choosable  # «keep local» is not offered: the other act must be voided instead
    assert line.text().endswith(f"выставлено актом: {act_a}\tповторно актом: {act_b}")  # by part, not by side
    # «sync resolve» refuses either side (no value to keep: an act must be voided), and changes nothing
    for keep in ("local", "server"):
        with pytest.raises(UserError, match=f"аннулируйте акт {act_b}"):
            resolve_conflict(b, line.id, keep=keep)
    sync_once(b)
    sync_once(a)
    assert billed_by(server) == billed_by(a) == billed_by(b) == act_a
    assert [c.kind for c in conflicts(b)] == ["double_billing"]
    # B voids its act as told: the conflict closes itself, the work stays billed by A's act, B's act is voided
    # on the server too
    void(b, act_b)
    assert conflicts(b) == []
    sync_once(b)
    sync_once(a)
    assert billed_by(server) == billed_by(a) == billed_by(b) == act_a
    with server.read() as s:
        voided = {n: v is not None for n, v in s.execute(select(Document.number, Document.voided_on))}
    assert sorted(voided.values()) == [False, True]
    assert conflicts(a) == [] and [c.kind for c in conflicts(b)] == []


def test_a_double_billing_closes_itself_when_the_other_laptop_voids_the_act_that_kept_the_work(pair, server):
    """The act that kept the work is voided on A: B's conflict closes at B's next sync (the void pulled)."""
    a, b = pair
    act_a, act_b = bill(a), bill(b)
    sync_once(a)
    sync_once(b)
    assert [c.kind for c in conflicts(b)] == ["double_billing"]
    void(a, act_a)
    sync_once(a)
    sync_once(b)
    assert conflicts(b) == []
    assert act_b  # B's act stays issued


def test_a_billed_entry_is_never_silently_unbilled_by_a_void_on_the_other_laptop(pair, server):
    """E billed by X (synced). A voids X and bills E again by A2; B voids X too, offline. B's «not billed» must
    not undo A's new act: an act against no act keeps the act, with no conflict (nothing was lost)."""
    a, b = pair
    act_x = bill(a)
    sync_once(a)
    sync_once(b)
    assert billed_by(b) == act_x
    void(a, act_x)
    act_a2 = bill(a)
    void(b, act_x)
    assert billed_by(b) is None
    sync_once(a)
    sync_once(b)
    sync_once(a)
    assert billed_by(server) == billed_by(a) == billed_by(b) == act_a2
    assert conflicts(a) == [] and conflicts(b) == []


def test_a_billing_and_an_unbilling_in_the_other_order_keep_the_act_too(pair, server):
    """The same as above with B (the unbilling side) syncing first: the act still keeps the work."""
    a, b = pair
    act_x = bill(a)
    sync_once(a)
    sync_once(b)
    void(a, act_x)
    act_a2 = bill(a)
    void(b, act_x)
    sync_once(b)
    sync_once(a)
    sync_once(b)
    assert billed_by(server) == billed_by(a) == billed_by(b) == act_a2
    assert conflicts(a) == [] and conflicts(b) == []


def _ticks(db) -> list[tuple]:
    from app.persistence.models import ChecklistState

    with db.read() as s:
        return [(t.uuid, t.code, t.done, t.done_on, t.who) for t in s.scalars(select(ChecklistState)
                                                                            .order_by(ChecklistState.code))]


@pytest.mark.parametrize("days", [(date(2026, 3, 2), date(2026, 3, 2)), (date(2026, 3, 2), date(2026, 3, 5))])
def test_the_same_item_ticked_on_both_laptops_is_one_record_with_the_servers_uuid(pair, server, days):
    """Ticked on both laptops offline: one row everywhere (B adopts the server's UUID), never a conflict on
    «uuid»; the same day is the same outcome (no conflict, whoever ticked it), another day one conflict on
    the tick's day, the first tick kept."""
    from app.services.progress import set_checklist

    a, b = pair
    set_checklist(a, INN, ["s1.lessons"], True, on=days[0])
    set_checklist(b, INN, ["s1.lessons"], True, on=days[1])
    for db in (a, b, a, b):
        sync_once(db)
    rows = _ticks(server)
    assert len(rows) == 1 and rows[0][1:4] == ("s1.lessons", True, days[0])
    assert _ticks(a) == _ticks(b) == rows  # the same UUID, day and who on both laptops
    expected = [] if days[0] == days[1] else [("field", "done_on", days[1].isoformat(), days[0].isoformat())]
    assert [(c.kind, c.field, c.local_value, c.server_value) for c in conflicts(b)] == expected
    assert conflicts(a) == []
    # later edits are ordinary edits of one record: A unticks, B gets it with no conflict, and the untick answers
    # B's conflict on the tick's day (the group as one: app/sync/answered.py) — before, it stayed listed, naming
    # the days of a tick no longer there
    set_checklist(a, INN, ["s1.lessons"], False)
    sync_once(a)
    sync_once(b)
    assert [r[2] for r in _ticks(b)] == [False] and len(_ticks(server)) == 1
    assert conflicts(b) == []


def test_the_same_lesson_marked_on_both_laptops_is_one_record(pair, server):
    from app.services.progress import set_lessons

    a, b = pair
    with a.read() as s:
        code = s.execute(text("SELECT code FROM lesson ORDER BY number LIMIT 1")).scalar()
    set_lessons(a, INN, [code], True, on=date(2026, 3, 2))
    set_lessons(b, INN, [code], True, on=date(2026, 3, 2))
    for db in (a, b, a):
        sync_once(db)
    from app.persistence.models import LessonProgress

    def marks(db) -> list[tuple]:
        with db.read() as s:
            return [(p.uuid, p.lesson_code, p.done, p.done_on) for p in s.scalars(select(LessonProgress))]

    on_server = marks(server)
    assert [m[1:] for m in on_server] == [(code, True, date(2026, 3, 2))]
    assert marks(a) == marks(b) == on_server
    assert conflicts(a) == [] and conflicts(b) == []


def test_the_same_client_added_on_two_laptops_meets_by_inn_with_its_contacts(pair, server):
    """Two laptops add the same new client (same ИНН) with a contact each: one client on the server and both
    laptops, both contacts under it; the fields both filled differently are conflicts, never the UUID."""
    from app.services.clients import PersonInput

    a, b = pair
    inn = "7736050003"
    add_client(a, ClientInput(name="ООО «Лютик»", inn=inn, approach="remote", city="Тверь",
                              contacts=[PersonInput(name="Сидоров Сидор")]))
    add_client(b, ClientInput(name="ООО «Лютик»", inn=inn, approach="remote", city="Клин",
                              contacts=[PersonInput(name="Кузнецов Кузьма")]))
    for db in (a, b, a):
        sync_once(db)
    query = ("SELECT c.uuid, c.city, t.name FROM client c JOIN contact t ON t.client_id = c.id "
             f"WHERE c.inn = '{inn}' ORDER BY t.name")
    with server.engine.connect() as conn:
        on_server = conn.execute(text(query)).all()
    assert [(r[1], r[2]) for r in on_server] == [("Тверь", "Кузнецов Кузьма"), ("Тверь", "Сидоров Сидор")]
    assert len({r[0] for r in on_server}) == 1
    for db in (a, b):
        with db.engine.connect() as conn:
            assert conn.execute(text(query)).all() == on_server
            assert conn.execute(text(f"SELECT count(*) FROM client WHERE inn = '{inn}'")).scalar() == 1
    assert [(c.kind, c.field, c.local_value, c.server_value) for c in conflicts(b)] == [("field", "city", "Клин", "Тверь")]
    with b.read() as s:
        assert s.scalar(select(Client.city).where(Client.inn == inn)) == "Тверь"


def _entry(db, note: str = "E") -> tuple:
    with db.read() as s:
        e = s.scalar(select(WorkLogEntry).where(WorkLogEntry.note == note))
        return e.minutes, e.deleted


@pytest.mark.parametrize("first", ["billing", "edit"])
def test_an_entry_billed_on_one_laptop_and_edited_on_the_other_keeps_what_the_act_billed(pair, server, first):
    """A bills E (60 min) while B, offline, changes it to 90 min: whichever syncs first, the act's figure stays
    and the laptop whose change was not kept... is told, by a «billed_edit» conflict (never a silent edit)."""
    from app.services.worklog import update_entry

    a, b = pair
    act_a = bill(a)
    with b.read() as s:
        entry_id = s.scalar(select(WorkLogEntry.id).where(WorkLogEntry.note == "E"))
    update_entry(b, entry_id, EntryInput(kind="conference", on_date=date(2026, 3, 2), minutes=90, note="E"))
    order = (a, b, a, b) if first == "billing" else (b, a, b, a)
    for db in order:
        sync_once(db)
    assert _entry(server) == _entry(a) == _entry(b) == (60, False)
    assert billed_by(server) == billed_by(a) == billed_by(b) == act_a
    found = [(c.kind, c.field, c.local_value, c.server_value, c.kept) for db in (a, b) for c in conflicts(db)]
    if first == "billing":  # B's push met the billed entry on the server
        assert found == [("billed_edit", "minutes", "90", "60", "server")]
    else:  # A's push met B's edit on the server: A's act keeps its figure
        assert found == [("billed_edit", "minutes", "60", "90", "local")]
    lines = [line for db in (a, b) for line in conflict_lines(db)]
    assert [(line.what, line.choosable) for line in lines] == [(
        "Журнал работ · количество минут (02.03.2026, Конференция): запись уже выставлена актом, оставлено "
        "значение акта (чтобы изменить, аннулируйте акт)", False)]


def test_an_entry_billed_on_one_laptop_and_deleted_on_the_other_stays_billed(pair, server):
    from app.services.worklog import delete_entries

    a, b = pair
    act_a = bill(a)
    with b.read() as s:
        entry_id = s.scalar(select(WorkLogEntry.id).where(WorkLogEntry.note == "E"))
    delete_entries(b, [entry_id])
    for db in (a, b, a):
        sync_once(db)
    assert _entry(server) == _entry(a) == _entry(b) == (60, False)
    assert billed_by(server) == billed_by(a) == billed_by(b) == act_a
    assert [(c.kind, c.field, c.local_value, c.server_value, c.kept) for c in conflicts(b)] == [
        ("billed_edit", "deleted", "True", "False", "server")]
    [line] = conflict_lines(b)
    assert (line.local, line.server, line.choosable) == ("да", "нет", False)  # values as a person reads them
