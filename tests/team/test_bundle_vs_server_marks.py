"""A USB stick and the team server never disagree on shared marks either: the same work billed on two laptops
offline, and the same checklist item ticked on both, end the same through the PostgreSQL team server and
through bundle files — the same act keeps the work, the same tick stays, one row, the same conflicts."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.persistence.models import ChecklistState, Document
from app.services.clients import ClientInput
from app.services.worklog import EntryInput, add_entry
from app.sync.service import conflicts
from tests.exchange.test_shared_marks_bundles import bill, billing_act, code

pytestmark = pytest.mark.postgres

INN = "7707083893"
CLIENT = ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote")


def _work(db) -> None:
    """The common start of the billing cases: the work entry «E» (on the server, and on USB laptop A)."""
    add_entry(db, INN, EntryInput(kind="conference", on_date=date(2026, 3, 2), minutes=60, note="E"))


def test_the_same_work_billed_on_two_laptops_ends_the_same_through_the_server_and_bundles(server, two_worlds):
    worlds = two_worlds(CLIENT, _work)
    issuer = {}
    for world in (worlds.team, worlds.usb):
        for db, name in zip(world, ("a", "b"), strict=True):
            issuer[bill(db)] = name
    worlds.exchange()
    # A's act keeps the work on every computer of both worlds (and on the server)
    assert [issuer[billing_act(db)] for db in (server, *worlds.team, *worlds.usb)] == ["a"] * 5
    for world in (worlds.team, worlds.usb):
        a, b = world
        acts = {name: act for act, name in issuer.items() if act in _acts(a)}
        assert _acts(a) == _acts(b) == set(acts.values())  # both acts on both laptops, none voided
        # A's act keeps the work and A is told of B's act too (the act came to it listing E: brief srv17)
        assert [(c.kind, c.field, c.local_value, c.server_value) for c in conflicts(a)] == [
            ("double_billing", "billed_by_document_uuid", code(a, acts["a"]), code(a, acts["b"]))]
        assert [(c.kind, c.field, c.local_value, c.server_value) for c in conflicts(b)] == [
            ("double_billing", "billed_by_document_uuid", code(b, acts["b"]), code(b, acts["a"]))]


def _acts(db) -> set[str]:
    with db.read() as s:
        return set(s.scalars(select(Document.uuid).where(Document.voided_on.is_(None))))


@pytest.mark.parametrize("b_day", [date(2026, 3, 2), date(2026, 3, 5)], ids=["same-day", "other-day"])
def test_the_same_item_ticked_on_both_laptops_ends_the_same_through_the_server_and_bundles(server, two_worlds,
                                                                                          b_day):
    from app.services.progress import set_checklist

    worlds = two_worlds(CLIENT)
    for a, b in (worlds.team, worlds.usb):
        set_checklist(a, INN, ["s1.lessons"], True, on=date(2026, 3, 2))
        set_checklist(b, INN, ["s1.lessons"], True, on=b_day)
    worlds.exchange()

    def ticks(db):
        with db.read() as s:
            return [(t.code, t.done, t.done_on, worlds.who.get(t.who, t.who))
                    for t in s.scalars(select(ChecklistState))]

    expected = [("s1.lessons", True, date(2026, 3, 2), "a")]  # one row: A's tick, which left first
    assert [ticks(db) for db in (server, *worlds.team, *worlds.usb)] == [expected] * 5
    found = [[(c.kind, c.field, c.local_value, c.server_value) for c in conflicts(db)]
             for db in (*worlds.team, *worlds.usb)]
    b_conflicts = [] if b_day == date(2026, 3, 2) else [("field", "done_on", b_day.isoformat(), "2026-03-02")]
    assert found == [[], b_conflicts, [], b_conflicts]


def test_an_entry_billed_on_one_laptop_and_edited_on_the_other_ends_the_same_through_the_server_and_bundles(
        server, two_worlds):
    from app.persistence.models import WorkLogEntry
    from app.services.worklog import update_entry

    worlds = two_worlds(CLIENT, _work)
    for a, b in (worlds.team, worlds.usb):
        bill(a)
        with b.read() as s:
            entry_id = s.scalar(select(WorkLogEntry.id).where(WorkLogEntry.note == "E"))
        update_entry(b, entry_id, EntryInput(kind="conference", on_date=date(2026, 3, 2), minutes=90, note="E"))
    worlds.exchange()

    def minutes(db):
        with db.read() as s:
            return s.scalar(select(WorkLogEntry.minutes).where(WorkLogEntry.note == "E"))

    assert [minutes(db) for db in (server, *worlds.team, *worlds.usb)] == [60] * 5
    found = [[(c.kind, c.field, c.local_value, c.server_value) for c in conflicts(db)]
             for db in (*worlds.team, *worlds.usb)]
    assert found == [[], [("billed_edit", "minutes", "90", "60")], [], [("billed_edit", "minutes", "90", "60")]]
