"""Import clients from a ';'-separated CSV as Excel saves it: all rows or none."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from app.domain.validation import parse_date
from app.errors import UserError
from app.fileio import read_input_file
from app.i18n import _
from app.persistence.db import Database
from app.services.changes import Changes
from app.services.clients import ClientInput, PersonInput, _add, _normalise, field_errors

HEADER = ["Наименование", "ИНН", "Подход", "Договор №", "Дата договора", "Версия программы",
          "Контактное лицо", "Телефон", "E-mail"]
MAX_FILE_BYTES = 20 * 1024 * 1024


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM) first, then cp1251 as Russian Excel writes it."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1251")
    except UnicodeDecodeError:
        raise UserError(_("The file is neither UTF-8 nor Windows-1251 text.")) from None


def parse_clients_csv(raw: bytes) -> list[ClientInput]:
    """Parse and validate every row; raise one error naming every bad row."""
    if b"\x00" in raw[:4096]:
        raise UserError(_("The file is not a text CSV file."))
    text = decode(raw)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    except csv.Error as exc:
        raise UserError(_("The CSV file is broken: {error}").format(error=exc)) from None
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise UserError(_("The file is empty."))
    header = [h.strip() for h in rows[0]]
    missing = [h for h in HEADER[:3] if h not in header]
    if missing:
        raise UserError(_("The header row lacks columns: {columns}. Expected: {expected}.").format(
            columns=", ".join(missing), expected=";".join(HEADER)))
    index = {name: header.index(name) for name in HEADER if name in header}
    if len(rows) == 1:
        raise UserError(_("The file has a header but no clients."))

    clients: list[ClientInput] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for line_no, row in enumerate(rows[1:], start=2):
        def cell(name: str, row=row) -> str:
            i = index.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        row_errors: list[str] = []
        contract_date = None
        if cell("Дата договора"):
            try:
                contract_date = parse_date(cell("Дата договора"), "Дата договора")
            except UserError as exc:
                row_errors.append(exc.message)
        contacts = []
        if cell("Контактное лицо") or cell("Телефон") or cell("E-mail"):
            contacts.append(PersonInput(name=cell("Контактное лицо") or cell("Наименование"),
                                        phone=cell("Телефон"), email=cell("E-mail")))
        data = ClientInput(name=cell("Наименование"), inn=cell("ИНН"), approach=cell("Подход"),
                           contract_no=cell("Договор №"), contract_date=contract_date,
                           program_version=cell("Версия программы"), contacts=contacts)
        row_errors.extend(field_errors(data).values())
        inn = data.inn
        if inn and inn in seen:
            row_errors.append(_("INN {inn} repeats row {row}.").format(inn=inn, row=seen[inn]))
        seen.setdefault(inn, line_no)
        if row_errors:
            problems.append(_("Row {n}: {errors}").format(n=line_no, errors="; ".join(row_errors)))
        else:
            clients.append(_normalise(data))
    if problems:
        raise UserError(_("Nothing was imported: {n} rows have errors.").format(n=len(problems)), details=problems)
    return clients


def import_clients_csv(db: Database, path: str | Path) -> tuple[list[int], Changes]:
    path = Path(path)
    raw = read_input_file(path, MAX_FILE_BYTES)
    clients = parse_clients_csv(raw)
    with db.unit() as s:
        ids = []
        problems = []
        for line_no, data in enumerate(clients, start=2):
            try:  # the duplicate check runs before anything is added to the session
                ids.append(_add(s, data))
            except UserError as exc:
                problems.append(_("Row {n}: {errors}").format(n=line_no, errors=exc.message))
        if problems:
            raise UserError(_("Nothing was imported: {n} rows have errors.").format(n=len(problems)),
                            details=problems)
    return ids, Changes(clients=True, client_ids=frozenset(ids))
