"""A USB stick and the team server never disagree: the same offline edits on two laptops, merged once through
the PostgreSQL team server and once through bundle files, end in the same records on both laptops."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.exchange.bundle import export_bundle, import_bundle
from app.persistence.db import open_database
from app.persistence.models import Client, Contact, WorkLogEntry
from app.services.clients import ClientInput, PersonInput, add_client
from app.services.worklog import EntryInput, add_entry
from app.sync.service import conflicts, setup, sync_once
from app.team.users import add_user, assign_client
from tests.team.conftest import PASSWORD, plain_url

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


def test_a_bundle_and_the_server_sync_give_the_same_result(server, server_url, login_of, tmp_path):
    # world 1: two laptops and the team server; A syncs first, then B, then A again
    ann, boss = login_of("ann"), login_of("boss")
    add_user(server, boss, "Петрова Мария", "manager", PASSWORD)
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD, manager=boss)
    add_client(server, CLIENT)
    assign_client(server, INN, specialist=ann)
    team = []
    for name, login in (("a", ann), ("b", boss)):
        db = open_database(f"sqlite:///{tmp_path / (name + '-team.sqlite3')}")
        setup(db, plain_url(server_url, login), PASSWORD)
        sync_once(db)
        team.append(db)
    ta, tb = team
    # world 2: two laptops with no network; A made the client and gave B a copy on a USB stick
    ba = open_database(f"sqlite:///{tmp_path / 'a-usb.sqlite3'}")
    bb = open_database(f"sqlite:///{tmp_path / 'b-usb.sqlite3'}")
    try:
        add_client(ba, CLIENT)
        _carry(ba, bb, tmp_path / "0.zip")
        assert _state(ta) == _state(ba) and _state(tb) == _state(bb)  # the same starting point

        _edits_offline(ta, tb)
        _edits_offline(ba, bb)

        sync_once(ta)
        sync_once(tb)
        sync_once(ta)
        _carry(ba, bb, tmp_path / "1.zip")  # A's changes reach B first, as A's reached the server first
        _carry(bb, ba, tmp_path / "2.zip")

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
    finally:
        for db in (*team, ba, bb):
            db.dispose()


def _carry(src, dst, path: Path) -> None:
    export_bundle(src, None, path)
    import_bundle(dst, path, backup=False)


def _ticks(db) -> list:
    from app.persistence.models import ChecklistState

    with db.read() as s:
        return sorted((t.code, t.done, t.done_on) for t in s.scalars(select(ChecklistState)))


def test_a_tick_against_an_untick_ends_the_same_through_the_server_and_through_bundles(server, server_url,
                                                                                        login_of, tmp_path):
    """The tick's done/day/who are one group in both merges: A unticks, B unticks and ticks again on another
    day; A's change reaches the team first. Through the server and through files, all four laptops end with
    A's untick — never «not done» with B's day — and B holds one conflict on «done» in either world."""
    from app.services.progress import set_checklist

    ann, boss = login_of("ann"), login_of("boss")
    add_user(server, boss, "Петрова Мария", "manager", PASSWORD)
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD, manager=boss)
    add_client(server, CLIENT)
    assign_client(server, INN, specialist=ann)
    set_checklist(server, INN, ["s1.lessons"], True, on=date(2026, 3, 2))
    team = []
    for name, login in (("a", ann), ("b", boss)):
        db = open_database(f"sqlite:///{tmp_path / (name + '-team.sqlite3')}")
        setup(db, plain_url(server_url, login), PASSWORD)
        sync_once(db)
        team.append(db)
    ta, tb = team
    ba = open_database(f"sqlite:///{tmp_path / 'a-usb.sqlite3'}")
    bb = open_database(f"sqlite:///{tmp_path / 'b-usb.sqlite3'}")
    try:
        add_client(ba, CLIENT)
        set_checklist(ba, INN, ["s1.lessons"], True, on=date(2026, 3, 2))
        _carry(ba, bb, tmp_path / "0.zip")
        for a, b in ((ta, tb), (ba, bb)):
            set_checklist(a, INN, ["s1.lessons"], False)
            set_checklist(b, INN, ["s1.lessons"], False)
            set_checklist(b, INN, ["s1.lessons"], True, on=date(2026, 3, 5))
        sync_once(ta)
        sync_once(tb)
        sync_once(ta)
        _carry(ba, bb, tmp_path / "1.zip")
        _carry(bb, ba, tmp_path / "2.zip")
        expected = [("s1.lessons", False, None)]
        assert _ticks(server) == expected
        assert _ticks(ta) == _ticks(tb) == _ticks(ba) == _ticks(bb) == expected
        assert [(c.table, c.field, c.local_value, c.server_value) for c in conflicts(tb)] == \
            [(c.table, c.field, c.local_value, c.server_value) for c in conflicts(bb)] == \
            [("checklist_state", "done", "True", "False")]
    finally:
        for db in (*team, ba, bb):
            db.dispose()
