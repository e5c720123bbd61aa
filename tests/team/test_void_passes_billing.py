"""Issue 17 (trial of 05:15): voiding the act the server did NOT keep in a double billing must leave the work
billed by the act still in force. Laptop «a» issues X billing entry E and syncs; «b», offline, issues Y billing
E and syncs (the server keeps X); «a» pulls Y. The user voids X (on «a», or on «b»): E passes to Y — its mark is Y
on the laptop that voids at once, on the other laptop and on the server after a sync; E stays billed and cannot
be edited (before the fix: «не выставлено», editable, and the server held the edit with no mark)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.errors import UserError
from app.persistence.models import WorkLogEntry
from app.services.worklog import EntryInput, update_entry
from app.sync.service import conflicts, sync_once
from app.team.audit import client_history_lines
from tests.team.test_shared_marks import INN, bill, billed_by, pair, void  # noqa: F401  (two laptops of one team)

pytestmark = pytest.mark.postgres


def entry_id(db) -> int:
    with db.read() as s:
        return int(s.scalar(select(WorkLogEntry.id).where(WorkLogEntry.note == "E")))


def minutes(db) -> int:
    with db.read() as s:
        return int(s.scalar(select(WorkLogEntry.minutes).where(WorkLogEntry.note == "E")))


@pytest.mark.parametrize("voided_on", ["a", "b"])
def test_voiding_the_kept_act_of_a_double_billing_passes_the_work_to_the_other_act(pair, server,  # noqa: F811
                                                                                   voided_on):
    a, b = pair
    x = bill(a)
    sync_once(a)
    y = bill(b)
    sync_once(b)
    sync_once(a)  # a holds Y too (it lists E)
    assert billed_by(server) == billed_by(a) == billed_by(b) == x
    here, there = (a, b) if voided_on == "a" else (b, a)
    void(here, x)
    assert billed_by(here) == y  # at once, on the laptop that voids: not «не выставлено»
    # the trail says where the work went, not «→ —» (an entry billed by an act in force)
    changes = [line.text().rsplit("\t", 1)[1] for line in client_history_lines(here, INN)
               if "выставлено актом" in line.text()]
    assert changes[0] == f"{x} → {y}", changes
    before = minutes(here)
    with pytest.raises(UserError, match=y):
        update_entry(here, entry_id(here), EntryInput(on_date=date(2026, 3, 2),
                                                      kind="conference", minutes=240, note="E"))
    sync_once(here)
    sync_once(there)
    sync_once(here)
    assert billed_by(server) == billed_by(a) == billed_by(b) == y
    assert minutes(a) == minutes(b) == minutes(server) == before
    assert conflicts(a) == conflicts(b) == []


def test_a_void_still_unbills_work_no_other_act_lists(pair, server):  # noqa: F811
    """The usual void: the act alone bills E, voided → E is unbilled (editable, billable) everywhere."""
    a, b = pair
    x = bill(a)
    sync_once(a)
    sync_once(b)
    void(a, x)
    assert billed_by(a) is None
    sync_once(a)
    sync_once(b)
    assert billed_by(server) is None and billed_by(b) is None
