"""A checklist item added offline, and its tick, reach the other laptop alike through the team server and through
a bundle: the same item (same code, same UUID), the same title, the same tick; its renames (one or crossing) and
its deletion (alone, or crossed by a tick) end alike too."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.persistence.models import ChecklistTemplate
from app.services.clients import ClientInput
from app.services.progress import checklist, set_checklist
from app.services.templates import add_checklist_item, delete_checklist_item, rename_checklist_item
from app.sync.service import sync_once

pytestmark = pytest.mark.postgres

INN = "7707083893"
CLIENT = ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote", city="Москва")


def _added(db) -> list[tuple]:
    """The user-added items with their UUIDs, and the client's checklist as the card shows it."""
    with db.read() as s:
        items = sorted((t.code, t.stage, t.title, t.uuid) for t in s.scalars(select(ChecklistTemplate))
                       if t.uuid is not None)
    shown = [(i.code, i.title, i.done, i.done_on) for i in checklist(db, INN)]
    return [items, shown]


def test_an_added_item_and_its_tick_arrive_alike_by_server_and_by_bundle(two_worlds):
    worlds = two_worlds(CLIENT)
    (ta, tb), (ba, bb) = worlds.team, worlds.usb
    for a in (ta, ba):  # the same offline work on A in both worlds
        add_checklist_item(a, 2, "Настроить ЭДО", code="s2.edo_setup")
        set_checklist(a, INN, ["s2.edo_setup"], True, on=date(2026, 3, 2))
    sync_once(ta)
    sync_once(tb)
    worlds.carry(ba, bb)

    expected = _added(ta)
    assert expected[0][0][:3] == ("s2.edo_setup", 2, "Настроить ЭДО")
    assert ("s2.edo_setup", "Настроить ЭДО", True, date(2026, 3, 2)) in expected[1]
    assert _added(tb) == _added(ba) == _added(bb) == expected
    # and back: B's next exchange changes nothing on A in either world
    sync_once(tb)
    sync_once(ta)
    worlds.carry(bb, ba)
    assert _added(ta) == _added(ba) == expected


def _spread(worlds, title: str = "Настроить ЭДО") -> str:
    """A adds an item in both worlds and the exchanges bring it to B; returns its code."""
    code = "s2.edo_setup"
    for a in (worlds.team[0], worlds.usb[0]):
        add_checklist_item(a, 2, title, code=code)
    worlds.exchange()
    return code


def _titles(db) -> dict[str, str]:
    with db.read() as s:
        return {t.code: t.title for t in s.scalars(select(ChecklistTemplate)) if t.uuid is not None}


def _item_conflicts(db) -> list[tuple]:
    from app.sync.service import conflicts

    return [(c.table, c.kind, c.field, c.local_value, c.server_value) for c in conflicts(db)]


def test_renames_on_both_laptops_end_alike_by_server_and_by_bundle(server, two_worlds):
    worlds = two_worlds(CLIENT)
    code = _spread(worlds)
    for a, b in (worlds.team, worlds.usb):
        rename_checklist_item(a, code, "Настроить ЭДО с Диадоком")
        rename_checklist_item(b, code, "Настроить ЭДО со СБИС")
    worlds.exchange()  # A's rename reaches the team first in both worlds
    for db in (server, *worlds.team, *worlds.usb):
        assert _titles(db) == {code: "Настроить ЭДО с Диадоком"}
    expected = [("checklist_template", "field", "title", "Настроить ЭДО со СБИС", "Настроить ЭДО с Диадоком")]
    assert _item_conflicts(worlds.team[1]) == _item_conflicts(worlds.usb[1]) == expected
    assert _item_conflicts(worlds.team[0]) == _item_conflicts(worlds.usb[0]) == []


def test_a_deletion_ends_alike_by_server_and_by_bundle(server, two_worlds):
    worlds = two_worlds(CLIENT)
    code = _spread(worlds)
    for a, _b in (worlds.team, worlds.usb):
        delete_checklist_item(a, code)
    worlds.exchange()
    for db in (server, *worlds.team, *worlds.usb):
        assert code not in _titles(db)
        assert code not in {i.code for i in checklist(db, INN)}


def test_a_tick_that_crossed_a_deletion_brings_the_item_back_alike(server, two_worlds):
    worlds = two_worlds(CLIENT)
    code = _spread(worlds)
    for a, b in (worlds.team, worlds.usb):
        set_checklist(b, INN, [code], True, on=date(2026, 3, 5))  # B ticks offline
        delete_checklist_item(a, code)  # while A deletes it
    worlds.exchange()
    worlds.exchange()  # the team needs a second round: B's laptop queued the item back at its first sync
    for db in (server, *worlds.team, *worlds.usb):
        assert _titles(db) == {code: "Настроить ЭДО"}
        assert [(i.done, i.done_on) for i in checklist(db, INN) if i.code == code] == [(True, date(2026, 3, 5))]
