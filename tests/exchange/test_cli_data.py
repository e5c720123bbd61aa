"""Headless data commands: backup, restore, export, import (with the conflict report), erase-personal."""

from __future__ import annotations

import json

from app.persistence.db import open_database
from tests.exchange import helpers as h


def _db(path):
    return open_database(f"sqlite:///{path}")


def test_backup_and_restore_commands(cli, sqlite_path, tmp_path):
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", h.INN_A, "--approach", "remote")[0] == 0
    status, out, err = cli("backup", "-o", str(tmp_path / "copy.sqlite3"))
    assert (status, err) == (0, "") and "Резервная копия сделана" in out and (tmp_path / "copy.sqlite3").exists()
    status, out, _ = cli("backup")
    assert status == 0 and "_manual.sqlite3" in out
    cli("clients", "add", "--name", "ООО «Лишний»", "--inn", h.INN_B, "--approach", "onsite")
    status, out, err = cli("restore", str(tmp_path / "copy.sqlite3"))  # «ООО «Лишний»» would be lost: asked
    assert status == 2 and "ООО «Лишний»" in err and "--yes" in err
    status, out, err = cli("restore", "--yes", str(tmp_path / "copy.sqlite3"))
    assert (status, err) == (0, ""), err
    assert "_pre-restore.sqlite3" in out and "восстановлены" in out
    status, out, _ = cli("clients", "list", "--json")
    assert [c["name"] for c in json.loads(out)] == ["ООО «Ромашка»"]


def test_export_import_commands_print_the_conflict_report(cli, sqlite_path, tmp_path):
    db = _db(sqlite_path)
    h.populate(db)
    db.dispose()
    password = tmp_path / "pw.txt"
    password.write_text("очень-секретно\n", encoding="utf-8")
    status, out, err = cli("export", h.INN_A, "-o", str(tmp_path / "a.zip"), "--password-file", str(password))
    assert (status, err) == (0, "") and "Выгружено заказчиков: 1" in out and "защищён паролем" in out

    office = tmp_path / "office.sqlite3"
    from app.cli import run

    assert run(["--db", str(office), "import", str(tmp_path / "a.zip"), "--password-file", str(password)]) == 0
    db = _db(office)
    from app.services.clients import get_client, update_client

    data = get_client(db, h.INN_A).data
    data.contacts[0].phone = "+7 999 000-00-00"
    update_client(db, get_client(db, h.INN_A).id, data)
    db.dispose()
    assert run(["--db", str(office), "export", "--all", "-o", str(tmp_path / "office.zip")]) == 0
    status, out, err = cli("import", str(tmp_path / "office.zip"))
    assert (status, err) == (0, ""), err
    assert "Изменено на другом компьютере и взято из файла:" in out  # was «Перезаписаны (версия из файла новее)»
    assert "Контакт «Иванов Иван» — ООО «Ромашка»: телефон" in out
    assert "Данные до импорта сохранены в копию" in out


def test_export_needs_clients_or_all(cli, sqlite_path, tmp_path):
    db = _db(sqlite_path)
    h.populate(db)
    db.dispose()
    status, _, err = cli("export", "-o", str(tmp_path / "x.zip"))
    assert status == 2 and "--all" in err
    status, _, err = cli("export", h.INN_A, "--all", "-o", str(tmp_path / "x.zip"))
    assert status == 2 and "не то и другое" in err
    assert not (tmp_path / "x.zip").exists()


def test_erase_personal_command(cli, sqlite_path):
    db = _db(sqlite_path)
    h.populate(db)
    db.dispose()
    status, _, err = cli("erase-personal", h.INN_A)
    assert status == 2 and "--yes" in err
    status, out, err = cli("erase-personal", h.INN_A, "--yes")
    assert (status, err) == (0, "") and "контактов 1, сотрудников 2" in out
    db = _db(sqlite_path)
    from app.services.clients import get_client

    assert get_client(db, h.INN_A).data.contacts[0].name == "Контакт 1 (удалён)"
    db.dispose()


def test_postgresql_backup_is_refused_with_exit_2(db, capsys):
    """On the team server the command explains whose job backups are; on SQLite it works."""
    from app.cli import run

    status = run(["--database-url", db.url, "backup"])
    err = capsys.readouterr().err
    if db.is_sqlite:
        assert status == 0
    else:
        assert status == 2 and "pg_dump" in err and "Traceback" not in err
