"""A checklist item added offline, and its tick, reach the other laptop alike through the team server and through
a bundle: the same item (same code, same UUID), the same title, the same tick."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.persistence.models import ChecklistTemplate
from app.services.clients import ClientInput
from app.services.progress import checklist, set_checklist
from app.services.templates import add_checklist_item
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
