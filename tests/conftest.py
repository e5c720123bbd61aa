"""Shared fixtures: offscreen Qt, a private data dir, temporary databases (never the user's own)."""

from __future__ import annotations

import os
import tempfile

# Before anything imports Qt or reads the data dir.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_DATA = tempfile.mkdtemp(prefix="vnedrenie-test-data-")
os.environ["VNEDRENIE_DATA_DIR"] = _DATA
os.environ.pop("VNEDRENIE_DATABASE_URL", None)
os.environ.setdefault("XDG_CONFIG_HOME", os.path.join(_DATA, "config"))

import pytest  # noqa: E402

# Two shared cores in CI: time-per-example limits would fail tests at random, not on bugs.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

from app import i18n  # noqa: E402

_hypothesis_settings.register_profile("ci", deadline=None)
_hypothesis_settings.load_profile("ci")

i18n.set_language("ru")

PG_URL = os.environ.get("VNEDRENIE_TEST_PG_URL", "")


@pytest.fixture(autouse=True)
def _drop_test_databases():
    """After each test, drop the PostgreSQL databases it made (and those named after them: a dump's copy): a
    full run left ~2 700 of them, 27 GB, and filled the disk of the machine running it."""
    yield
    if not _CREATED:
        return
    names = list(_CREATED)
    _CREATED.clear()
    from sqlalchemy import create_engine, text

    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            found = conn.execute(text("SELECT datname FROM pg_database WHERE datname LIKE 'vn_test_%'")).scalars()
            for name in [d for d in found if any(d.startswith(n) for n in names)]:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(autouse=True)
def _no_issued_numbers_note():
    """Each test starts without this computer's note of issued numbers (app/sync/issued_marks.py, in the shared
    test data folder): files copied from one template share an installation id across tests."""
    from app.sync import issued_marks

    issued_marks.note_path().unlink(missing_ok=True)


_CREATED: list[str] = []  # the test PostgreSQL databases made by this process's current test


def _fresh_pg_url() -> str:
    """A new empty schema-less database on the test PostgreSQL server (dropped after the test)."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"vn_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    _CREATED.append(name)
    admin.dispose()
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


def pytest_collection_modifyitems(config, items):
    """Sockets are blocked for every test (pyproject addopts); PostgreSQL tests may reach 127.0.0.1 only."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if item.get_closest_marker("postgres") or (callspec and callspec.params.get("db_url") == "postgres"):
            item.add_marker(pytest.mark.allow_hosts(["127.0.0.1", "::1"]))


@pytest.fixture(params=["sqlite"] + (["postgres"] if PG_URL else []))
def db_url(request, tmp_path) -> str:
    """A URL of a fresh database: SQLite always, PostgreSQL too when VNEDRENIE_TEST_PG_URL is set."""
    if request.param == "postgres":
        return _fresh_pg_url()
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
def db(db_url):
    from app.persistence.db import open_database

    database = open_database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def client_id(db) -> int:
    """One remote client, «ООО «Ромашка»» (ИНН 7707083893), in ``db``: its id (a test file may define its own)."""
    from app.services.clients import ClientInput, add_client

    return add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))


@pytest.fixture
def sqlite_path(tmp_path):
    return tmp_path / "cli.sqlite3"


@pytest.fixture
def demo_file(cli, sqlite_path):
    """``sqlite_path`` filled by the CLI's «demo» command (a dozen clients with their records)."""
    status, _out, _err = cli("demo")
    assert status == 0
    return sqlite_path


@pytest.fixture
def cli(sqlite_path, capsys):
    """Run a headless command on a temporary SQLite file: returns (status, stdout, stderr)."""
    from app.cli import run

    def call(*argv: str):
        from app import i18n

        try:
            status = run(["--db", str(sqlite_path), *argv])
        finally:  # a command with «--lang en» leaves English for the process: a command's process ends there
            i18n.set_language("ru")
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return call


@pytest.fixture
def zone():
    """``zone("Europe/Moscow")`` switches this process's local time zone (TZ + tzset); restored afterwards."""
    import os
    import time

    saved = os.environ.get("TZ")

    def switch(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()

    yield switch
    if saved is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = saved
    time.tzset()
