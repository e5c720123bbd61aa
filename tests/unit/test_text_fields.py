"""Issue 13, kind 3: one-line fields refuse line breaks, tabs, control and invisible characters;
notes keep line breaks only; text stored earlier is printed one line per record."""

from __future__ import annotations

import pytest

from app.domain import validation as v
from app.errors import UserError
from app.services.clients import ClientInput, PersonInput, add_client, get_client


@pytest.mark.parametrize("value,needle", [
    ("ООО\n«Б»", "одну строку"),
    ("ООО\r«Б»", "одну строку"),
    ("ООО\u2028«Б»", "одну строку"),  # Unicode line separator
    ("ООО\t«Б»", "табуляции"),
    ("ООО\u200b«Б»", "невидимые"),  # zero-width space
    ("\ufeffООО «Б»", "невидимые"),  # a leading BOM
    ("ООО «Б»\u202e", "невидимые"),  # right-to-left override
    ("\u2066ООО\u2069", "невидимые"),  # isolates
    ("\u3164", "невидимые"),  # Hangul filler: a «letter» that prints as nothing
    ("ООО\x1b[31m", "управляющие"),  # terminal escape code
    ("ООО\x7f", "управляющие"),
])
def test_one_line_fields_refuse(value, needle):
    with pytest.raises(UserError, match=needle):
        v.clean_text(value, "Наименование", required=True)


@pytest.mark.parametrize("value", ["...", "«»", "- -", "\u0301\u0301"])
def test_a_name_needs_a_visible_letter_or_digit(value):
    with pytest.raises(UserError, match="видимой"):
        v.clean_text(value, "Наименование", required=True)


@pytest.mark.parametrize("value", ["ООО «Ёлка-2»", "ИП Пётр I", "Café «Юг»", "ООО «Дом» — филиал № 3"])
def test_ordinary_names_pass(value):
    assert v.clean_text(value, "Наименование", required=True) == value


def test_notes_keep_line_breaks_only(db):
    client_id = add_client(db, ClientInput(name="ООО «А»", inn="7707083893", approach="remote",
                                           notes="первая\r\nвторая\rтретья"))
    assert get_client(db, client_id).data.notes == "первая\nвторая\nтретья"
    for notes, needle in (("a\tb", "табуляции"), ("a\x1b[2Jb", "управляющие"), ("a\u202eb", "невидимые")):
        with pytest.raises(UserError, match=needle):
            add_client(db, ClientInput(name="ООО «Б»", inn="7736207543", approach="remote", notes=notes))


def test_people_fields_are_one_line(db):
    for person in (PersonInput("Иванов\nИван"), PersonInput("Иванов", position="дирек\tтор"),
                   PersonInput("\u200b")):
        with pytest.raises(UserError):
            add_client(db, ClientInput(name="ООО «Б»", inn="7736207543", approach="remote", employees=[person]))


def test_stage_reasons_keep_line_breaks_and_refuse_escape_codes(db):
    from app.services.progress import move_stage

    client_id = add_client(db, ClientInput(name="ООО «А»", inn="7707083893", approach="remote"))
    with pytest.raises(UserError, match="управляющие"):
        move_stage(db, client_id, 1, force=True, reason="\x1b]0;взлом\x07")
    move_stage(db, client_id, 1, force=True, reason="клиент попросил\nначать раньше")
    assert get_client(db, client_id).history[-1].reason == "клиент попросил\nначать раньше"


def test_old_rows_print_one_line_per_record(cli, sqlite_path):
    """Rows written before these rules (a name with a line break, a reason with escape codes)."""
    from sqlalchemy import text

    from app.persistence.db import open_database

    cli("clients", "add", "--name", "ООО «А»", "--inn", "7707083893", "--approach", "remote")
    db = open_database(f"sqlite:///{sqlite_path}")
    with db.unit() as s:
        s.execute(text("update client set name = 'ООО «Эта\nфилиал»'"))
        s.execute(text("insert into stage_event(uuid, updated_at, client_id, from_stage, to_stage, at, who, reason,"
                       " forced) values ('6f1c2b1e-0000-4000-8000-000000000009', '2024-07-01', 1, 0, 1,"
                       " '2024-07-01', 'я', :reason, 1)"), {"reason": "\x1b[2J\u202eтекст"})
    db.dispose()
    status, out, _err = cli("clients", "list")
    assert status == 0 and len(out.strip().splitlines()) == 1 and "Эта / филиал" in out
    status, out, _err = cli("stage", "history", "7707083893")
    assert status == 0 and "\x1b" not in out and "\u202e" not in out and "\\x1b[2J" in out


def test_an_employee_is_named_the_way_people_type(db):
    from app.services.progress import lessons, set_lessons

    client_id = add_client(db, ClientInput(name="ООО «А»", inn="7707083893", approach="remote",
                                           employees=[PersonInput("Фёдорова Анна")]))
    set_lessons(db, client_id, ["L01"], True, employee="федорова  анна")
    assert [i.code for i in lessons(db, client_id, employee="ФЁДОРОВА АННА") if i.done] == ["L01"]
