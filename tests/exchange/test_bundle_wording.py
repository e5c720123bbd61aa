"""Tester L, item 12 (the bundles' and the sync's words): what a computer outside any team is told after choosing
in a bundle's conflict, the card's «Примечания» in the import report, `sync conflicts` and `audit`, a deletion
that came from the other computer, `sync conflicts` with a hint how to choose, an empty password file."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.cli import run
from app.exchange.bundle_export import export_bundle
from app.exchange.bundle_import import import_bundle
from app.persistence.db import open_database
from app.persistence.models import Client
from app.services.clients import ClientInput, delete_client, edit_client
from app.services.clients import add_client as add
from app.sync.service import conflicts

INN = "7707083893"


@pytest.fixture
def pair(tmp_path):
    """A made the client; B imported A's file. Neither is in a team."""
    a = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    b = open_database(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    add(a, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
    export_bundle(a, None, tmp_path / "a0.zip")
    import_bundle(b, tmp_path / "a0.zip", backup=False)
    yield a, b
    a.dispose()
    b.dispose()


def _crossed_notes(a, b, tmp_path):
    """Both edit the notes; A's file goes to B: one conflict on B; the report of that import."""
    edit_client(a, INN, {"notes": "от A"})
    edit_client(b, INN, {"notes": "от B"})
    export_bundle(a, None, tmp_path / "a1.zip")
    return import_bundle(b, tmp_path / "a1.zip", backup=False).report


def test_a_choice_outside_a_team_goes_with_the_next_exchange_file_not_a_sync(pair, tmp_path, capsys):
    a, b = pair
    _crossed_notes(a, b, tmp_path)
    [conflict] = conflicts(b)
    keep = "here" if conflict.kept == "file" else "file"  # the value not in effect: it is written
    assert run(["--db", str(b.sqlite_path), "sync", "resolve", str(conflict.id), "--keep", keep]) == 0
    assert capsys.readouterr().out == (
        f"Конфликт {conflict.id} закрыт: выбранное значение записано на этом компьютере (на другой компьютер оно "
        "уйдёт со следующим файлом обмена, «export»).\n")
    with pytest.raises(SystemExit):
        run(["sync", "--help"])
    assert "закрыть конфликт, оставив значение сервера команды, файла обмена или этого компьютера" in " ".join(
        capsys.readouterr().out.split())


def test_the_cards_field_is_primechaniya_in_the_report_the_conflicts_and_the_trail(pair, tmp_path, capsys):
    a, b = pair
    report = _crossed_notes(a, b, tmp_path)
    text = "\n".join(report.lines())
    assert "примечания (здесь от B, в файле от A" in text and "заметки" not in text
    assert run(["--db", str(b.sqlite_path), "sync", "conflicts"]) == 0
    captured = capsys.readouterr()
    assert "\tКарточка · примечания\t" in captured.out and "заметки" not in captured.out
    # how to choose, once, beside the rows (on stderr: the rows stay rows)
    assert captured.err == ("Выбор: «sync resolve НОМЕР --keep here» оставляет значение этого компьютера, «--keep "
                            "file» — значение из файла обмена; конфликт, в строке которого назван другой путь "
                            "(аннулировать акт, удалить заказчика), закрывается этим путём.\n")
    assert run(["--db", str(a.sqlite_path), "audit", INN]) == 0
    out = capsys.readouterr().out
    assert "Карточка · примечания" in out and "заметки" not in out


def test_a_deletion_brought_by_a_file_is_not_said_made_here(pair, tmp_path):
    a, b = pair
    add(a, ClientInput(name="ООО «Лютик»", inn="7736050003", approach="remote"))  # an export needs a client
    edit_client(a, INN, {"city": "Клин"})
    export_bundle(a, None, tmp_path / "old.zip")  # still holds the client
    with a.read() as s:
        client_id = s.scalar(select(Client.id).where(Client.inn == INN))
    delete_client(a, client_id)
    export_bundle(a, None, tmp_path / "deleted.zip")
    import_bundle(b, tmp_path / "deleted.zip", backup=False)  # B takes A's deletion
    report = import_bundle(b, tmp_path / "old.zip", backup=False).report
    [refusal] = [r for r in report.refused if r.table == "client"]
    assert "удалено здесь" not in refusal.reason
    assert refusal.reason.endswith("— это удаление уже есть на этом компьютере")


def test_an_empty_password_file_is_named_with_what_to_do(pair, tmp_path, capsys):
    a, _b = pair
    password = tmp_path / "пароль.txt"
    password.write_text("secret-secret\n", encoding="utf-8")
    export_bundle(a, None, tmp_path / "enc.zip", "secret-secret")
    empty = tmp_path / "empty.txt"
    empty.write_text("\n", encoding="utf-8")
    assert run(["--db", str(a.sqlite_path), "import", str(tmp_path / "enc.zip"), "--password-file", str(empty)]) == 2
    assert capsys.readouterr().err.strip().endswith(
        f"В файле пароля {empty} нет пароля (его первая строка пуста): запишите пароль в первую строку этого файла "
        "и повторите команду.")
