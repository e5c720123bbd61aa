"""A USB stick and the team server never disagree: the same offline edits on two laptops, merged once through
the PostgreSQL team server and once through bundle files, end in the same records on both laptops."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.persistence.models import Client, Contact, WorkLogEntry
from app.services.clients import ClientInput, PersonInput
from app.services.worklog import EntryInput, add_entry
from app.sync.service import conflicts

pytestmark = pytest.mark.postgres

INN = "7707083893"
CLIENT = ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote", city="Москва",
                     contacts=[PersonInput(name="Иванов Иван", phone="+7 900 000-00-01"),
                               PersonInput(name="Петров Пётр", phone="+7 900 000-00-02")])


def _edits_offline(a, b) -> None:
    """The same edits in both worlds: A and B on their own, no exchange in between."""
    with a.unit() as s:
        client = s.scalar(select(Client))
        client.city, client.notes = "Подольск", "из А"
        s.delete(s.scalar(select(Contact).where(Contact.name == "Петров Пётр")))
    with b.unit() as s:
        client = s.scalar(select(Client))
        client.city, client.contract_no = "Химки", "ВН-7"  # city: the same field on both sides
        s.scalar(select(Contact).where(Contact.name == "Петров Пётр")).phone = "+7 495 123-45-67"  # vs A's delete
        s.scalar(select(Contact).where(Contact.name == "Иванов Иван")).position = "Главный инженер"
    add_entry(a, INN, EntryInput(kind="conference", on_date=date(2026, 3, 2), minutes=90, note="А"))
    add_entry(b, INN, EntryInput(kind="questions", on_date=date(2026, 3, 3), minutes=20, note="Б"))


def _state(db) -> dict:
    with db.read() as s:
        client = s.scalar(select(Client))
        return {
            "client": {k: getattr(client, k) for k in ("name", "inn", "city", "notes", "contract_no", "approach")},
            "contacts": sorted((c.name, c.phone, c.position) for c in s.scalars(select(Contact))),
            "work": sorted((w.on_date, w.kind, w.minutes, w.note) for w in s.scalars(select(WorkLogEntry))),
        }


def _conflicts(db) -> list[tuple[str, str, str | None, str | None]]:
    return sorted((c.kind, c.field, c.local_value, c.server_value) for c in conflicts(db))


def test_a_bundle_and_the_server_sync_give_the_same_result(server, two_worlds):
    worlds = two_worlds(CLIENT)  # A made the client; the server and USB laptop B have it
    (ta, tb), (ba, bb) = worlds.team, worlds.usb
    assert _state(ta) == _state(ba) and _state(tb) == _state(bb)  # the same starting point

    _edits_offline(ta, tb)
    _edits_offline(ba, bb)
    worlds.exchange()  # A's changes reach B first, as A's reached the server first

    expected = _state(server)  # the team's records
    assert expected["client"]["city"] == "Подольск"  # the value that left its laptop first
    assert expected["client"]["contract_no"] == "ВН-7" and expected["client"]["notes"] == "из А"
    assert ("Петров Пётр", "+7 495 123-45-67", "") in expected["contacts"]  # the edit beat the delete
    assert len(expected["work"]) == 2
    assert _state(ta) == expected and _state(ba) == expected and _state(bb) == expected
    assert _state(tb) == expected  # B keeps the contact its edit brought back, like the server and A
    # B holds the same conflicts, with both values, in either world
    assert _conflicts(tb) == _conflicts(bb) == [("delete_edit", "", "edited", "deleted"),
                                                ("field", "city", "Химки", "Подольск")]


def _ticks(db) -> list:
    from app.persistence.models import ChecklistState

    with db.read() as s:
        return sorted((t.code, t.done, t.done_on) for t in s.scalars(select(ChecklistState)))


def test_a_tick_against_an_untick_ends_the_same_through_the_server_and_through_bundles(server, two_worlds):
    """The tick's done/day/who are one group in both merges: A unticks, B unticks and ticks again on another
    day; A's change reaches the team first. Through the server and through files, all four laptops end with
    A's untick — never «not done» with B's day — and B holds one conflict on «done» in either world."""
    from app.services.progress import set_checklist

    worlds = two_worlds(CLIENT, lambda db: set_checklist(db, INN, ["s1.lessons"], True, on=date(2026, 3, 2)))
    for a, b in (worlds.team, worlds.usb):
        set_checklist(a, INN, ["s1.lessons"], False)
        set_checklist(b, INN, ["s1.lessons"], False)
        set_checklist(b, INN, ["s1.lessons"], True, on=date(2026, 3, 5))
    worlds.exchange()
    (ta, tb), (ba, bb) = worlds.team, worlds.usb
    expected = [("s1.lessons", False, None)]
    assert _ticks(server) == expected
    assert _ticks(ta) == _ticks(tb) == _ticks(ba) == _ticks(bb) == expected
    assert [(c.table, c.field, c.local_value, c.server_value) for c in conflicts(tb)] == \
        [(c.table, c.field, c.local_value, c.server_value) for c in conflicts(bb)] == \
        [("checklist_state", "done", "True", "False")]
