"""Fixtures for the exchange tests: a second database of the same kind, a full dump, sample data."""

from __future__ import annotations

import pytest

from tests.exchange.helpers import full_dump, populate  # noqa: F401 - re-exported for the tests


@pytest.fixture
def other_db(db, tmp_path):
    """A second fresh database of the same kind as ``db`` (another installation)."""
    from app.persistence.db import open_database

    if db.is_sqlite:
        url = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    else:
        from tests.conftest import _fresh_pg_url

        url = _fresh_pg_url()
    database = open_database(url)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(tmp_path):
    from app.persistence.db import open_database

    database = open_database(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    yield database
    database.dispose()
