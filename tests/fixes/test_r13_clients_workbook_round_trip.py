"""The clients workbook carries every field the CSV import reads: a list exported, corrected in Excel, saved as CSV
and imported with ``--update`` lost КПП, the contact's e-mail and position, the city and the address — the workbook
had no such columns (a fresh tester, round 13)."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

from openpyxl import load_workbook

from app.services.import_columns import COLUMNS, header_key


def _add(cli) -> None:
    status, _out, err = cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--approach", "remote",
                            "--contract-no", "Д-1", "--contract-date", "2024-07-01")
    assert status == 0, err
    status, _out, err = cli("clients", "edit", "7707083893", "--kpp", "770701001", "--city", "Москва",
                            "--address", "ул. Тверская, 1", "--manager", "Петрова")
    assert status == 0, err


def _export(cli, path) -> list[list]:
    status, _out, err = cli("export-xlsx", "clients", "-o", str(path))
    assert status == 0, err
    return [list(r) for r in load_workbook(io.BytesIO(path.read_bytes())).active.iter_rows(values_only=True)]


def test_every_column_the_import_reads_is_in_the_workbook(cli, tmp_path):
    _add(cli)
    rows = _export(cli, tmp_path / "c.xlsx")
    known = {header_key(title): field for field, titles in COLUMNS.items() for title in titles}
    mapped = {known[header_key(h)] for h in rows[0] if header_key(h) in known}
    assert mapped == set(COLUMNS)
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["КПП"], row["Город"], row["Адрес"]) == ("770701001", "Москва", "ул. Тверская, 1")


def _as_excel_csv(rows: list[list]) -> bytes:
    """The sheet as Excel saves it «CSV (разделители — точки с запятой)»: dates as shown, cp1251."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v.strftime("%d.%m.%Y") if isinstance(v, datetime) else v for v in row])
    return out.getvalue().encode("cp1251")


def test_corrected_in_excel_and_imported_back(cli, tmp_path):
    _add(cli)
    rows = _export(cli, tmp_path / "c.xlsx")
    head = rows[0]
    corrected = list(rows[1])
    for title, value in (("КПП", "770701002"), ("Город", "Казань"), ("Адрес", "ул. Баумана, 2"),
                         ("Контакт", "Иванов Иван"), ("Должность", "Главный бухгалтер"),
                         ("Телефон", "+7 495 123-45-67"), ("E-mail", "ivanov@example.ru")):
        corrected[head.index(title)] = value
    # the list's own columns (№, stage, progress): passed over by the import, said (test_r13_clients_import_skips_
    # computed.py); deleted here
    known = {header_key(title) for titles in COLUMNS.values() for title in titles}
    kept = [i for i, title in enumerate(head) if header_key(title) in known]
    assert [head[i] for i in range(len(head)) if i not in kept] == [
        "№", "Этап", "Название этапа", "На этапе с", "Дней на этапе", "Чек-лист, %", "Уроки, %", "Открытых вопросов"]
    (tmp_path / "c.csv").write_bytes(_as_excel_csv([[row[i] for i in kept] for row in (head, corrected)]))
    status, out, err = cli("clients", "import", str(tmp_path / "c.csv"), "--update")
    assert status == 0, err
    status, out, err = cli("clients", "show", "7707083893", "--json")
    assert status == 0, err
    card = json.loads(out)
    assert (card["kpp"], card["city"], card["address"]) == ("770701002", "Казань", "ул. Баумана, 2")
    assert card["contract_no"] == "Д-1" and card["manager"] == "Петрова"
    person = card["contacts"][0]
    assert (person["name"], person["position"], person["email"]) == ("Иванов Иван", "Главный бухгалтер",
                                                                     "ivanov@example.ru")
