"""Migration 0016: a database of an older schema with data gets client_counts filled with the live counts and
the triggers that keep them; a restored older backup too."""

from __future__ import annotations

from datetime import date

from alembic import command
from sqlalchemy import text

from app.exchange.restore import restore_backup
from app.persistence.db import open_database
from app.persistence.migrate import alembic_config, current_revision
from app.services.client_list import list_clients, summaries
from app.services.demo import fill_demo
from app.services.demo_workspace import DEMO_KEY
from app.services.progress import set_lessons


def _counts(db) -> tuple[dict, dict]:
    """client id → (ticked at its stage, active lessons done): stored in client_counts, and counted live."""
    with db.engine.connect() as conn:
        stored = {cid: (d, n) for cid, d, n in conn.execute(text("SELECT * FROM client_counts"))}
    with db.read() as s:
        live = {r.id: (r.checklist_done, r.lessons_done) for r in summaries(s, live=True)}
    return stored, live


def _old_demo(path) -> None:
    """The demo's data in a database taken back to 0015 (no client_counts, no triggers), its counters changed after that."""
    db = open_database(f"sqlite:///{path}")
    fill_demo(db, today=date(2026, 11, 2))
    with db.engine.begin() as conn:
        config = alembic_config(db)
        config.attributes["connection"] = conn
        command.downgrade(config, "0015")
    assert current_revision(db) == "0015"
    with db.engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM sqlite_master WHERE name LIKE '%counts%' "
                                 "AND type IN ('table', 'trigger')")).scalar() == 0
        conn.execute(text("UPDATE client SET stage = 2 WHERE id = (SELECT min(id) FROM client)"))
        conn.execute(text("DELETE FROM setting WHERE key = :k"), {"k": DEMO_KEY})  # restorable over real data
    db.dispose()


def test_an_older_database_gets_its_counters_filled(tmp_path):
    _old_demo(tmp_path / "old.sqlite3")
    db = open_database(f"sqlite:///{tmp_path / 'old.sqlite3'}")  # migrates to head
    try:
        stored, live = _counts(db)
        assert stored == live and len(live) > 3
        assert sum(d for d, _n in live.values()) > 0 and sum(n for _d, n in live.values()) > 0
        client = min(live)
        set_lessons(db, client, ["L01", "L02", "L03"], True)  # the triggers came with the table
        stored, live = _counts(db)
        assert stored == live
    finally:
        db.dispose()


def test_a_restored_older_backup_gets_its_counters_filled(tmp_path):
    _old_demo(tmp_path / "old.sqlite3")
    db = open_database(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    try:
        assert list_clients(db) == []
        restore_backup(db, tmp_path / "old.sqlite3")
        stored, live = _counts(db)
        assert stored == live and len(live) > 3
        with db.read() as s:
            assert summaries(s) == summaries(s, live=True)
    finally:
        db.dispose()
