"""A CSV row naming a client already here was counted among «ошибки в строках — N» when the file had no other error,
and said apart («Заказчик из строки 3 уже есть…») when it had one (tester J #8, files i1.csv and i6.csv against the
demo). Now the clients already here are never rows with errors: the first line counts them apart, in their plural
form, and every one is named, with or without rows with errors — on the command line and in the window alike."""

from __future__ import annotations

import pytest

from app.errors import UserError
from app.services.client_list import list_clients
from app.services.clients import ClientInput, add_client

HEADER = "Наименование;ИНН;Подход"
URAL = "ООО «Уральский завод металлоконструкций»"
# i1.csv: a new client, one already here, an unknown approach, a new one with the code of an approach
WITH_AN_ERROR = ["ООО «Новый»;7877893285;удалённые конференции", f"{URAL};6656893486;Выездное внедрение",
                 "ООО «Плохой»;7485260570;телепатия", "ООО «Ещё»;4423232218;remote"]
# i6.csv: no row with an error, two clients already here
NO_ERROR = ["ООО «Новый»;7877893285;Сопровождение (бесплатно)", f"{URAL};6656893486;Выездное внедрение",
            "ООО «Ярославские окна»;7628438261;удалённые"]
URAL_HERE = "Строка 3: заказчик с ИНН 6656893486 уже есть: «ООО „Уральский завод металлоконструкций“» (№ 1)."


def _file(tmp_path, lines: list[str]):
    path = tmp_path / "clients.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def here(cli):
    """The demo's two clients the files name, as № 1 and № 2."""
    for name, inn in ((URAL, "6656893486"), ("ООО «Ярославские окна»", "7628438261")):
        assert cli("clients", "add", "--name", name, "--inn", inn, "--approach", "onsite")[0] == 0
    return cli


def test_a_file_with_an_error_counts_the_client_here_apart(here, tmp_path):
    status, out, err = here("clients", "import", str(_file(tmp_path, WITH_AN_ERROR)))
    assert status == 2 and out == ""
    assert err.splitlines() == [
        "Ничего не импортировано: ошибки в 1 строке; 1 заказчик из файла уже есть.",
        "Строка 4: Неизвестный подход к внедрению «телепатия»: укажите «Сопровождение внедрения» (accompanied), "
        "«Удалённые конференции» (remote) или «Выездное внедрение» (onsite).",
        URAL_HERE,
        "Чтобы обновить его из файла, добавьте --update."], err


def test_a_file_without_an_error_says_the_same_kind_of_thing(here, tmp_path):
    status, out, err = here("clients", "import", str(_file(tmp_path, NO_ERROR)))
    assert status == 2 and out == ""
    assert err.splitlines() == [
        "Ничего не импортировано: 2 заказчика из файла уже есть.",  # not «ошибки в 2 строках»
        URAL_HERE,
        "Строка 4: заказчик с ИНН 7628438261 уже есть: «ООО „Ярославские окна“» (№ 2).",
        "Чтобы обновить их из файла, добавьте --update."], err
    assert len(here("clients", "list", "--json")[1].split('"inn"')) == 3  # nothing added


@pytest.mark.parametrize(("errors", "here", "said"), [
    (0, 1, "Ничего не импортировано: 1 заказчик из файла уже есть."),
    (0, 5, "Ничего не импортировано: 5 заказчиков из файла уже есть."),
    (0, 21, "Ничего не импортировано: 21 заказчик из файла уже есть."),
    (2, 3, "Ничего не импортировано: ошибки в 2 строках; 3 заказчика из файла уже есть."),
    (21, 1_000, "Ничего не импортировано: ошибки в 21 строке; 1 000 заказчиков из файла уже есть."),
    (1, 0, "Ничего не импортировано: ошибки в 1 строке."),
])
def test_the_first_line_takes_the_plural_forms_of_both_counts(errors, here, said):
    from app.services.import_refusals import clients_refused

    assert clients_refused(errors, here) == said


def test_english_says_it_in_english(here, tmp_path):
    status, _out, err = here("--lang", "en", "clients", "import", str(_file(tmp_path, WITH_AN_ERROR)))
    assert status == 2
    assert err.startswith("Nothing was imported: 1 row has errors; 1 client of the file is already here.\n"), err


def test_the_window_shows_the_same_count_for_both_files(qtbot, db, tmp_path):
    from tests.ui.test_main_window import make_window

    for name, inn in ((URAL, "6656893486"), ("ООО «Ярославские окна»", "7628438261")):
        add_client(db, ClientInput(name=name, inn=inn, approach="onsite"))
    window = make_window(qtbot, db, tmp_path)
    asked: list[str] = []
    window.ask_update_existing = lambda exc: asked.append(exc.full_text()) or False
    assert not window.import_clients_from(str(_file(tmp_path, WITH_AN_ERROR)))
    assert len(window.errors) == 1 and isinstance(window.errors[0], UserError) and asked == []
    shown = window.errors[0].full_text()
    assert shown.startswith("Ничего не импортировано: ошибки в 1 строке; 1 заказчик из файла уже есть.\n"), shown
    assert URAL_HERE in shown and "--update" not in shown  # the window asks with its button once the rows are mended
    assert not window.import_clients_from(str(_file(tmp_path, NO_ERROR)))
    assert len(asked) == 1 and asked[0].startswith("Ничего не импортировано: 2 заказчика из файла уже есть.\n")
    assert URAL_HERE in asked[0] and "--update" not in asked[0]
    assert len(list_clients(db)) == 2
