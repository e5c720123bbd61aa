"""An act routed through a computer outside the team comes back unchanged (issue 17, eng17 #2).

Team laptop A issues an act (the team's series '') and syncs; its file goes to a standalone computer C (where the
act takes A's installation series, as any other installation's document does); C's file goes to team laptop B,
which already has the act from the server. Before the fix B took C's series for its known act, and its next sync
was refused by the server's trigger: a false ``kept_by_server`` conflict though nobody changed the act. A document
already known here by its UUID keeps every column the server keeps fixed; the series of a file applies only to
documents new to this computer."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from app.exchange.bundle_export import export_bundle
from app.exchange.bundle_import import import_bundle
from app.persistence.db import open_database
from app.persistence.models import Document
from app.sync.service import conflicts, pending_count, sync_once
from tests.exchange.test_shared_marks_bundles import bill, code

pytestmark = pytest.mark.postgres


def _carry(src, dst, path):
    export_bundle(src, None, path)
    return import_bundle(dst, path, backup=False).report


def _fixed(db, act: str) -> tuple:
    with db.read() as s:
        d = s.scalar(select(Document).where(Document.uuid == act))
        return d.series, d.number, d.year, d.kind, d.total


@pytest.fixture
def standalone(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    yield db
    db.dispose()


def test_an_act_routed_through_a_standalone_computer_comes_back_to_a_team_laptop_unchanged(
        server, entry_pair, standalone, tmp_path):
    a, b, _ann, _boss = entry_pair
    act = bill(a)
    sync_once(a)
    sync_once(b)
    number = code(b, act)
    before = _fixed(b, act)
    assert before[0] == ""
    _carry(a, standalone, tmp_path / "a-to-c.zip")
    assert _fixed(standalone, act)[0] not in ("", None)  # C sees A's installation's act: «(установка …)»
    report = _carry(standalone, b, tmp_path / "c-to-b.zip")
    assert not [label for label, fields in report.changed if "series" in fields]
    assert _fixed(b, act) == before and code(b, act) == number
    sync = sync_once(b)
    assert [c.kind for c in conflicts(b)] == [] and sync.conflicts == 0 and sync.refused == ()
    assert pending_count(b) == 0
    with server.engine.connect() as conn:
        assert conn.execute(text("SELECT series FROM document WHERE uuid = :u"), {"u": act}).scalar() == ""


def test_a_new_act_from_a_standalone_computer_keeps_that_computers_series_on_a_team_laptop(
        server, entry_pair, standalone, tmp_path):
    """The other direction: a document new to the team laptop takes the file's series as before (the
    standalone computer's own act is «(установка …)» on the team), and the sync takes it."""
    a, _b, _ann, _boss = entry_pair
    _carry(a, standalone, tmp_path / "a-to-c.zip")
    act = bill(standalone)
    with standalone.read() as s:
        from app.persistence.models import Setting

        installation = s.get(Setting, "installation_id").value.lower()
    _carry(standalone, a, tmp_path / "c-to-a.zip")
    assert _fixed(a, act)[0] == installation
    report = sync_once(a)
    assert [c.kind for c in conflicts(a)] == [] and report.refused == ()
    with server.engine.connect() as conn:
        assert conn.execute(text("SELECT series FROM document WHERE uuid = :u"), {"u": act}).scalar() == installation


def test_an_act_the_team_has_reaches_a_laptop_first_through_a_standalone_computer_and_the_sync_is_clean(
        server, entry_pair, standalone, tmp_path):
    """B has not pulled the act yet when C's file brings it (with A's installation series, from C): the act is new
    to B, so the file's series applies there — but the team has it, so B's sync takes the server's issued values
    instead of sending the series as a change (refused by the server's trigger before: a false
    ``kept_by_server`` conflict)."""
    a, b, _ann, _boss = entry_pair
    act = bill(a)
    sync_once(a)
    number = code(a, act)
    _carry(a, standalone, tmp_path / "a-to-c.zip")
    _carry(standalone, b, tmp_path / "c-to-b.zip")
    assert _fixed(b, act)[0] not in ("", None)  # new to B: C's view of the act's series, until the sync
    report = sync_once(b)
    assert [c.kind for c in conflicts(b)] == [] and report.conflicts == 0 and report.not_taken == 0
    assert _fixed(b, act) == _fixed(a, act) and code(b, act) == number
    assert pending_count(b) == 0
    with server.engine.connect() as conn:
        assert conn.execute(text("SELECT series FROM document WHERE uuid = :u"), {"u": act}).scalar() == ""
    assert sync_once(b).conflicts == 0
