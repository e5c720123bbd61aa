"""Refusals of the CSV imports (tester H, 2026-12-05): approaches named as people see them, the --update hint given
with the first refusal, header checks in the plural form their count takes, one row's problems as one sentence."""

from __future__ import annotations

import json

import pytest

from app.errors import UserError

HEADER = "Наименование;ИНН;Подход;Телефон"


def _file(tmp_path, *lines: str):
    path = tmp_path / "clients.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def _inns(cli) -> list[str]:
    return sorted(c["inn"] for c in json.loads(cli("clients", "list", "--json")[1]))


def test_an_unknown_approach_is_refused_with_the_names_people_see(cli, tmp_path):
    status, _out, err = cli("clients", "import", str(_file(tmp_path, "ООО «Новый»;7736050003;бесплатно;")))
    assert status == 2
    assert ("Строка 2: Неизвестный подход к внедрению «бесплатно»: укажите «Сопровождение внедрения» (accompanied), "
            "«Удалённые конференции» (remote) или «Выездное внедрение» (onsite).") in err, err
    status, _out, err = cli("clients", "add", "--name", "ООО «Новый»", "--inn", "7736050003", "--approach", "ufo")
    assert status == 2 and "«Удалённые конференции» (remote)" in err, err
    assert _inns(cli) == []


@pytest.mark.parametrize("spelling, code", [
    ("Сопровождение (бесплатно)", "accompanied"),  # what «clients list» and the window show
    ("Accompanied (free)", "accompanied"),
    ("Remote conferences", "remote"),
    ("On-site", "onsite"),
    ("remote", "remote"),  # the codes are still taken
    ("Выездное внедрение", "onsite"),
])
def test_the_names_the_client_list_shows_are_taken(cli, spelling, code):
    status, _out, err = cli("clients", "add", "--name", "ООО «Новый»", "--inn", "7736050003", "--approach", spelling)
    assert status == 0, err
    assert json.loads(cli("clients", "list", "--json")[1])[0]["approach"] == code


def test_a_bad_row_of_a_client_already_here_hints_at_update_at_once(cli, tmp_path):
    """Without --update, a row with a bad cell and an ИНН already here was refused for the cell only; mended, the
    file was refused again, now as «уже есть»."""
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--approach", "remote")[0] == 0
    path = _file(tmp_path, "ООО «Ромашка»;7707083893;remote;12", "ООО «Новый»;7736050003;onsite;")
    status, _out, err = cli("clients", "import", str(path))
    assert status == 2
    assert "Строка 2: Номер телефона 12 неверен" in err, err
    # the client already here is said apart from the rows with errors, as when the file has no other error (tester J)
    assert err.startswith("Ничего не импортировано: ошибки в 1 строке; 1 заказчик из файла уже есть.\n"), err
    assert "Строка 2: заказчик с ИНН 7707083893 уже есть: «ООО „Ромашка“» (№ 1)." in err, err
    assert err.rstrip().endswith("Чтобы обновить его из файла, добавьте --update."), err
    status, _out, err = cli("clients", "import", str(path), "--update")
    assert status == 2 and "Строка 2: Номер телефона 12 неверен" in err and "--update" not in err, err
    assert _inns(cli) == ["7707083893"]


def test_several_clients_already_here_are_named_in_one_hint(cli, tmp_path):
    for name, inn in (("ООО «Ромашка»", "7707083893"), ("АО «Лютик»", "7736050003")):
        assert cli("clients", "add", "--name", name, "--inn", inn, "--approach", "remote")[0] == 0
    path = _file(tmp_path, "ООО «Ромашка»;7707083893;remote;", "АО «Лютик»;7736050003;xx;")
    status, _out, err = cli("clients", "import", str(path))
    assert status == 2
    assert err.startswith("Ничего не импортировано: ошибки в 1 строке; 2 заказчика из файла уже есть.\n"), err
    assert "Строка 2: заказчик с ИНН 7707083893 уже есть" in err and "Строка 3: заказчик с ИНН 7736050003 уже есть" in err
    assert err.rstrip().endswith("Чтобы обновить их из файла, добавьте --update."), err


def test_one_client_already_here_is_it_not_them(cli, tmp_path):
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--approach", "remote")[0] == 0
    status, _out, err = cli("clients", "import", str(_file(tmp_path, "ООО «Ромашка»;7707083893;remote;")))
    assert status == 2
    assert "Чтобы обновить его из файла, добавьте --update." in err, err


def test_a_rows_problems_read_as_one_sentence(cli, tmp_path):
    status, _out, err = cli("clients", "import", str(_file(tmp_path, ";7736050003;;")))
    assert status == 2
    assert ("Строка 2: заказчика с ИНН 7736050003 ещё нет: поле «Наименование» обязательно; для нового заказчика "
            "укажите подход: «Сопровождение внедрения», «Удалённые конференции» или «Выездное внедрение».") in err, err


def test_joined_keeps_abbreviations_and_lowers_the_rest():
    from app.domain.validation import joined

    assert joined(["Поле «Наименование» обязательно.", "ИНН 1 повторяет строку 2.", "E-mail неверен."]) == (
        "Поле «Наименование» обязательно; ИНН 1 повторяет строку 2; e-mail неверен.")
    assert joined(["Поле обязательно."], after_colon=True) == "поле обязательно."


def test_a_lesson_plan_lacking_one_column_says_column_not_columns():
    from app.services.lessons_import import parse_lesson_plan

    with pytest.raises(UserError) as error:
        parse_lesson_plan(b"code;number;title;section\nL1;1;A;B\n", "plan.csv")
    assert error.value.message.startswith("В строке заголовка нет столбца stage. Ожидается: code;number;"), \
        error.value.message
    with pytest.raises(UserError) as error:
        parse_lesson_plan(b"code;title;section\nL1;A;B\n", "plan.csv")
    assert error.value.message.startswith("В строке заголовка нет столбцов number, stage."), error.value.message


def test_a_lesson_plan_with_one_unknown_column_says_it_in_the_singular():
    from app.services.lessons_import import parse_lesson_plan

    with pytest.raises(UserError) as error:
        parse_lesson_plan(b"code;number;title;section;stage;extra\nL1;1;A;B;1;x\n", "plan.csv")
    assert "Строка 1: неизвестный столбец «extra» (столбец 6) — его данные" in error.value.message, error.value.message


@pytest.mark.parametrize(("language", "rows", "said"), [
    ("ru", 1, "Ничего не импортировано: ошибки в 1 строке."),
    ("ru", 2, "Ничего не импортировано: ошибки в 2 строках."),
    ("en", 1, "Nothing was imported: 1 row has errors."),
    ("en", 2, "Nothing was imported: 2 rows have errors."),
])
def test_the_count_of_refused_rows_takes_its_plural_form(cli, tmp_path, language, rows, said):
    """«1 rows have errors» in English (a fresh helper, 2026-12-05): the count of refused rows is a plural form."""
    bad = [f";77360500{n:02d};remote;" for n in range(rows)]  # no name
    args = ("--lang", "en") if language == "en" else ()
    status, _out, err = cli(*args, "clients", "import", str(_file(tmp_path, *bad)))
    assert status == 2
    assert said in err, err
