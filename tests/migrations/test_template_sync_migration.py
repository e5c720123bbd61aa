"""Migration 0015: items a user added before it get the UUID of their code (and go to the team server at the
next sync on a laptop already in a team); the shipped items get none; old server tombstones stay readable."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from app.persistence.db import Database, make_engine, open_database
from app.persistence.migrate import upgrade
from app.persistence.models import template_uuid


@pytest.mark.parametrize("in_team", [True, False])
def test_items_added_before_0015_get_their_codes_uuid_and_are_queued_in_a_team(tmp_path, in_team):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = make_engine(url)
    old = Database(url=url, engine=engine, factory=sessionmaker(engine))
    upgrade(old, "0014")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO stage(number, title, goal) VALUES (1, 'Этап 1', ''), (2, 'Этап 2', '')"))
        conn.execute(text("INSERT INTO checklist_template(code, stage, position, title) VALUES "
                          "('s1.lessons', 1, 1, 'Уроки'), ('s2.custom_1', 2, 2, 'Своё')"))
        conn.execute(text("INSERT INTO sync_tombstone(table_name, record_uuid, row_version) VALUES ('contact', 'x', 5)"))
        if in_team:
            conn.execute(text("INSERT INTO setting(key, value) VALUES ('team.login', 'ann')"))
    engine.dispose()
    db = open_database(url)
    try:
        with db.engine.connect() as conn:
            rows = dict(conn.execute(text("SELECT code, uuid FROM checklist_template "
                                          "WHERE code IN ('s1.lessons', 's2.custom_1')")).all())
            outbox = conn.execute(text("SELECT table_name, record_uuid, deleted FROM sync_outbox")).all()
            marks = conn.execute(text("SELECT specialist_login FROM sync_tombstone")).all()
        assert rows == {"s1.lessons": None, "s2.custom_1": template_uuid("s2.custom_1")}  # s1.lessons is shipped
        assert outbox == ([("checklist_template", template_uuid("s2.custom_1"), 0)] if in_team else [])
        assert marks == [("*",)]
    finally:
        db.dispose()


def test_shipped_items_get_no_uuid(db):
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM checklist_template WHERE uuid IS NOT NULL")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM checklist_template")).scalar() > 0
