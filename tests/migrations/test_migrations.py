"""Alembic: a fresh and an older database both end at head; the models match the migrations."""

import sqlite3

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from app.persistence.db import Database, make_engine, open_database
from app.persistence.migrate import alembic_config, current_revision, head_revision, upgrade
from app.persistence.models import Base


def test_fresh_database_ends_at_head(db):
    assert current_revision(db) == head_revision()


def test_every_revision_from_empty_to_head_keeps_data(tmp_path):
    """Walk up the chain one revision at a time with a client inserted at the first one."""
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    from sqlalchemy.orm import sessionmaker

    engine = make_engine(url)
    db = Database(url=url, engine=engine, factory=sessionmaker(engine))
    script = ScriptDirectory.from_config(alembic_config())
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
    upgrade(db, revisions[0])
    with engine.begin() as conn:
        conn.execute(text("insert into stage(number, title, goal) values (0, 'Новый', '')"))
        conn.execute(text(
            "insert into client(uuid, updated_at, name, inn, kpp, address, city, approach, stage, stage_since,"
            " contract_no, program_version, manager, signer_name, signer_position, notes, created_at)"
            " values ('6f1c2b1e-0000-4000-8000-000000000001', '2024-07-01', 'Старый', '7707083893', '', '', '',"
            " 'remote', 0, '2024-07-01', '', '', '', '', '', '', '2024-07-01')"))
        conn.execute(text(
            "insert into document(uuid, updated_at, client_id, kind, year, number, issued_on, content)"
            " select '6f1c2b1e-0000-4000-8000-000000000002', '2024-07-31', id, 'act', 2024, 7, '2024-07-31', '{}'"
            " from client"))
    engine.dispose()
    assert revisions[:2] == ["0001", "0002"]
    reopened = open_database(url)
    assert current_revision(reopened) == head_revision()
    with reopened.engine.connect() as conn:
        assert conn.execute(text("select name from client")).scalar() == "Старый"
        assert conn.execute(text("select series, number from document")).all() == [("", 7)]
    reopened.dispose()


def test_models_match_migrations(db):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def _bare(url: str) -> Database:
    from sqlalchemy.orm import sessionmaker

    engine = make_engine(url)
    return Database(url=url, engine=engine, factory=sessionmaker(engine))


def test_0002_gives_old_documents_this_installations_series(db_url):
    """A database at 0001 with an issued document: 0002 keeps the row (series '') and numbers per series."""
    from sqlalchemy.exc import IntegrityError

    old = _bare(db_url)
    upgrade(old, "0001")
    with old.engine.begin() as conn:
        conn.execute(text("insert into stage(number, title, goal) values (0, 'Новый', '')"))
        conn.execute(text(
            "insert into client(id, uuid, updated_at, name, inn, kpp, address, city, approach, stage, stage_since,"
            " contract_no, program_version, manager, signer_name, signer_position, notes, created_at)"
            " values (1, '6f1c2b1e-0000-4000-8000-000000000001', '2024-07-01', 'Старый', '7707083893', '', '', '',"
            " 'remote', 0, '2024-07-01', '', '', '', '', '', '', '2024-07-01')"))
        conn.execute(text(
            "insert into document(uuid, updated_at, client_id, kind, year, number, issued_on, content)"
            " values ('6f1c2b1e-0000-4000-8000-000000000002', '2024-07-31', 1, 'act', 2024, 1, '2024-07-31', '{}')"))
    assert current_revision(old) == "0001"
    upgrade(old, "0002")
    assert current_revision(old) == "0002"
    with old.engine.connect() as conn:
        assert conn.execute(text("select series, kind, year, number, content from document")).all() == [
            ("", "act", 2024, 1, "{}")]
    insert = text("insert into document(uuid, updated_at, client_id, kind, year, number, issued_on, content, series)"
                  " values (:uuid, '2024-08-01', 1, 'act', 2024, 1, '2024-08-01', '{}', :series)")
    with old.engine.begin() as conn:  # the same number in another installation's series is fine now
        conn.execute(insert, {"uuid": "6f1c2b1e-0000-4000-8000-000000000003",
                              "series": "3f2a0000-0000-4000-8000-000000000000"})
    try:
        with old.engine.begin() as conn:
            conn.execute(insert, {"uuid": "6f1c2b1e-0000-4000-8000-000000000004", "series": ""})
    except IntegrityError:
        pass
    else:
        raise AssertionError("the same number in the same series must be refused")
    old.dispose()


def test_failed_migration_leaves_nothing_half_done(tmp_path, monkeypatch):
    """DDL runs in one transaction: a migration that fails midway leaves an empty file."""
    url = f"sqlite:///{tmp_path / 'broken.sqlite3'}"
    from alembic.operations import Operations

    import app.persistence.migrations.versions  # noqa: F401 - make sure the package exists

    original = Operations.create_table
    calls = {"n": 0}

    def flaky(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 5:
            raise RuntimeError("power cut")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Operations, "create_table", flaky)
    try:
        open_database(url)
    except RuntimeError:
        pass
    con = sqlite3.connect(tmp_path / "broken.sqlite3")
    tables = [r[0] for r in con.execute("select name from sqlite_master where type='table'")]
    con.close()
    assert tables == []


def test_sqlite_pragmas(db_url):
    if not db_url.startswith("sqlite"):
        return
    db = open_database(db_url)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    db.dispose()


def test_plain_engine_sees_head(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    open_database(url).dispose()
    engine = create_engine(url)
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head_revision()
    engine.dispose()
