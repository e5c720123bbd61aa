"""A USB stick and the team server never disagree on shared marks either: the same work billed on two laptops
offline, and the same checklist item ticked on both, end the same through the PostgreSQL team server and
through bundle files — the same act keeps the work, the same tick stays, one row, the same conflicts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.exchange.bundle import export_bundle, import_bundle
from app.persistence.db import open_database
from app.persistence.models import ChecklistState, Document, Setting
from app.services.clients import ClientInput, add_client
from app.services.worklog import EntryInput, add_entry
from app.sync.service import conflicts, setup, sync_once
from app.team.users import add_user, assign_client
from tests.exchange.test_shared_marks_bundles import bill, billing_act, code
from tests.team.conftest import PASSWORD, plain_url

pytestmark = pytest.mark.postgres

INN = "7707083893"
CLIENT = ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote")


def _carry(src, dst, path: Path) -> None:
    export_bundle(src, None, path)
    import_bundle(dst, path, backup=False)


def _worlds(server, server_url, login_of, tmp_path, prepare):
    """World 1: the team server and laptops «a», «b» (synced once after ``prepare(server)``); world 2: two
    laptops with no network, «a» prepared the same and gave «b» a copy on a USB stick."""
    ann, boss = login_of("ann"), login_of("boss")
    add_user(server, boss, "Петрова Мария", "manager", PASSWORD)
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD, manager=boss)
    add_client(server, CLIENT)
    assign_client(server, INN, specialist=ann)
    prepare(server)
    team = []
    for name, login in (("a", ann), ("b", boss)):
        db = open_database(f"sqlite:///{tmp_path / (name + '-team.sqlite3')}")
        setup(db, plain_url(server_url, login), PASSWORD)
        sync_once(db)
        team.append(db)
    usb = [open_database(f"sqlite:///{tmp_path / (name + '-usb.sqlite3')}") for name in ("a", "b")]
    for db, name in zip(usb, ("Иванова Анна", "Петрова Мария"), strict=True):
        with db.unit() as s:
            s.add(Setting(key="team.profile_name", value=name))
    add_client(usb[0], CLIENT)
    prepare(usb[0])
    _carry(usb[0], usb[1], tmp_path / "0.zip")
    return team, usb, {ann: "a", boss: "b", "Иванова Анна": "a", "Петрова Мария": "b"}


def _exchange(team, usb, tmp_path) -> None:
    """A's changes reach the others first: A, B, A sync; A's file goes to B, then B's back to A."""
    ta, tb = team
    sync_once(ta)
    sync_once(tb)
    sync_once(ta)
    _carry(usb[0], usb[1], tmp_path / "1.zip")
    _carry(usb[1], usb[0], tmp_path / "2.zip")


def test_the_same_work_billed_on_two_laptops_ends_the_same_through_the_server_and_bundles(
        server, server_url, login_of, tmp_path):
    def prepare(db):
        add_entry(db, INN, EntryInput(kind="conference", on_date=date(2026, 3, 2), minutes=60, note="E"))

    team, usb, _who = _worlds(server, server_url, login_of, tmp_path, prepare)
    try:
        issuer = {}
        for world in (team, usb):
            for db, name in zip(world, ("a", "b"), strict=True):
                issuer[bill(db)] = name
        _exchange(team, usb, tmp_path)
        # A's act keeps the work on every computer of both worlds (and on the server)
        assert [issuer[billing_act(db)] for db in (server, *team, *usb)] == ["a"] * 5
        for world in (team, usb):
            a, b = world
            acts = {name: act for act, name in issuer.items() if act in _acts(a)}
            assert _acts(a) == _acts(b) == set(acts.values())  # both acts on both laptops, none voided
            assert conflicts(a) == []
            assert [(c.kind, c.field, c.local_value, c.server_value) for c in conflicts(b)] == [
                ("double_billing", "billed_by_document_uuid", code(b, acts["b"]), code(b, acts["a"]))]
    finally:
        for db in (*team, *usb):
            db.dispose()


def _acts(db) -> set[str]:
    with db.read() as s:
        return set(s.scalars(select(Document.uuid).where(Document.voided_on.is_(None))))


@pytest.mark.parametrize("b_day", [date(2026, 3, 2), date(2026, 3, 5)], ids=["same-day", "other-day"])
def test_the_same_item_ticked_on_both_laptops_ends_the_same_through_the_server_and_bundles(
        server, server_url, login_of, tmp_path, b_day):
    from app.services.progress import set_checklist

    team, usb, who = _worlds(server, server_url, login_of, tmp_path, lambda db: None)
    try:
        for a, b in (team, usb):
            set_checklist(a, INN, ["s1.lessons"], True, on=date(2026, 3, 2))
            set_checklist(b, INN, ["s1.lessons"], True, on=b_day)
        _exchange(team, usb, tmp_path)

        def ticks(db):
            with db.read() as s:
                return [(t.code, t.done, t.done_on, who.get(t.who, t.who)) for t in s.scalars(select(ChecklistState))]

        expected = [("s1.lessons", True, date(2026, 3, 2), "a")]  # one row: A's tick, which left first
        assert [ticks(db) for db in (server, *team, *usb)] == [expected] * 5
        found = [[(c.kind, c.field, c.local_value, c.server_value) for c in conflicts(db)] for db in (*team, *usb)]
        b_conflicts = [] if b_day == date(2026, 3, 2) else [("field", "done_on", b_day.isoformat(), "2026-03-02")]
        assert found == [[], b_conflicts, [], b_conflicts]
    finally:
        for db in (*team, *usb):
            db.dispose()


def test_an_entry_billed_on_one_laptop_and_edited_on_the_other_ends_the_same_through_the_server_and_bundles(
        server, server_url, login_of, tmp_path):
    from app.persistence.models import WorkLogEntry
    from app.services.worklog import update_entry

    def prepare(db):
        add_entry(db, INN, EntryInput(kind="conference", on_date=date(2026, 3, 2), minutes=60, note="E"))

    team, usb, _who = _worlds(server, server_url, login_of, tmp_path, prepare)
    try:
        for a, b in (team, usb):
            bill(a)
            with b.read() as s:
                entry_id = s.scalar(select(WorkLogEntry.id).where(WorkLogEntry.note == "E"))
            update_entry(b, entry_id, EntryInput(kind="conference", on_date=date(2026, 3, 2), minutes=90, note="E"))
        _exchange(team, usb, tmp_path)

        def minutes(db):
            with db.read() as s:
                return s.scalar(select(WorkLogEntry.minutes).where(WorkLogEntry.note == "E"))

        assert [minutes(db) for db in (server, *team, *usb)] == [60] * 5
        found = [[(c.kind, c.field, c.local_value, c.server_value) for c in conflicts(db)] for db in (*team, *usb)]
        assert found == [[], [("billed_edit", "minutes", "90", "60")], [], [("billed_edit", "minutes", "90", "60")]]
    finally:
        for db in (*team, *usb):
            db.dispose()
