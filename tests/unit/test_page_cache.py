"""A bundle import writes with a larger SQLite page cache and gives the pooled connection its own size back."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.persistence.page_cache import larger_page_cache


@pytest.fixture
def sqlite_db(tmp_path):
    from app.config import sqlite_url
    from app.persistence.db import open_database

    database = open_database(sqlite_url(tmp_path / "test.sqlite3"))
    yield database
    database.dispose()


def _size(connection) -> int:
    return int(connection.exec_driver_sql("PRAGMA cache_size").scalar())


def test_the_block_has_the_larger_cache_and_the_connection_its_own_after(sqlite_db):
    with sqlite_db.engine.connect() as connection:
        before = _size(connection)
        with larger_page_cache(connection, 65_536):
            assert _size(connection) == -65_536
        assert _size(connection) == before
        try:
            with larger_page_cache(connection, 1024):
                raise RuntimeError("a failed step")
        except RuntimeError:
            pass
        assert _size(connection) == before


def test_an_import_runs_with_the_larger_cache_and_leaves_the_default(sqlite_db, tmp_path, monkeypatch):
    import tests.exchange.helpers as h
    from app.config import sqlite_url
    from app.exchange import bundle_export, bundle_import
    from app.persistence.db import open_database

    h.populate(sqlite_db)
    path = tmp_path / "all.zip"
    bundle_export.export_bundle(sqlite_db, None, path)
    other = open_database(sqlite_url(tmp_path / "other.sqlite3"))
    try:
        with other.engine.connect() as connection:
            default = _size(connection)
        seen: list[int] = []
        real = bundle_import.larger_page_cache

        def spy(connection, kib):
            seen.append(kib)
            return real(connection, kib)

        monkeypatch.setattr(bundle_import, "larger_page_cache", spy)
        bundle_import.import_bundle(other, path, backup=False)
        assert seen == [bundle_import.IMPORT_CACHE_KIB] and bundle_import.IMPORT_CACHE_KIB >= 32_768
        with other.engine.connect() as connection:
            assert _size(connection) == default
    finally:
        other.dispose()


def test_another_database_is_left_alone():
    def refuse(_sql):
        raise AssertionError("no PRAGMA on PostgreSQL")

    server = SimpleNamespace(dialect=SimpleNamespace(name="postgresql"), exec_driver_sql=refuse)
    with larger_page_cache(server, 65_536):  # type: ignore[arg-type]
        pass
