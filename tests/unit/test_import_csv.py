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
    ("Имя;Код\nА;1\n".encode(), "нет столбца ИНН"),
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


# ------------------------------------------------------------------ issue 13, kind 4: CSV as people have it

import pathlib  # noqa: E402

DATA = pathlib.Path(__file__).resolve().parent.parent / "data"


def clients(cli) -> dict[str, dict]:
    return {c["inn"]: c for c in json.loads(cli("clients", "list", "--json")[1])}


def details(inn: str, sqlite_path):
    from app.persistence.db import open_database
    from app.services.clients import get_client

    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        return get_client(db, inn).data
    finally:
        db.dispose()


def test_excel_sep_line_is_read_and_the_header_is_line_2(cli):
    status, _out, err = cli("clients", "import", str(DATA / "excel-sep-line.csv"))
    assert status == 0, err
    assert clients(cli)["5501234560"]["name"] == "ООО «Дельта»"


def test_header_spellings_people_use_are_placed_not_dropped(cli, sqlite_path):
    status, _out, err = cli("clients", "import", str(DATA / "unknown-columns.csv"))  # Email, Договор N
    assert status == 0, err
    data = details("5501234560", sqlite_path)
    assert data.contract_no == "Д-77"
    assert [p.email for p in data.contacts] == ["boss@example.ru"]


@pytest.mark.parametrize("header", [
    "Наименование;ИНН;Подход;Номер договора;Эл. почта;Контактное лицо",
    "наименование;инн;подход;Договор No;E-Mail;Контакт",
    "Название;ИНН;Подход к внедрению;№ договора;Электронная почта;ФИО",
])
def test_header_synonyms(cli, tmp_path, sqlite_path, header):
    path = tmp_path / "c.csv"
    path.write_text(f"{header}\nООО «Синоним»;7707083893;remote;ВН-5;i@sin.ru;Иванов\n", encoding="utf-8")
    status, _out, err = cli("clients", "import", str(path))
    assert status == 0, err
    data = details("7707083893", sqlite_path)
    assert (data.contract_no, data.contacts[0].email, data.contacts[0].name) == ("ВН-5", "i@sin.ru", "Иванов")


@pytest.mark.parametrize("content,encoding", [
    ("Наименование,ИНН,Подход,Телефон\nООО «Запятая»,7707083893,remote,8 (495) 123-45-67\n", "utf-8"),
    ('Наименование,ИНН,Подход,Телефон\n"ООО ""Запятая"", филиал",7707083893,remote,8 (495) 123-45-67\n', "utf-8"),
    ("Наименование\tИНН\tПодход\tТелефон\r\nООО «Запятая»\t7707083893\tremote\t8 (495) 123-45-67\r\n", "utf-16"),
    ("sep=,\r\nНаименование,ИНН,Подход,Телефон\r\nООО «Запятая»,7707083893,remote,8 (495) 123-45-67\r\n", "cp1251"),
    ("Наименование|ИНН|Подход|Телефон\nООО «Запятая»|7707083893|remote|8 (495) 123-45-67\n", "utf-8-sig"),
])
def test_separator_and_encoding_are_detected(cli, tmp_path, content, encoding):
    path = tmp_path / "c.csv"
    path.write_bytes(content.encode(encoding))
    status, _out, err = cli("clients", "import", str(path))
    assert status == 0, err
    row = clients(cli)["7707083893"]
    assert row["name"].startswith("ООО") and "Запятая" in row["name"]
    assert row["phone"] == "+7 495 123-45-67"  # stored normalised


def test_cp1251_header_over_utf8_rows_is_refused_not_mojibake(cli, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(HEADER.encode("cp1251") + b"\r\n" + GOOD[0].encode("utf-8") + b"\r\n")
    status, _out, err = cli("clients", "import", str(path))
    assert status == 2 and "строка 1" in err and "строка 2" in err and "смешаны" in err
    assert clients(cli) == {}


def test_unknown_columns_are_refused_by_name(cli, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("Наименование;ИНН;Подход;Скидка;Регион\nООО «А»;7707083893;remote;10%;77\n", encoding="utf-8")
    status, _out, err = cli("clients", "import", str(path))
    assert status == 2 and "«Скидка» (столбец 4)" in err and "«Регион» (столбец 5)" in err
    assert clients(cli) == {}


def test_messages_name_the_physical_line(cli, tmp_path):
    lines = ["Наименование;ИНН;Подход;Примечание",
             'ООО «А»;7707083893;remote;"первая строка', 'вторая строка"',  # notes keep line breaks
             "ООО «Б»;7707083894;remote;"]
    path = tmp_path / "c.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, _out, err = cli("clients", "import", str(path))
    assert status == 2 and "Строка 4" in err and "Строка 3" not in err


def test_a_line_break_in_a_name_is_reported_with_its_line(cli):
    status, _out, err = cli("clients", "import", str(DATA / "line-break-in-name.csv"))
    assert status == 2 and "Строка 2" in err and "одну строку" in err
    assert clients(cli) == {}


def test_notes_keep_their_line_breaks(cli, tmp_path, sqlite_path):
    path = tmp_path / "c.csv"
    path.write_text('Наименование;ИНН;Подход;Примечание\r\nООО «А»;7707083893;remote;"раз\r\nдва"\r\n',
                    encoding="utf-8")
    assert cli("clients", "import", str(path))[0] == 0
    assert details("7707083893", sqlite_path).notes == "раз\nдва"


def test_a_cell_beyond_the_csv_modules_limit_gets_a_russian_message(cli, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(f"{HEADER}\n{GOOD[0]}\n\"{'Я' * 200_000}\";7736050003;remote;;;;;;\n", encoding="utf-8")
    status, _out, err = cli("clients", "import", str(path))
    assert status == 2 and "Строка 3" in err and "длинн" in err and "field" not in err


def test_update_refreshes_existing_clients_and_adds_new_ones(cli, tmp_path, sqlite_path):
    cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--approach", "remote",
        "--contract-no", "СТАРЫЙ", "--manager", "Петров")
    path = tmp_path / "c.csv"
    path.write_text("Наименование;ИНН;Подход;Договор №;Телефон\n"
                    "ООО «Ромашка-2»;7707 083 893;onsite;ВН-9;8 (495) 123-45-67\n"
                    "АО «Лютик»;7736050003;remote;;\n", encoding="utf-8")
    status, _out, err = cli("clients", "import", str(path))
    assert status == 2 and "--update" in err and "Строка 2" in err
    assert len(clients(cli)) == 1
    status, out, err = cli("clients", "import", str(path), "--update")
    assert status == 0, err
    assert "Импортировано заказчиков: 1." in out and "Обновлено заказчиков: 1." in out
    data = details("7707083893", sqlite_path)
    assert (data.name, data.approach, data.contract_no, data.manager) == ("ООО «Ромашка-2»", "onsite", "ВН-9", "Петров")
    assert [(p.name, p.phone) for p in data.contacts] == [("ООО «Ромашка-2»", "+7 495 123-45-67")]
    assert set(clients(cli)) == {"7707083893", "7736050003"}
    status, out, err = cli("clients", "import", str(path), "--update")  # again: nothing new, no second contact
    assert status == 0 and "Импортировано заказчиков: 0." in out
    assert "Обновлено заказчиков: 0." in out  # the same file again changes nobody: nobody is counted as updated
    assert len(details("7707083893", sqlite_path).contacts) == 1
    path.write_text("Наименование;ИНН;Подход;Договор №;Телефон\n"
                    "ООО «Ромашка-2»;7707 083 893;onsite;ВН-9;8 (495) 123-45-67\n"
                    "АО «Лютик»;7736050003;remote;ЛТ-1;\n", encoding="utf-8")
    status, out, err = cli("clients", "import", str(path), "--update")  # one changed row: one update
    assert status == 0 and "Обновлено заказчиков: 1." in out, out + err
    assert details("7736050003", sqlite_path).contract_no == "ЛТ-1"


def test_existing_clients_are_named_so_the_window_can_offer_an_update(db, tmp_path):
    from app.services.clients import ClientInput, add_client
    from app.services.import_refusals import ClientsAlreadyExist
    from app.services.importing import import_clients

    client_id = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    path = write(tmp_path, [HEADER, *GOOD])
    with pytest.raises(ClientsAlreadyExist) as err:
        import_clients(db, path)
    assert err.value.client_ids == [client_id] and "Строка 2" in err.value.full_text()
    result = import_clients(db, path, update=True)
    assert result.updated == [client_id] and len(result.added) == 1


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r", "cp866", "utf-16", "utf-8-sig"])
def test_cyrillic_code_pages_are_found_by_charset_normalizer(encoding):
    from app.services.csvread import decode

    text = ("Наименование;ИНН;Подход;Контактное лицо\nООО \"Ромашка\";7707083893;Удалённые конференции;"
            "Иванов Иван Петрович\nАО Лютик;7736050003;Выездное внедрение;Сидорова Анна\n")
    assert decode(text.encode(encoding)) == text


# ------------------------------------------------------------------ a row with cells beyond the header (2026-12-05)

HEADER_11 = HEADER + ";КПП;Примечание"


def test_a_row_with_one_cell_too_many_says_its_own_count_in_russian(cli, tmp_path):
    """The tester's file: cp1251, «;», the last cell of line 4 holds an unquoted «;». The message said «в строке
    1 ячеек» (the extra cells, and wrong Russian) of a row of 12 cells."""
    rows = [HEADER_11, GOOD[0] + ";;", GOOD[1] + ";;",
            "ООО «Точка»;7830002293;remote;;;;;;;;Примечание; с точкой"]
    status, _out, err = cli("clients", "import", str(write(tmp_path, rows, "cp1251")))
    assert status == 2
    assert "Строка 4: 12 ячеек — больше, чем 11 столбцов заголовка; первая лишняя: «с точкой»." in err, err
    assert clients(cli) == {}


@pytest.mark.parametrize("width,said", [
    (4, "5 ячеек — больше, чем 4 столбца заголовка"),
    (20, "21 ячейка — больше, чем 20 столбцов заголовка"),
    (21, "22 ячейки — больше, чем 21 столбец заголовка"),
])
def test_the_cell_count_of_a_long_row_agrees_with_its_number(cli, tmp_path, width, said):
    header = ";".join(["Наименование", "ИНН", "Подход", "Примечание"] + [""] * (width - 4))
    row = ";".join(["ООО «А»", "7707083893", "remote", ""] + [""] * (width - 4) + ["лишнее"])
    status, _out, err = cli("clients", "import", str(write(tmp_path, [header, row])))
    assert status == 2 and f"Строка 2: {said}; первая лишняя: «лишнее»." in err, err


@pytest.mark.parametrize("cells,width,said", [
    (1, 1, "1 ячейка — больше, чем 1 столбец заголовка"),
    (2, 1, "2 ячейки — больше, чем 1 столбец заголовка"),
    (5, 2, "5 ячеек — больше, чем 2 столбца заголовка"),
    (12, 11, "12 ячеек — больше, чем 11 столбцов заголовка"),
    (21, 14, "21 ячейка — больше, чем 14 столбцов заголовка"),
])
def test_the_too_many_cells_message_in_each_plural_form(cells, width, said):
    from app.services.import_rows import too_many_cells

    assert too_many_cells(cells, width, " лишнее ") == f"{said}; первая лишняя: «лишнее»"


@pytest.mark.parametrize("columns,said", [
    ("Скидка", "неизвестный столбец «Скидка» (столбец 4) — его данные"),
    ("Скидка;Регион", "неизвестные столбцы «Скидка» (столбец 4), «Регион» (столбец 5) — их данные"),
])
def test_unknown_columns_are_named_in_the_singular_or_the_plural(cli, tmp_path, columns, said):
    path = write(tmp_path, [f"Наименование;ИНН;Подход;{columns}", "ООО «А»;7707083893;remote;1;2"])
    status, _out, err = cli("clients", "import", str(path))
    assert status == 2 and said in err, err


# ------------------------------------------------------------------ --update: an empty cell keeps the stored value

FULL_HEADER = ["Наименование", "ИНН", "КПП", "Подход", "Договор №", "Дата договора", "Версия программы", "Менеджер",
               "Город", "Адрес", "Примечание", "Контактное лицо", "Должность", "Телефон", "E-mail"]
FULL_ROW = ["ООО «Ромашка»", "7707083893", "770701001", "remote", "ВН-1", "01.07.2024", "7.5", "Петров", "Москва",
            "ул. Ленина, 1", "первый", "Иванов Иван", "директор", "+7 495 123-45-67", "i@romashka.ru"]


def card(inn: str, sqlite_path):
    data = details(inn, sqlite_path)
    people = [(p.name, p.position, p.phone, p.email, p.uuid) for p in data.contacts]
    return {name: getattr(data, name) for name in ("name", "kpp", "approach", "contract_no", "contract_date",
                                                   "program_version", "manager", "city", "address", "notes")}, people


def write_rows(tmp_path, *rows, header=FULL_HEADER, encoding="utf-8"):
    return write(tmp_path, [";".join(header), *(";".join(row) for row in rows)], encoding)


@pytest.mark.parametrize("column", [title for title in FULL_HEADER if title != "ИНН"])
def test_an_empty_cell_keeps_the_stored_value(cli, tmp_path, sqlite_path, column):
    """The tester's file erased the notes «первый» with an empty «Примечание» and said only «Обновлено: 1»."""
    assert cli("clients", "import", str(write_rows(tmp_path, FULL_ROW)))[0] == 0
    before = card("7707083893", sqlite_path)
    row = ["" if title == column else value for title, value in zip(FULL_HEADER, FULL_ROW, strict=True)]
    status, out, err = cli("clients", "import", str(write_rows(tmp_path, row, encoding="cp1251")), "--update")
    assert status == 0, err
    assert card("7707083893", sqlite_path) == before
    assert "Обновлено заказчиков: 0." in out and "Ничего не изменилось" in out, out


def test_the_testers_file_keeps_the_notes_and_says_what_changed(cli, tmp_path, sqlite_path):
    header = ["Наименование", "ИНН", "Подход", "Контактное лицо", "Телефон", "Примечание"]
    first = write_rows(tmp_path, ["ООО «Ромашка»", "7707083893", "remote", "Иванов", "", "первый"], header=header)
    assert cli("clients", "import", str(first))[0] == 0
    again = write_rows(tmp_path, ["ООО «Ромашка»", "7707083893", "onsite", "Иванов", "8 (495) 123-45-67", ""],
                       header=header)
    status, out, err = cli("clients", "import", str(again), "--update")
    assert status == 0, err
    assert details("7707083893", sqlite_path).notes == "первый"
    assert out.splitlines() == [
        "Импортировано заказчиков: 0.",
        "Обновлено заказчиков: 1.",
        "«ООО „Ромашка“» (№ 1): 2 изменения",
        "  Подход: Удалённые конференции → Выездное внедрение",
        "  Контакт «Иванов» — Телефон: — → +7 495 123-45-67",
    ]


def test_a_filled_cell_replaces_the_stored_value_and_each_change_is_said(cli, tmp_path, sqlite_path):
    assert cli("clients", "import", str(write_rows(tmp_path, FULL_ROW)))[0] == 0
    row = dict(zip(FULL_HEADER, FULL_ROW, strict=True))
    row.update({"КПП": "770801001", "Примечание": "второй", "Дата договора": "02.07.2024", "Должность": "главбух",
                "Контактное лицо": "Петрова Анна"})
    status, out, err = cli("clients", "import", str(write_rows(tmp_path, list(row.values()))), "--update")
    assert status == 0, err
    assert out.splitlines()[2:] == [
        "«ООО „Ромашка“» (№ 1): 4 изменения",
        "  КПП: 770701001 → 770801001",
        "  Дата договора: 01.07.2024 → 02.07.2024",
        "  Примечания: первый → второй",
        "  Контакт «Петрова Анна»: добавлен",
    ]
    data = details("7707083893", sqlite_path)
    assert (data.kpp, data.notes, data.contract_date.isoformat()) == ("770801001", "второй", "2024-07-02")
    assert [(p.name, p.position) for p in data.contacts] == [("Иванов Иван", "директор"), ("Петрова Анна", "главбух")]


def test_importing_the_same_file_twice_changes_nothing_the_second_time(cli, tmp_path, sqlite_path):
    """Contacts are matched, not added again; a row naming no contact finds its contact by phone."""
    cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--approach", "remote")
    rows = [FULL_ROW, ["АО «Лютик»", "7736050003", "", "onsite", "", "", "", "", "", "", "", "", "", "8 912 000-00-01",
                       ""]]
    path = write_rows(tmp_path, *rows)
    status, out, err = cli("clients", "import", str(path), "--update")
    assert status == 0 and "Импортировано заказчиков: 1." in out and "Обновлено заказчиков: 1." in out, out + err
    before = card("7707083893", sqlite_path), card("7736050003", sqlite_path)
    status, out, err = cli("clients", "import", str(path), "--update")
    assert status == 0, err
    assert out.splitlines() == ["Импортировано заказчиков: 0.", "Обновлено заказчиков: 0.",
                                "Ничего не изменилось: у заказчиков уже те значения, что в файле."]
    assert (card("7707083893", sqlite_path), card("7736050003", sqlite_path)) == before
    assert len(before[1][1]) == 1  # one contact, named after the client


def test_an_empty_name_or_approach_keeps_a_stored_one_and_is_refused_for_a_new_client(cli, tmp_path, sqlite_path):
    assert cli("clients", "import", str(write_rows(tmp_path, FULL_ROW)))[0] == 0
    header = ["Наименование", "ИНН", "Подход", "Примечание"]
    path = write_rows(tmp_path, ["", "7707083893", "", "второй"], ["", "7736050003", "", ""], header=header)
    status, _out, err = cli("clients", "import", str(path), "--update")
    assert status == 2 and "Строка 3" in err and "Строка 2" not in err, err
    assert "«Наименование» обязательно" in err and "для нового заказчика укажите подход" in err
    assert details("7707083893", sqlite_path).notes == "первый"  # refused: nothing saved, not even line 2
    path = write_rows(tmp_path, ["", "7707083893", "", "второй"], header=header)
    status, _out, err = cli("clients", "import", str(path), "--update")
    assert status == 0, err
    data = details("7707083893", sqlite_path)
    assert (data.name, data.approach, data.notes) == ("ООО «Ромашка»", "remote", "второй")
    # without --update the file is refused as naming a client already here (the window asks «Обновить существующих»)
    status, _out, err = cli("clients", "import", str(path))
    assert status == 2 and "уже есть" in err and "--update" in err, err


def test_the_report_lists_twenty_clients_and_counts_the_rest(cli, tmp_path):
    from tests.unit.test_import_bulk import inn10

    header = ["Наименование", "ИНН", "Подход", "Примечание"]
    rows = [[f"ООО «Завод {n}»", inn10(n), "remote", ""] for n in range(1, 26)]
    assert cli("clients", "import", str(write_rows(tmp_path, *rows, header=header)))[0] == 0
    for row in rows:
        row[3] = "новое"
    status, out, err = cli("clients", "import", str(write_rows(tmp_path, *rows, header=header)), "--update")
    assert status == 0, err
    lines = out.splitlines()
    assert lines[1] == "Обновлено заказчиков: 25."
    assert sum(line.startswith("«ООО „Завод") for line in lines) == 20
    assert lines[-1] == "… и ещё 5 обновлённых заказчиков"
    assert lines[2:4] == ["«ООО „Завод 1“» (№ 1): 1 изменение", "  Примечания: — → новое"]


@pytest.mark.parametrize("rest,said", [(1, "… и ещё 1 обновлённый заказчик"), (2, "… и ещё 2 обновлённых заказчика"),
                                       (5, "… и ещё 5 обновлённых заказчиков"),
                                       (21, "… и ещё 21 обновлённый заказчик"),
                                       (4980, "… и ещё 4 980 обновлённых заказчиков")])
def test_the_clients_beyond_the_list_are_counted_in_russian(rest, said):
    from app.services.card_changes import update_lines
    from app.services.clients import FieldChange
    from app.services.import_update import ClientUpdate

    updates = [ClientUpdate(n, f"З{n}", [FieldChange("notes", "", "x")], []) for n in range(20 + rest)]
    assert update_lines(updates)[-1] == said


# ------------------------------------------------------------------ a contacts-only file (tester, 2026-12-05)

CONTACTS_HEADER = ["Наименование", "ИНН", "Контактное лицо", "Телефон", "E-mail"]


def test_a_contacts_only_file_updates_the_contacts_and_keeps_the_name_and_approach(cli, tmp_path, sqlite_path):
    """The tester's file had no «Подход» column and an empty name: «В строке заголовка нет столбцов: Подход»."""
    assert cli("clients", "import", str(write_rows(tmp_path, FULL_ROW)))[0] == 0
    path = write_rows(tmp_path, ["", "7707083893", "Иванов  Иван", "+7 495 000-00-00", ""], header=CONTACTS_HEADER)
    status, out, err = cli("clients", "import", str(path), "--update")
    assert status == 0, err
    data = details("7707083893", sqlite_path)
    assert (data.name, data.approach) == ("ООО «Ромашка»", "remote")
    assert [(p.name, p.phone, p.email) for p in data.contacts] == [("Иванов Иван", "+7 495 000-00-00", "i@romashka.ru")]
    assert "Обновлено заказчиков: 1." in out and "+7 495 123-45-67 → +7 495 000-00-00" in out, out
    path = write_rows(tmp_path, ["7707083893", "Петрова Анна"], header=["ИНН", "Контактное лицо"])  # no name column
    status, out, err = cli("clients", "import", str(path), "--update")
    assert status == 0, err
    assert [p.name for p in details("7707083893", sqlite_path).contacts] == ["Иванов Иван", "Петрова Анна"]


def test_a_new_client_in_a_contacts_only_file_is_refused_by_row_and_nothing_is_written(cli, tmp_path, sqlite_path):
    assert cli("clients", "import", str(write_rows(tmp_path, FULL_ROW)))[0] == 0
    path = write_rows(tmp_path, ["", "7707083893", "Петрова Анна", "", ""],
                      ["АО «Лютик»", "7736050003", "Сидоров", "", ""], header=CONTACTS_HEADER)
    for flags in (["--update"], []):  # without --update a new client needs its approach too
        status, _out, err = cli("clients", "import", str(path), *flags)
        assert status == 2, err
        assert ("Строка 3: заказчика с ИНН 7736050003 ещё нет: для нового заказчика укажите подход: «Сопровождение "
                "внедрения», «Удалённые конференции» или «Выездное внедрение».") in err, err
        assert "столбц" not in err, err
        # without --update the command line hears at once that row 2 needs it (tester H), said apart from the rows
        # with errors (tester J)
        here = "Строка 2: заказчик с ИНН 7707083893 уже есть: «ООО „Ромашка“» (№ 1)."
        assert (here in err) == (not flags) and ("Строка 2" in err) == (not flags), err
        assert err.startswith("Ничего не импортировано: ошибки в 1 строке" + ("." if flags else
                                                                            "; 1 заказчик из файла уже есть.")), err
        assert ("Чтобы обновить его из файла, добавьте --update." in err) == (not flags), err
        assert [p.name for p in details("7707083893", sqlite_path).contacts] == ["Иванов Иван"]  # one transaction
        assert set(clients(cli)) == {"7707083893"}


def test_without_update_a_contacts_only_file_of_clients_here_asks_for_update(db, tmp_path):
    """The window's first attempt runs without update: the file must come to «Обновить существующих»."""
    from app.services.clients import ClientInput, add_client
    from app.services.import_refusals import ClientsAlreadyExist
    from app.services.importing import import_clients

    client_id = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    path = write_rows(tmp_path, ["", "7707083893", "Иванов  Иван", "+7 495 000-00-00", ""], header=CONTACTS_HEADER)
    with pytest.raises(ClientsAlreadyExist) as err:
        import_clients(db, path)
    assert err.value.client_ids == [client_id] and "Строка 2" in err.value.full_text()


@pytest.mark.parametrize("header,said", [
    ("Наименование;Подход;Телефон", "В строке заголовка нет столбца ИНН. Ожидается: Наименование;ИНН;КПП;Подход;"),
    ("Имя;Код", "В строке заголовка нет столбца ИНН. Ожидается: Наименование;ИНН;КПП;Подход;"),
])
def test_a_header_without_the_inn_names_the_one_column_and_every_known_one(cli, tmp_path, header, said):
    path = tmp_path / "x.csv"
    path.write_text(f"{header}\nООО «А»;remote;\n", encoding="utf-8")
    status, _out, err = cli("clients", "import", str(path), "--update")
    assert status == 2 and said in err, err
    assert "Должность" in err and "Примечание" in err, err


def test_two_refusals_of_a_row_read_as_one_line(cli, tmp_path):
    """«Поле «Наименование» обязательно.; Неизвестный подход…» joined two sentences (tester H, 2026-12-05)."""
    path = tmp_path / "two.csv"
    path.write_text("Наименование;ИНН;Подход\nООО «Р»;123;нечто\n", encoding="utf-8")
    status, _out, err = cli("clients", "import", str(path))
    assert status == 2
    line = next(x for x in err.splitlines() if x.startswith("Строка 2"))
    assert ".;" not in line and "; " in line and line.endswith(".") and not line.endswith("..")
