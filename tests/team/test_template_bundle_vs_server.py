"""A checklist item added offline, and its tick, reach the other laptop alike through the team server and through
a bundle: the same item (same code, same UUID), the same title, the same tick."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.exchange.bundle import export_bundle, import_bundle
from app.persistence.db import open_database
from app.persistence.models import ChecklistTemplate
from app.services.clients import ClientInput, add_client
from app.services.progress import checklist, set_checklist
from app.services.templates import add_checklist_item
from app.sync.service import setup, sync_once
from app.team.users import add_user, assign_client
from tests.team.conftest import PASSWORD, plain_url

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


def _carry(src, dst, path: Path) -> None:
    export_bundle(src, None, path)
    import_bundle(dst, path, backup=False)


def test_an_added_item_and_its_tick_arrive_alike_by_server_and_by_bundle(server, server_url, login_of, tmp_path):
    ann, boss = login_of("ann"), login_of("boss")
    add_user(server, boss, "Петрова Мария", "manager", PASSWORD)
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD, manager=boss)
    add_client(server, CLIENT)
    assign_client(server, INN, specialist=ann)
    opened = []
    try:
        team = []
        for name, login in (("a", ann), ("b", boss)):
            db = open_database(f"sqlite:///{tmp_path / (name + '-team.sqlite3')}")
            opened.append(db)
            setup(db, plain_url(server_url, login), PASSWORD)
            sync_once(db)
            team.append(db)
        ta, tb = team
        ba = open_database(f"sqlite:///{tmp_path / 'a-usb.sqlite3'}")
        bb = open_database(f"sqlite:///{tmp_path / 'b-usb.sqlite3'}")
        opened += [ba, bb]
        add_client(ba, CLIENT)
        _carry(ba, bb, tmp_path / "0.zip")

        for a in (ta, ba):  # the same offline work on A in both worlds
            add_checklist_item(a, 2, "Настроить ЭДО", code="s2.edo_setup")
            set_checklist(a, INN, ["s2.edo_setup"], True, on=date(2026, 3, 2))
        sync_once(ta)
        sync_once(tb)
        _carry(ba, bb, tmp_path / "1.zip")

        expected = _added(ta)
        assert expected[0][0][:3] == ("s2.edo_setup", 2, "Настроить ЭДО")
        assert ("s2.edo_setup", "Настроить ЭДО", True, date(2026, 3, 2)) in expected[1]
        assert _added(tb) == _added(ba) == _added(bb) == expected
        # and back: B's next exchange changes nothing on A in either world
        sync_once(tb)
        sync_once(ta)
        _carry(bb, ba, tmp_path / "2.zip")
        assert _added(ta) == _added(ba) == expected
    finally:
        for db in opened:
            db.dispose()
