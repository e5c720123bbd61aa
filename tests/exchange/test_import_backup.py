"""A bundle import backs up only what it changes, and says when a password was given for an open file."""

from __future__ import annotations

import sqlite3

from app.exchange import backup as bk
from app.exchange.bundle_export import export_bundle
from app.exchange.bundle_import import import_bundle
from app.persistence.db import open_database
from tests.exchange import helpers as h


def _pre_import(db) -> list:
    return [b for b in bk.list_backups(db) if b.reason == "pre-import"]


def test_backup_made_before_a_change_and_not_when_nothing_changes(sqlite_db, tmp_path):
    h.populate(sqlite_db)
    bundle = tmp_path / "all.vnbundle"
    export_bundle(sqlite_db, None, bundle)

    again = import_bundle(sqlite_db, bundle)  # its own records: nothing to write, nothing to back up
    assert again.report.total_added == 0 and again.backup_path is None and _pre_import(sqlite_db) == []

    other = open_database(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    try:
        first = import_bundle(other, bundle)
        assert first.report.total_added > 0 and first.backup_path is not None
        assert [b.path for b in _pre_import(other)] == [first.backup_path]
        con = sqlite3.connect(first.backup_path)
        try:  # the data before the import
            assert con.execute("SELECT count(*) FROM client").fetchone() == (0,)
        finally:
            con.close()
        second = import_bundle(other, bundle)
        assert second.backup_path is None and len(_pre_import(other)) == 1
    finally:
        other.dispose()


def test_password_for_a_file_without_one_is_said(cli, sqlite_path, tmp_path):
    db = open_database(f"sqlite:///{sqlite_path}")
    h.populate(db)
    db.dispose()
    bundle = tmp_path / "open.vnbundle"
    assert cli("export", "--all", "-o", str(bundle))[0] == 0
    password = tmp_path / "pw.txt"
    password.write_text("верный-пароль-1\n", encoding="utf-8")
    status, out, err = cli("import", str(bundle), "--password-file", str(password))
    assert status == 0 and "без изменений" in out
    assert "open.vnbundle не защищён паролем: указанный пароль не понадобился" in err
    status, out, err = cli("import", str(bundle))
    assert status == 0 and "паролем" not in err
