"""`clients import`: UTF-8 (BOM or not) and cp1251, all or nothing, every bad row named."""

import json

import pytest

HEADER = "Наименование;ИНН;Подход;Договор №;Дата договора;Версия программы;Контактное лицо;Телефон;E-mail"
GOOD = [
    "ООО «Ромашка»;7707083893;Удалённые конференции;ВН-1;01.07.2024;7.5;Иванов Иван;+7 495 123-45-67;i@romashka.ru",
    "АО «Лютик»;7736050003;onsite;ВН-2;2024-08-15;8.0;;;",
]


def write(tmp_path, lines, encoding="utf-8"):
    path = tmp_path / "clients.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
def test_import_all_encodings(cli, tmp_path, encoding):
    path = write(tmp_path, [HEADER, *GOOD], encoding)
    status, _out, err = cli("clients", "import", str(path))
    assert status == 0, err
    data = json.loads(cli("clients", "list", "--json")[1])
    by_inn = {c["inn"]: c for c in data}
    assert by_inn["7707083893"]["name"] == "ООО «Ромашка»"
    assert by_inn["7707083893"]["approach"] == "remote"
    assert by_inn["7707083893"]["contact"] == "Иванов Иван"
    assert by_inn["7736050003"]["contract_date"] == "2024-08-15"


def test_bad_rows_named_and_nothing_imported(cli, tmp_path):
    lines = [HEADER, *GOOD,
             "ООО «Плохой ИНН»;7707083894;remote;;;;;;",
             "ООО «Нет подхода»;500100732259;бесплатно;;;;;;",
             "ООО «Дата»;7830002293;remote;;30.02.2024;;;;",
             "ООО «Повтор»;7707083893;remote;;;;;;",
             "ООО «Почта»;7702070139;remote;;;;Пётр;;не-почта"]
    status, _, err = cli("clients", "import", str(write(tmp_path, lines)))
    assert status == 2
    for row in ("Строка 4", "Строка 5", "Строка 6", "Строка 7", "Строка 8"):
        assert row in err
    assert "Строка 2" not in err and "Строка 3" not in err
    assert json.loads(cli("clients", "list", "--json")[1]) == []


def test_existing_inn_in_database_refuses_whole_file(cli, tmp_path):
    cli("clients", "add", "--name", "Уже есть", "--inn", "7736050003", "--approach", "remote")
    status, _, err = cli("clients", "import", str(write(tmp_path, [HEADER, *GOOD])))
    assert status == 2 and "Строка 3" in err and "уже есть" in err
    assert len(json.loads(cli("clients", "list", "--json")[1])) == 1


@pytest.mark.parametrize("content,needle", [
    (b"", "пуст"),
    ("Имя;Код\nА;1\n".encode(), "нет столбцов"),
    (HEADER.encode(), "нет ни одного"),
    (b"\x00\x01\x02binary", "не является"),
])
def test_broken_files(cli, tmp_path, content, needle):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    status, _, err = cli("clients", "import", str(path))
    assert status == 2 and needle in err


def test_missing_file(cli, tmp_path):
    status, _, err = cli("clients", "import", str(tmp_path / "nope.csv"))
    assert status == 2 and "Не удаётся прочитать" in err
