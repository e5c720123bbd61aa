"""Erasure really erases: no old bytes in the database file or its write-ahead log afterwards."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.persistence.db import open_database
from app.services.privacy import erase_personal_data
from tests.exchange import helpers as h

SECRETS = ("Иванов Иван", "ivanov@example.ru", "+7 900 000-00-01", "Сидорова Анна", "sidorova@example.ru",
           "Петров П. П.")


def _raw(path: Path) -> bytes:
    data = b""
    for suffix in ("", "-wal"):
        f = path.with_name(path.name + suffix)
        if f.exists():
            data += f.read_bytes()
    return data


def test_erased_names_leave_the_file_and_the_log_even_with_another_instance_open(tmp_path):
    path = tmp_path / "live.sqlite3"
    db = open_database(f"sqlite:///{path}")
    h.populate(db)
    for n in range(3):  # more versions of the same pages in the log
        with db.unit() as s:
            s.execute(__import__("sqlalchemy").text("UPDATE contact SET position = :p"), {"p": f"Пост {n}"})
    raw = _raw(path)
    assert all(secret.encode() in raw for secret in SECRETS)  # the test can fail: the bytes were there
    other = sqlite3.connect(path)  # another window holding the file open, reading now and then
    other.execute("SELECT count(*) FROM contact").fetchall()
    try:
        erase_personal_data(db, h.INN_A)
        raw = _raw(path)
        found = [secret for secret in SECRETS if secret.encode() in raw]
        assert found == []
        assert other.execute("SELECT name FROM contact").fetchall() == [("Контакт 1 (удалён)",)]
    finally:
        other.close()
        db.dispose()
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
