"""Headless commands: output, exit status, Russian messages, database untouched on refusal."""

import json

import pytest

from app.persistence.db import open_database


def dump(path) -> list:
    """Every row of every table, to compare before and after a refused command."""
    import sqlite3

    con = sqlite3.connect(path)
    tables = [r[0] for r in con.execute("select name from sqlite_master where type='table' order by name")]
    rows = [(t, sorted(map(repr, con.execute(f'select * from "{t}"')))) for t in tables]
    con.close()
    return rows


def test_add_and_list_json(cli):
    status, out, err = cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893",
                           "--approach", "remote", "--contract-no", "ВН-1", "--contract-date", "2024-07-01",
                           "--program-version", "7.5")
    assert (status, err) == (0, "")
    client_id = int(out.strip())
    status, out, _ = cli("clients", "list", "--json")
    data = json.loads(out)
    assert data[0]["id"] == client_id
    assert {k: data[0][k] for k in ("name", "inn", "approach", "stage")} == {
        "name": "ООО «Ромашка»", "inn": "7707083893", "approach": "remote", "stage": 0}
    assert data[0]["contract_date"] == "2024-07-01"


@pytest.mark.parametrize("argv,needle", [
    (["clients", "add", "--name", "X", "--inn", "7707083894", "--approach", "remote"], "ИНН"),
    (["clients", "add", "--name", "X", "--inn", "7707083893", "--approach", "free"], "подход"),
    (["clients", "add", "--name", "", "--inn", "7707083893", "--approach", "remote"], "обязательно"),
    (["clients", "add", "--name", "X", "--inn", "7707083893", "--approach", "remote", "--contract-date", "2024-02-30"], "дата"),
    (["clients", "add", "--inn", "7707083893"], "обязательные"),
    (["checklist", "done", "99", "s1.lessons"], "не найден"),
    (["stage", "advance", "1"], "не найден"),
    (["nonsense"], "недопустимое"),
])
def test_refused_input_exit_2_one_russian_message_nothing_changed(cli, sqlite_path, argv, needle):
    open_database(f"sqlite:///{sqlite_path}").dispose()
    before = dump(sqlite_path)
    status, _out, err = cli(*argv)
    assert status == 2
    assert needle.lower() in err.lower()
    assert "Traceback" not in err
    assert dump(sqlite_path) == before


def test_duplicate_inn_refused(cli):
    assert cli("clients", "add", "--name", "A", "--inn", "7707083893", "--approach", "remote")[0] == 0
    status, _, err = cli("clients", "add", "--name", "B", "--inn", "7707083893", "--approach", "onsite")
    assert status == 2 and "уже есть" in err


def test_checklist_and_stage_flow_by_inn(cli):
    cli("clients", "add", "--name", "A", "--inn", "7707083893", "--approach", "onsite")
    # ticked ahead, at stage 0; a day before the move into stage 1 is taken after it too (the rule is one, r13)
    assert cli("checklist", "done", "7707083893", "s1.lessons", "s1.instruction", "--date", "2024-08-01")[:2] == (
        0, "Отмечены выполненными пункты чек-листа: s1.lessons, s1.instruction.\n")
    assert cli("stage", "advance", "7707083893")[0] == 0
    status, _, err = cli("stage", "advance", "7707083893")
    assert status == 2 and "Чек-лист" in err
    assert cli("checklist", "done", "7707083893", "s1.test_project", "--date", "2024-08-02")[0] == 0
    items = json.loads(cli("checklist", "show", "7707083893", "--json")[1])
    done = {i["code"]: i["done_on"] for i in items if i["done"]}
    assert done == {"s1.lessons": "2024-08-01", "s1.instruction": "2024-08-01", "s1.test_project": "2024-08-02"}
    assert set(items[0]) == {"code", "stage", "title", "done", "done_on"}
    assert cli("stage", "advance", "7707083893", "--force")[0] == 2
    status, out, _ = cli("stage", "advance", "7707083893", "--force", "--reason", "Срочно")
    assert status == 0 and "Этап 2" in out
    assert cli("stage", "back", "7707083893")[0] == 2
    assert cli("stage", "back", "7707083893", "--reason", "Ошибка")[0] == 0
    history = json.loads(cli("stage", "history", "7707083893", "--json")[1])
    assert [(h["from"], h["to"], h["forced"]) for h in history] == [(0, 1, False), (1, 2, True), (2, 1, False)]
    assert cli("checklist", "undo", "7707083893", "s1.lessons")[0] == 0
    items = json.loads(cli("checklist", "show", "7707083893", "--json")[1])
    assert [i["code"] for i in items if i["done"]] == ["s1.instruction", "s1.test_project"]


def test_checklist_rule_via_cli(cli):
    cli("clients", "add", "--name", "A", "--inn", "7707083893", "--approach", "onsite")
    status, _, err = cli("checklist", "done", "1", "s2.warehouses")
    assert status == 2 and "инвентаризац" in err


def test_lessons_commands(cli):
    cli("clients", "add", "--name", "A", "--inn", "7707083893", "--approach", "accompanied")
    assert cli("lessons", "done", "1", "L01", "L02", "--date", "01.08.2024")[:2] == (
        0, "Отмечены просмотренными уроки: L01, L02.\n")
    items = json.loads(cli("lessons", "show", "1", "--json")[1])
    assert set(items[0]) == {"code", "number", "title", "section", "stage", "done", "done_on"}
    assert [i["code"] for i in items if i["done"]] == ["L01", "L02"]
    assert items[0]["done_on"] == "2024-08-01"
    status, _, err = cli("lessons", "done", "1", "L99")
    assert status == 2 and "Неизвестный урок" in err


def test_demo_then_list(cli):
    status, _out, _ = cli("demo")
    assert status == 0
    data = json.loads(cli("clients", "list", "--json")[1])
    assert len(data) >= 10
    assert {c["stage"] for c in data} == {0, 1, 2, 3, 4}
    assert {c["approach"] for c in data} == {"accompanied", "remote", "onsite"}
    status, _, err = cli("demo")
    assert status == 2 and "пуст" in err


def test_english_interface(cli):
    status, _, err = cli("--lang", "en", "clients", "add", "--name", "X", "--inn", "1", "--approach", "remote")
    assert status == 2 and "INN must have 10 or 12 digits" in err
    from app import i18n

    i18n.set_language("ru")


def test_command_line_errors_are_one_line(cli):
    status, _out, err = cli("clients", "add", "--inn", "7707083893")
    assert status == 2
    assert len(err.strip().splitlines()) == 1
    assert "Неверная командная строка" in err and "--help" in err


def test_output_into_a_closed_pipe_is_not_an_internal_error(sqlite_path, capsys):
    """`vnedrenie clients list | head -1` must not end with «Внутренняя ошибка: BrokenPipeError»."""
    from app.cli import Context, run

    assert run(["--db", str(sqlite_path), "demo"]) == 0

    def closed_pipe(_text):
        raise BrokenPipeError(32, "Broken pipe")

    status = run(["--db", str(sqlite_path), "clients", "list"], ctx=Context(out=closed_pipe))
    err = capsys.readouterr().err
    assert status == 0
    assert "BrokenPipe" not in err and "Внутренняя ошибка" not in err


def test_a_sentence_ending_on_an_initial_ends_on_one_full_stop(capsys):
    """The trial 17k: `team assign` printed «менеджер: Менеджер М. М..»."""
    from app.cli import say

    say("Специалист: Иванова А. А.; менеджер: Петрова М. М..\nВсё готово...\nДва.")
    assert capsys.readouterr().out == "Специалист: Иванова А. А.; менеджер: Петрова М. М.\nВсё готово...\nДва.\n"


def test_ctrl_d_at_the_password_prompt_is_one_sentence(tmp_path, monkeypatch, capsys):
    """The trial 17l: Ctrl-D at «Пароль:» gave «Внутренняя ошибка: EOFError», exit 1."""
    import getpass
    import sys

    from app.cli import run

    def eof(_prompt=""):
        raise EOFError

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(getpass, "getpass", eof)
    assert run(["--db", str(tmp_path / "lap.sqlite3"), "users", "password", "ann"]) == 2
    assert capsys.readouterr().err == "Пароль не введён; ничего не изменено.\n"
