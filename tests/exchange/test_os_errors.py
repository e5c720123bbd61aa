"""OS and SQLite errors reach the user in Russian words, never as the system's English text."""

from __future__ import annotations

import errno
import sqlite3

import pytest

from app import i18n
from app.errors import UserError, os_error_text, sqlite_error_text
from app.exchange.backup import check_backup_file
from app.exchange.bundle_export import export_bundle
from app.exchange.bundle_import import import_bundle
from app.exchange.crypto import read_password_file
from app.services.importing import import_clients_csv
from app.services.lessons_import import import_lesson_plan
from tests.exchange import helpers as h

ENGLISH = ("No such file", "Permission denied", "Is a directory", "file is not a database", "No space")


@pytest.mark.parametrize("code,russian", [
    (errno.ENOENT, "не существует"), (errno.EACCES, "доступ запрещён"), (errno.EPERM, "доступ запрещён"),
    (errno.ENOSPC, "нет места на диске"), (errno.EISDIR, "это папка, а не файл"),
    (errno.ENOTDIR, "часть пути не является папкой"), (errno.EROFS, "диск доступен только для чтения"),
    (errno.EEXIST, "файл уже существует"), (errno.ENAMETOOLONG, "слишком длинное имя файла"),
])
def test_os_error_text_in_russian(code, russian):
    text = os_error_text(OSError(code, "English text from the OS"))
    assert russian in text and "English" not in text


def test_a_read_only_database_file_is_called_so_not_a_read_only_disk(tmp_path):
    path = tmp_path / "ro.sqlite3"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        with pytest.raises(sqlite3.OperationalError) as caught:
            con.execute("INSERT INTO t VALUES (1)")
    finally:
        con.close()
    assert sqlite_error_text(caught.value) == "файл базы данных доступен только для чтения"


def test_os_error_text_fallback_and_english():
    assert os_error_text(OSError(errno.EIO, "Input/output error")) == f"ошибка ввода-вывода (код {errno.EIO})"
    assert os_error_text(OSError("no errno at all")) == "ошибка ввода-вывода"
    try:
        i18n.set_language("en")
        assert os_error_text(OSError(errno.ENOENT, "x")) == "the file or folder does not exist"
    finally:
        i18n.set_language("ru")


def test_sqlite_error_text_in_russian(tmp_path):
    not_db = tmp_path / "text.sqlite3"
    not_db.write_text("это не база данных " * 100, encoding="utf-8")
    with pytest.raises(sqlite3.DatabaseError) as err:
        sqlite3.connect(not_db).execute("select * from sqlite_master").fetchall()
    assert sqlite_error_text(err.value) == "файл не является базой данных"
    assert sqlite_error_text(sqlite3.Error("plain")) == "ошибка базы данных"


def _refused(call) -> str:
    with pytest.raises(UserError) as err:
        call()
    message = err.value.message
    assert not any(word in message for word in ENGLISH), message
    return message


def test_services_name_os_errors_in_russian(db, tmp_path):
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    assert "не существует" in _refused(lambda: import_clients_csv(db, tmp_path / "nonexistent.csv"))
    assert "это папка, а не файл" in _refused(lambda: import_clients_csv(db, folder))
    assert "не существует" in _refused(lambda: import_lesson_plan(db, tmp_path / "nonexistent.csv"))
    assert "это папка, а не файл" in _refused(lambda: read_password_file(folder))
    assert "не существует" in _refused(lambda: read_password_file(tmp_path / "nonexistent.txt"))
    plain = tmp_path / "plain.txt"
    plain.write_text("x", encoding="utf-8")
    assert "часть пути не является папкой" in _refused(lambda: check_backup_file(plain / "x"))


def test_bundle_and_backup_errors_in_russian(db, tmp_path, monkeypatch):
    h.populate(db)
    import app.exchange.bundle_export as bundle_export

    def full_disk(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(bundle_export.os, "open", full_disk)
    assert "нет места на диске" in _refused(lambda: export_bundle(db, None, tmp_path / "x.zip"))
    monkeypatch.undo()
    written = []

    def fills_up(self, data):  # the disk fills while the changeset is being written (on the writer thread)
        if written:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(len(data))
        return len(data)

    monkeypatch.setattr(bundle_export.zipfile._ZipWriteFile, "write", fills_up)
    assert "нет места на диске" in _refused(lambda: export_bundle(db, None, tmp_path / "y.zip"))
    assert written and not list(tmp_path.glob("*y.zip*"))  # no file, no .part left
    monkeypatch.undo()
    not_db = tmp_path / "fake.sqlite3"
    not_db.write_bytes(b"SQLite format 3\x00" + b"\x01" * 4096)
    assert "повреждён" in _refused(lambda: check_backup_file(not_db))
    assert "не существует" in _refused(lambda: import_bundle(db, tmp_path / "nowhere.zip"))


def test_cli_import_of_a_missing_file_says_it_in_russian(cli, tmp_path):
    status, _out, err = cli("clients", "import", str(tmp_path / "nonexistent.csv"))
    assert status == 2
    assert "не существует" in err and "No such file" not in err and "Traceback" not in err
