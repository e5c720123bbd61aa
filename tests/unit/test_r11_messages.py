"""The messages tester N found wrong (item 8): «Поле «»», `lessons undo` of a lesson never ticked, `report acts` for
a month not over (and an empty folder left), a line break called «необычный знак пробела», `log list` of a free
client «к оплате … 0,00 ₽», and the kind column of `log list` overflowing."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.money import parse_decimal
from app.errors import UserError
from app.persistence.db import open_database
from app.services.entry_input import parse_minutes
from tests.reports.helpers import CLIENT_INN, build_world


@pytest.fixture
def world_file(cli, sqlite_path):
    assert cli("clients", "list")[0] == 0  # the file, made by the CLI
    database = open_database(f"sqlite:///{sqlite_path}")
    try:
        return build_world(database)
    finally:
        database.dispose()


def test_a_number_written_the_english_way_names_no_empty_field(cli, world_file):
    status, _out, err = cli("log", "add", CLIENT_INN, "--kind", "transfer", "--date", "2026-03-05",
                            "--amount", "1,234.56")
    assert status == 2
    assert "Поле «»" not in err and "«1,234.56» — не число" in err and "1 234,56" in err, err


def test_undo_of_what_was_never_ticked_says_nothing_was_there(cli, world_file):
    status, out, _err = cli("lessons", "undo", CLIENT_INN, "L05", "L01")
    assert status == 0
    assert "Сняты отметки просмотра с уроков: L01." in out
    assert "Не были отмечены просмотренными, снимать нечего: L05." in out and "L05, L01" not in out
    status, out, _err = cli("checklist", "undo", CLIENT_INN, "s3.support")
    assert status == 0 and out.strip() == "Не были отмечены выполненными, снимать нечего: s3.support."
    status, out, _err = cli("lessons", "done", CLIENT_INN, "L02")
    assert out.strip() == "Уже отмечены просмотренными: L02."


def test_acts_of_a_month_not_over_are_refused_and_no_folder_is_left(cli, world_file, tmp_path):
    month = date.today().strftime("%Y-%m")
    folder = tmp_path / "acts"
    status, _out, err = cli("report", "acts", "--month", month, "-d", str(folder))
    assert status == 2 and "ещё не закончился" in err and "нельзя датировать" not in err, err
    assert not folder.exists()
    assert cli("report", "acts", "--month", "2026-03", "-d", str(tmp_path / "first"))[0] == 0
    assert list((tmp_path / "first").iterdir())
    again = tmp_path / "again" / "march"  # nothing new to bill: neither folder is left behind
    status, out, _err = cli("report", "acts", "--month", "2026-03", "-d", str(again))
    assert status == 0 and "АУ-1/2026" in out
    assert not (tmp_path / "again").exists()


def test_a_line_break_is_not_called_a_space():
    with pytest.raises(UserError) as err:
        parse_decimal("12\n13", "Рабочие дни выезда")
    assert err.value.message == ("Поле «Рабочие дни выезда»: «12 / 13» — не число: в нём перевод строки; введите "
                                 "одно число в одну строку.")
    with pytest.raises(UserError) as err:
        parse_minutes("1:30\n2:00")
    assert "перевод строки" in err.value.message and "пробел" not in err.value.message


def test_log_list_of_a_free_client_bills_nothing_and_its_kinds_fit(cli, world_file):
    free = "7728168971"
    assert cli("log", "add", free, "--kind", "control", "--date", "2026-03-05", "--minutes", "61")[0] == 0
    status, out, _err = cli("log", "list", free)
    assert status == 0
    assert "к оплате" not in out.lower() and "К оплате: 0,00 ₽" not in out
    assert "Не оплачивается: подход «Сопровождение внедрения (бесплатно)»." in out  # the card's name (tester R, 8)
    line = next(line for line in out.splitlines() if "Контроль данных" in line)
    assert "Контроль данных " in line and "Контроль данных1:01" not in line
    paid = [line for line in cli("log", "list", CLIENT_INN)[1].splitlines() if "  2026" not in line]
    assert any(line.startswith("К оплате:") for line in paid)
