"""Issue 17 (brief fix17a point 2): «Отправлено: N» counts only the records whose push changed the server
(inserted, updated, deleted) — not a record the server already had as it is (the team's own data carried back by
a bundle through a computer outside the team), not a same-field conflict in which the server kept its value, not
a deletion the server overrode (edited there meanwhile)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text

from app.persistence.db import open_database
from app.persistence.models import Client, Contact
from app.services.progress import set_checklist
from app.sync.service import conflicts, pending_count, sync_once
from tests.team.conftest import PASSWORD, plain_url
from tests.team.test_team_wide_rights import laptop, team  # noqa: F401  (laptops of a team with an administrator)

pytestmark = pytest.mark.postgres

INN = "7707083893"


def _version(server) -> int:
    """The highest version any row or tombstone of the server holds: what was written, not the sequence (each
    sync draws one number for its witness, app/sync/witness.py, which writes no record)."""
    with server.engine.connect() as conn:
        tables = conn.execute(text("SELECT table_name FROM information_schema.columns WHERE column_name = "
                                   "'row_version' AND table_schema = current_schema()")).scalars().all()
        union = " UNION ALL ".join(f"SELECT max(row_version) AS v FROM {t}" for t in tables)
        return int(conn.execute(text(f"SELECT coalesce(max(v), 0) FROM ({union}) AS versions")).scalar())


def test_the_teams_own_data_back_from_a_bundle_is_not_counted_sent(server, server_url, entry_pair, tmp_path):
    """A's bundle taken by a computer outside the team, which then joins the team as ann: everything it holds is
    queued (it never synced) and the server has all of it as it is — nothing is «sent»."""
    from app.exchange.bundle_export import export_bundle
    from app.exchange.bundle_import import import_bundle
    from app.sync.sync_setup import setup

    a, _b, ann, _boss = entry_pair
    set_checklist(a, INN, ["s1.lessons", "s1.instruction"], True, on=date(2026, 3, 2))
    sync_once(a)
    export_bundle(a, None, tmp_path / "from-a.zip")
    outside = open_database(f"sqlite:///{tmp_path / 'outside.sqlite3'}")
    try:
        import_bundle(outside, tmp_path / "from-a.zip", backup=False)
        setup(outside, plain_url(server_url, ann), PASSWORD)
        assert pending_count(outside) == 4  # the client, its work entry, two ticks
        before = _version(server)
        report = sync_once(outside)
        assert _version(server) == before  # the server holds exactly what it held
        assert (report.pushed, report.not_taken, report.conflicts) == (0, 0, 0)
        assert pending_count(outside) == 0
    finally:
        outside.dispose()


def test_a_same_field_conflict_kept_by_the_server_is_not_counted_sent(server, entry_pair):
    a, b, _ann, _boss = entry_pair
    for db, city in ((a, "Тверь"), (b, "Клин")):
        with db.unit() as s:
            s.scalar(select(Client)).city = city
    assert sync_once(a).pushed == 1
    before = _version(server)
    report = sync_once(b)  # B's only change is the city the server keeps; its audit line is a line, not a record
    assert [(c.field, c.kept) for c in conflicts(b)] == [("city", "server")]
    assert (report.pushed, report.conflicts) == (0, 1)
    with server.read() as s:
        assert s.scalar(select(Client.city)) == "Тверь"
    assert _version(server) > before  # the line «изменено … Клин» reached the trail: that is all


def test_a_deletion_the_server_overrode_is_not_counted_sent(server, entry_pair):
    a, b, _ann, _boss = entry_pair
    with a.unit() as s:
        s.add(Contact(client_id=s.scalar(select(Client.id)), name="Петров Пётр", phone="+7 900 000-00-02"))
    sync_once(a)
    sync_once(b)
    with a.unit() as s:
        s.scalar(select(Contact)).phone = "+7 495 123-45-67"
    assert sync_once(a).pushed == 1
    with b.unit() as s:
        s.delete(s.scalar(select(Contact)))
    report = sync_once(b)
    assert [c.kind for c in conflicts(b)] == ["edit_delete"]
    assert (report.pushed, report.conflicts) == (0, 1)
    with server.read() as s:
        assert s.scalar(select(Contact.phone)) == "+7 495 123-45-67"


def test_what_changed_the_server_is_still_counted(server, entry_pair):
    """An edit, a new record and a deletion taken: three records sent."""
    a, _b, _ann, _boss = entry_pair
    with a.unit() as s:
        s.add(Contact(client_id=s.scalar(select(Client.id)), name="Петров Пётр", phone=""))
    assert sync_once(a).pushed == 1
    with a.unit() as s:
        s.scalar(select(Client)).city = "Тверь"
        s.delete(s.scalar(select(Contact)))
        s.add(Contact(client_id=s.scalar(select(Client.id)), name="Сидоров Илья", phone=""))
    assert sync_once(a).pushed == 3
    assert sync_once(a).pushed == 0


def test_a_team_wide_record_the_server_holds_as_it_is_is_not_counted_sent(laptop):  # noqa: F811
    """An administrator sets the billing rounding and sets it back before syncing: queued, and nothing to send."""
    from app.services.entry_rounding import set_billing_rounding

    chief = laptop("admin")
    set_billing_rounding(chief, 30)
    assert sync_once(chief).pushed == 1
    set_billing_rounding(chief, 15)
    set_billing_rounding(chief, 30)
    assert pending_count(chief) == 1
    assert sync_once(chief).pushed == 0
    set_billing_rounding(chief, 15)
    assert sync_once(chief).pushed == 1
