"""An act carried to the team by someone else keeps its issuer: A issues it offline and hands B a bundle; B's
sync brings it to the server first. The server and both laptops record A as the act's author (updated_by), as
a bundle between two laptops does — never the member who carried or pushed it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.persistence.models import Document
from app.services.clients import ClientInput
from app.services.worklog import EntryInput, add_entry
from app.sync.service import sync_once
from tests.exchange.test_shared_marks_bundles import bill

pytestmark = pytest.mark.postgres

INN = "7707083893"
CLIENT = ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote")


def _issuer(db, act: str) -> str:
    with db.read() as s:
        return s.scalar(select(Document.updated_by).where(Document.uuid == act))


def _work(db) -> None:
    add_entry(db, INN, EntryInput(kind="conference", on_date=date(2026, 3, 2), minutes=60, note="E"))


def test_an_act_carried_by_bundle_and_pushed_by_another_member_keeps_its_issuer(server, two_worlds):
    worlds = two_worlds(CLIENT, _work)
    (ta, tb), (ua, ub) = worlds.team, worlds.usb
    ann = next(login for login, side in worlds.who.items() if side == "a" and "_" in login)
    act = bill(ta)  # A issues the act offline
    assert _issuer(ta, act) == ann
    worlds.carry(ta, tb)  # and hands B a USB stick; B reaches the server first
    assert _issuer(tb, act) == ann
    sync_once(tb)
    assert _issuer(server, act) == ann
    sync_once(ta)
    sync_once(tb)
    assert [_issuer(db, act) for db in (server, ta, tb)] == [ann] * 3
    # between two laptops with no server: the same
    usb_act = bill(ua)
    worlds.carry(ua, ub)
    assert _issuer(ub, usb_act) == _issuer(ua, usb_act) == "Иванова Анна"


def test_a_member_still_signs_what_they_change(server, two_worlds):
    """Only a document's first version keeps the author it arrives with: an edit is the editor's."""
    from app.services.documents.register import set_signed_returned

    worlds = two_worlds(CLIENT, _work)
    ta, tb = worlds.team
    act = bill(ta)
    sync_once(ta)
    sync_once(tb)
    boss = next(login for login, side in worlds.who.items() if side == "b" and "_" in login)
    with tb.read() as s:
        code = s.scalar(select(Document.id).where(Document.uuid == act))
    set_signed_returned(tb, code, date.today())
    sync_once(tb)
    assert _issuer(server, act) == boss
