"""Import clients from a CSV as people have it (Excel, 1C, Google Sheets): all rows or none, or an update.

The file is read by ``app.services.csvread`` (encoding, separator, ``sep=`` line, physical lines);
the header may use the usual spellings of each column (``E-mail``/``Email``/``Эл. почта``,
``Договор №``/``Договор N``/``Номер договора`` …); a column that cannot be placed is refused by name
rather than dropped. Cells are validated and normalised by the same functions as the client card
(``app.services.clients``), and every message names the physical line of the file."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy.orm import Session

from app.domain.normalize import fold, normalize_inn
from app.domain.quotes import in_quotes
from app.domain.validation import joined as v_joined
from app.domain.validation import parse_date
from app.errors import UserError
from app.fileio import read_input_file
from app.gcpause import paused_gc
from app.i18n import _, format_number, ngettext
from app.persistence.db import Database
from app.persistence.models import Client, Contact, utcnow
from app.services.bulk_clients import client_names, existing_inns, insert_clients, load_clients
from app.services.changes import Changes
from app.services.clients import (
    ClientInput,
    FieldChange,
    PersonInput,
    _normalise,
    field_errors,
)
from app.services.csvread import Record, decode, read_table
from app.services.import_progress import CHECK_EVERY, ImportCancelled, Report

__all__ = ["HEADER", "ClientUpdate", "ClientsAlreadyExist", "ContactChange", "ImportCancelled", "ImportResult",
           "decode", "import_clients", "import_clients_csv", "parse_clients_csv"]

MAX_FILE_BYTES = 20 * 1024 * 1024

# field -> header spellings people use (compared by ``header_key``); the first is the canonical title
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("Наименование", "Название", "Наименование организации", "Наименование заказчика", "Заказчик",
             "Организация", "Клиент", "Компания", "Name", "Company"),
    "inn": ("ИНН", "ИНН заказчика", "ИНН организации", "INN"),
    "kpp": ("КПП", "KPP"),
    "approach": ("Подход", "Подход к внедрению", "Вариант внедрения", "Approach"),
    "contract_no": ("Договор №", "Договор N", "Договор No", "Договор", "Номер договора", "№ договора",
                    "N договора", "Contract No", "Contract"),
    "contract_date": ("Дата договора", "Договор от", "Дата", "Contract date"),
    "program_version": ("Версия программы", "Версия", "Версия АСУ", "Program version", "Version"),
    "contact": ("Контактное лицо", "Контакт", "ФИО", "ФИО контакта", "Контактное лицо ФИО", "Contact"),
    "position": ("Должность", "Должность контакта", "Position"),
    "phone": ("Телефон", "Тел", "Телефон контакта", "Контактный телефон", "Мобильный", "Phone"),
    "email": ("E-mail", "Email", "Эл. почта", "Электронная почта", "Почта", "Адрес эл. почты", "Mail"),
    "manager": ("Менеджер", "Ответственный", "Manager"),
    "city": ("Город", "City"),
    "address": ("Адрес", "Юридический адрес", "Address"),
    "notes": ("Примечание", "Примечания", "Комментарий", "Заметки", "Notes"),
}
# the canonical title of every column the importer knows, in the order a file would have them (what a refused header
# is told to hold: КПП, the contact's position, the notes … are the file's as much as the contract's number)
HEADER = [titles[0] for titles in COLUMNS.values()]
# a row's client is found by its ИНН, so every file has that column; the name and the approach only a new client needs
# (a client already here keeps its stored ones, ``ImportRow.if_new``), so a contacts-only file is not refused by header
REQUIRED = ("inn",)
# the clients workbook's own computed columns (``app.services.xlsx_export.clients_xlsx``): the list's №, the stage and
# the progress, which the program keeps itself. A workbook saved as CSV was refused by them, so it could not be
# imported back without deleting eight columns (a fresh tester, round 13); they are passed over and named in the
# import's report (``skipped_line``), never silently. Any other unknown column is still refused.
COMPUTED = ("№", "Этап", "Название этапа", "На этапе с", "Дней на этапе", "Чек-лист, %", "Уроки, %",
            "Открытых вопросов")


def header_key(title: str) -> str:
    """A header cell compared loosely: case, ё, «№»/«N»/«No», dots, dashes and spaces do not matter."""
    key = fold(title).replace("№", "n")
    key = re.sub(r"[\s.\-:_*]+", "", key)
    return re.sub(r"(?<=[а-яё])no$|^no(?=[а-яё])", "n", key)


_KEYS = {header_key(title): field for field, titles in COLUMNS.items() for title in titles}
_COMPUTED_KEYS = frozenset(header_key(title) for title in COMPUTED)


def skipped_line(titles: list[str]) -> str:
    """The report's line naming the computed columns of the file that were not imported (``COMPUTED``), each in «…»:
    «Чек-лист, %» holds a comma of its own."""
    return _("Not imported (computed by the program): {columns}.").format(
        columns=", ".join(f"«{in_quotes(title)}»" for title in titles))


def score_header(cells: list[str]) -> int:
    """How many cells of a header row name a known column (chooses the separator)."""
    return sum(1 for cell in cells if header_key(cell) in _KEYS)


@dataclass(frozen=True)
class ImportRow:
    """One valid row: the physical line it starts on and the normalised card."""

    line: int
    data: ClientInput
    columns: frozenset[str]  # the fields this file provides (an update changes only these)
    # the problems of required cells left empty or columns the file lacks (name, approach), which only a new client
    # has — a client already here keeps its stored value (with ``update``; without it, it is refused as already here)
    if_new: tuple[str, ...] = ()
    contact_named: bool = True  # the contact's name is the file's «Контактное лицо» (else the client's name)


def rows_refused(count: int) -> str:
    """«Nothing was imported: N rows have errors.» in the plural form of ``count`` (a CSV import's refusal)."""
    return ngettext("Nothing was imported: {n} row has errors.", "Nothing was imported: {n} rows have errors.",
                    count).format(n=count)


def clients_refused(errors: int, here: int) -> str:
    """The first line of a refused client import: the rows with errors and, apart from them, the clients of the file
    already here (without --update) — «Ничего не импортировано: ошибки в 1 строке; 1 заказчик из файла уже есть.»,
    «Ничего не импортировано: 2 заказчика из файла уже есть.». A client already here was counted among the rows with
    errors when the file had no other error, and said apart when it had one (tester J)."""
    if not here:
        return rows_refused(errors)
    clients = ngettext("{n} client of the file is already here", "{n} clients of the file are already here",
                       here).format(n=format_number(here))
    if not errors:
        return _("Nothing was imported: {clients}.").format(clients=clients)
    rows = ngettext("{n} row has errors", "{n} rows have errors", errors).format(n=format_number(errors))
    return _("Nothing was imported: {rows}; {clients}.").format(rows=rows, clients=clients)


def _here_lines(s: Session, existing: dict[str, int], rows: list[tuple[int, str]]) -> tuple[list[str], list[int]]:
    """For the rows (line, normalised ИНН) whose ИНН is already here (``existing``: ``existing_inns``): one line each
    naming the client, «Строка 3: заказчик с ИНН 7707083893 уже есть: «ООО „Ромашка“» (№ 1).», and the clients' ids,
    in the file's order."""
    here = [(line, inn, existing[inn]) for line, inn in rows if inn in existing]
    names = client_names(s, [client_id for _line, _inn, client_id in here])
    lines = [_("Row {n}: {errors}").format(n=line, errors=_(
        "a client with INN {inn} already exists: «{name}» (No. {id}).").format(
        inn=inn, name=in_quotes(names[client_id]), id=client_id)) for line, inn, client_id in here]
    return lines, [client_id for _line, _inn, client_id in here]


def _update_hint(here: int) -> str:
    """The command line's way to import a file whose ``here`` clients are already here (the window asks with a
    button, «Обновить существующих»)."""
    if not here:
        return ""
    return _("Add --update to update it from the file.") if here == 1 else _("Add --update to update them from the file.")


class _RowProblems(UserError):
    """Rows of the file refused by ``parse_rows`` before the file met the database; ``lines`` and ``inns``: the line
    and normalised ИНН of every row of the file (to name the clients already here: ``_say_already_here``)."""

    def __init__(self, message: str, details: list[str], lines: list[int], inns: list[str]) -> None:
        super().__init__(message, details)
        self.lines, self.inns = lines, inns


class ClientsAlreadyExist(UserError):
    """The file names clients already in the database and no update was asked for: nothing saved; the
    window can offer to import again with ``update=True`` (``clients import --update``)."""

    def __init__(self, message: str, details: list[str], client_ids: list[int]) -> None:
        super().__init__(message, details)
        self.client_ids = client_ids


@dataclass(frozen=True)
class ContactChange:
    """One change an update made to a client's contacts: ``field`` None when the contact ``contact`` was added, else
    «position», «phone» or «email» of that contact with the stored values before and after."""

    contact: str
    field: str | None
    old: str = ""
    new: str = ""


@dataclass(frozen=True)
class ClientUpdate:
    """What an update changed in one client already here: its name (as stored now), the fields of its card and its
    contacts (never empty together: a client the file does not change is not an update)."""

    client_id: int
    name: str
    fields: list[FieldChange]
    contacts: list[ContactChange]

    @property
    def count(self) -> int:
        """The number of values changed (fields and contacts' cells, a contact added counting one)."""
        return len(self.fields) + len(self.contacts)


@dataclass(frozen=True)
class ImportResult:
    """What an import did: ids of the clients added and of those updated (``--update``), and what changed in each
    client updated, in the file's order."""

    added: list[int]
    updated: list[int]
    changes: Changes
    updates: list[ClientUpdate] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # the file's computed columns passed over (``COMPUTED``)


def _columns(header: Record) -> tuple[dict[str, int], list[str]]:
    """field -> cell index, and the titles of the computed columns passed over (``COMPUTED``); UserError naming
    unknown, duplicate or missing columns."""
    index: dict[str, int] = {}
    unknown: list[str] = []
    skipped: list[str] = []
    for position, title in enumerate(header.cells, start=1):
        if not title.strip():
            continue
        field = _KEYS.get(header_key(title))
        if field is None and header_key(title) in _COMPUTED_KEYS:
            skipped.append(title.strip())
        elif field is None:
            unknown.append(_("«{title}» (column {n})").format(title=in_quotes(title.strip()[:60]), n=position))
        elif field in index:
            raise UserError(_("Line {line}: columns {first} and {second} both mean «{title}»: keep one.").format(
                line=header.line, first=index[field] + 1, second=position, title=in_quotes(COLUMNS[field][0])))
        else:
            index[field] = position - 1
    missing = [COLUMNS[f][0] for f in REQUIRED if f not in index]
    if missing and not index:
        raise _lacks(missing)
    if unknown:
        known = ", ".join(titles[0] for titles in COLUMNS.values())
        # the number is not said: one column or several, not a plural form chosen by the count (21 is «one» in Russian)
        message = _("Line {line}: the importer does not know the column {columns}; its data would be lost. Rename "
                    "it to a known column ({known}) or delete it.") if len(unknown) == 1 else _(
            "Line {line}: the importer does not know the columns {columns}; their data would be lost. Rename them "
            "to a known column ({known}) or delete them.")
        raise UserError(message.format(line=header.line, columns=", ".join(unknown), known=known))
    if missing:
        raise _lacks(missing)
    return index, skipped


def _lacks(missing: list[str]) -> UserError:
    """The refusal of a header without the required columns ``missing``, in the form the count takes («нет столбца
    ИНН»), with every column the importer knows."""
    return UserError(ngettext("The header row lacks the column {columns}. Expected: {expected}.",
                              "The header row lacks the columns {columns}. Expected: {expected}.",
                              len(missing)).format(columns=", ".join(missing), expected=";".join(HEADER)))


def too_many_cells(cells: int, width: int, first_extra: str) -> str:
    """The problem of a row with ``cells`` cells under a header of ``width`` columns, quoting the first extra cell
    that holds something (an unquoted separator inside a cell, as a rule): both numbers with their nouns in the
    plural form each takes («12 ячеек — больше, чем 11 столбцов заголовка»). After «Строка 4:» the line was said
    again («Строка 4: в строке 4 ячейки …») and a short cell ended «»…» (a fresh tester, round 13): the cell is cut
    (and «…» put) only when it is longer than 40 characters."""
    text = first_extra.strip()
    return _("{cells}, more than the {columns} of the header; the first extra one: «{cell}»").format(
        cells=ngettext("{n} cell", "{n} cells", cells).format(n=format_number(cells)),
        columns=ngettext("{n} column", "{n} columns", width).format(n=format_number(width)),
        cell=text if len(text) <= 40 else text[:40].rstrip() + "…")


_STAND_IN = {"name": "N", "approach": "remote"}  # what a blank required cell is judged as, for a client already here


def _row(record: Record, index: dict[str, int], width: int,
         untitled: list[int]) -> tuple[ClientInput | None, list[str], tuple[str, ...]]:
    """The card of one record, the problems found in it and the problems of its empty required cells (or missing
    columns), which count only if the row's client is new (``ImportRow.if_new``)."""
    errors: list[str] = []
    for i in untitled:
        if i < len(record.cells) and record.cells[i].strip():
            errors.append(_("column {n} has no title in the header but holds «{cell}»").format(
                n=i + 1, cell=record.cells[i].strip()[:40]))
            break
    extra = [c for c in record.cells[width:] if c.strip()]
    if extra:
        errors.append(too_many_cells(len(record.cells), width, extra[0]))

    def cell(field: str) -> str:
        i = index.get(field)
        return record.cells[i].strip() if i is not None and i < len(record.cells) else ""

    contract_date = None
    if cell("contract_date"):
        try:
            contract_date = parse_date(cell("contract_date"), COLUMNS["contract_date"][0])
        except UserError as exc:
            errors.append(exc.message)
    contacts = []
    if cell("contact") or cell("phone") or cell("email") or cell("position"):
        contacts.append(PersonInput(name=cell("contact") or cell("name"), position=cell("position"),
                                    phone=cell("phone"), email=cell("email")))
    data = ClientInput(name=cell("name"), inn=cell("inn"), approach=cell("approach"), kpp=cell("kpp"),
                       contract_no=cell("contract_no"), contract_date=contract_date,
                       program_version=cell("program_version"), manager=cell("manager"), city=cell("city"),
                       address=cell("address"), notes=cell("notes"), contacts=contacts)
    blank = [name for name in _STAND_IN if not getattr(data, name)]
    found = field_errors(data, person_rows=False)  # the line is named by the caller
    if_new: tuple[str, ...] = ()
    if blank:  # judged with stand-ins; what only the blank cells cause is a problem of a new client alone
        judged = field_errors(_stand_in(data), person_rows=False)
        if_new = tuple(_("a new client needs its approach: «Accompanied», «Remote conferences» or «On-site»")
                       if key == "approach"
                       else message for key, message in found.items() if judged.get(key) != message)
        found = judged
    errors.extend(found.values())
    return (None if errors else data), errors, if_new


def _stand_in(data: ClientInput) -> ClientInput:
    """``data`` with its empty required fields (and a contact named after the client) filled with stand-ins."""
    return replace(data, name=data.name or _STAND_IN["name"], approach=data.approach or _STAND_IN["approach"],
                   contacts=[replace(p, name=p.name or _STAND_IN["name"]) for p in data.contacts])


def parse_rows(raw: bytes, report: Report | None = None, *, update: bool = False,
               skipped: list[str] | None = None) -> list[ImportRow]:
    """Parse and validate every row; raise one error naming every bad row by its physical line.

    ``report`` (optional) hears of the rows checked and may stop the work between chunks (ImportCancelled). An empty
    name or approach cell, or a file without that column, is not yet a problem: with ``update`` it keeps the stored
    value of a client already here (without, that client is refused as already here), and it is refused for a new
    client when the file meets the database (``ImportRow.if_new``). ``update`` is kept for the callers' sake: the
    rows are read the same either way. ``skipped``, when given, gets the titles of the file's computed columns, which
    are passed over (``COMPUTED``)."""
    table = read_table(raw, score_header)
    index, passed_over = _columns(table.header)
    if skipped is not None:
        skipped.extend(passed_over)
    if not table.rows:
        raise UserError(_("The file has a header but no clients."))
    report = report or Report()
    report.begin(len(table.rows))
    columns = frozenset(index)
    width = len(table.header.cells)
    untitled = [i for i, title in enumerate(table.header.cells) if not title.strip()]
    rows: list[ImportRow] = []
    problems: list[str] = []
    lines: list[int] = []
    inns: list[str] = []
    seen: dict[str, int] = {}
    for done, record in enumerate(table.rows, start=1):
        data, errors, if_new = _row(record, index, width, untitled)
        inn = normalize_inn(cell_of(record, index, "inn"))
        if inn and inn in seen:
            errors.append(_("INN {inn} repeats line {row}.").format(inn=inn, row=seen[inn]))
        if inn and inn not in seen:
            lines.append(record.line)
            inns.append(inn)
        seen.setdefault(inn, record.line)
        if errors or data is None:
            problems.append(_("Row {n}: {errors}").format(n=record.line, errors=v_joined(errors)))
        else:
            named = bool(cell_of(record, index, "contact"))
            rows.append(ImportRow(record.line, _normal(data), columns, if_new, named))
        if done % CHECK_EVERY == 0:
            report.step(CHECK_EVERY)
    report.step(len(table.rows) % CHECK_EVERY)
    if problems:
        raise _RowProblems(rows_refused(len(problems)), problems, lines, inns)
    return rows


def _normal(data: ClientInput) -> ClientInput:
    """The stored form of a valid row; an empty approach (allowed with ``update``) stays empty."""
    if data.approach:
        return _normalise(data)
    return replace(_normalise(replace(data, approach=_STAND_IN["approach"])), approach="")


def cell_of(record: Record, index: dict[str, int], field: str) -> str:
    i = index.get(field)
    return record.cells[i].strip() if i is not None and i < len(record.cells) else ""


def parse_clients_csv(raw: bytes) -> list[ClientInput]:
    """The valid, normalised cards of a file, each taken for a new client (see ``parse_rows``): a row without its
    name or approach is refused."""
    rows = parse_rows(raw)
    _refuse_incomplete([row for row in rows if row.if_new])
    return [row.data for row in rows]


def _refuse_incomplete(rows: list[ImportRow], here: list[str] | None = None) -> None:
    """UserError naming each row of a new client that lacks its name or approach (``ImportRow.if_new``); ``here``:
    the lines naming the clients of the file already in the database (``_here_lines``; without --update), said apart
    from the rows with errors and with the --update hint at once: without it the user mended the cells, tried again
    and only then heard of --update (tester H)."""
    if rows:
        problems = [_("Row {n}: {errors}").format(n=row.line, errors=_("no client with INN {inn} here yet: {errors}")
                                                  .format(inn=row.data.inn, errors=v_joined(row.if_new,
                                                                                            after_colon=True)))
                    for row in rows]
        here = here or []
        raise UserError(clients_refused(len(problems), len(here)), details=problems + here,
                        cli_hint=_update_hint(len(here)))


def _say_already_here(db: Database, refusal: _RowProblems) -> UserError:
    """``refusal`` (rows with errors, before the file met the database) with the clients of the file already here,
    with errors or without, said apart: counted in its first line, named after its rows, the --update hint last."""
    with db.read() as s:
        here, _ids = _here_lines(s, existing_inns(s), list(zip(refusal.lines, refusal.inns, strict=True)))
    if not here:
        return refusal
    return UserError(clients_refused(len(refusal.details), len(here)), details=refusal.details + here,
                     cli_hint=_update_hint(len(here)))


_CARD_FIELDS = ("name", "kpp", "approach", "contract_no", "contract_date", "program_version", "manager",
                "city", "address", "notes")


def _update(client: Client, row: ImportRow) -> ClientUpdate | None:
    """Apply the file's row to the client already here; what changed, or None when nothing did.

    Only the file's columns, and of them only the cells that hold something: an empty cell keeps the stored value
    (people update from spreadsheets with gaps; «clients edit --notes ""» clears a field). The row's contact updates
    the stored contact of the same name (case, ё and spaces aside; a row naming no contact: the one of its phone
    or e-mail) with its non-empty cells, or is added; other
    contacts and the employees are left as stored, and nothing is deleted."""
    fields: list[FieldChange] = []
    for name in _CARD_FIELDS:
        new = getattr(row.data, name)
        if name not in row.columns or new is None or new == "":
            continue
        old = getattr(client, name)
        if new != old:
            fields.append(FieldChange(name, old, new))
            setattr(client, name, new)
    contacts: list[ContactChange] = []
    for person in row.data.contacts:  # no contact name in the row: the contact of its phone or e-mail, if any
        name = person.name or client.name  # a contact without a name of its own is named after the client
        same = None if row.contact_named else _same_reach(client.contacts, person)
        same = same or next((c for c in client.contacts if fold(c.name) == fold(name)), None)
        if same is None:
            client.contacts.append(Contact(name=name, position=person.position, phone=person.phone,
                                           email=person.email))
            contacts.append(ContactChange(name, None))
            continue
        for attr in ("position", "phone", "email"):
            new, old = getattr(person, attr), getattr(same, attr)
            if new and new != old:
                contacts.append(ContactChange(same.name, attr, old, new))
                setattr(same, attr, new)
    if not fields and not contacts:
        return None
    return ClientUpdate(client.id, client.name, fields, contacts)


def _same_reach(contacts: list[Contact], person: PersonInput) -> Contact | None:
    """The stored contact with the phone or the e-mail of a row that names no contact (both stored normalised)."""
    return next((c for c in contacts if (person.phone and c.phone == person.phone)
                 or (person.email and c.email == person.email)), None)


def _write(s: Session, rows: list[ImportRow], update: bool, report: Report) -> tuple[list[int], list[ClientUpdate]]:
    """Check the whole file against the database with one statement, then add the new clients in bulk
    (``app.services.bulk_clients``) and, with ``update``, update the existing ones. Refused, in this order: every row
    of a new client without its name or approach (UserError), then ClientsAlreadyExist naming every row whose ИНН is
    already here when no update was asked for (a contacts-only file comes to the window's «Обновить существующих»)."""
    existing = existing_inns(s)
    new = [row for row in rows if row.data.inn not in existing]
    old = [row for row in rows if row.data.inn in existing]
    # first what no answer can mend: a new client without its name or approach, whether or not the file updates
    # (the command line hears of the rows already here too, that need --update)
    here, here_ids = _here_lines(s, existing, [(row.line, row.data.inn) for row in old]) if not update else ([], [])
    _refuse_incomplete([row for row in new if row.if_new], here)
    if here:  # the window asks with a button, «Обновить существующих»
        refusal = ClientsAlreadyExist(clients_refused(0, len(here)), here, here_ids)
        refusal.cli_hint = _update_hint(len(here))
        raise refusal
    added = insert_clients(s, [row.data for row in new], report)
    updates: list[ClientUpdate] = []
    if old:
        clients = load_clients(s, [existing[row.data.inn] for row in old])
        stamp = utcnow()
        for row in old:  # one row per ИНН: parse_rows refuses a repeated one
            client = clients[existing[row.data.inn]]
            change = _update(client, row)
            if change is not None:  # a row that changes nothing is not an update: no new stamp, not counted
                client.updated_at = stamp
                updates.append(change)
        report.check()
        report.step(len(old))
    return added, updates


def import_clients(db: Database, path: str | Path, *, update: bool = False,
                   progress: Callable[[int, int], None] | None = None,
                   cancelled: Callable[[], bool] | None = None) -> ImportResult:
    """Import a CSV file in one transaction: new clients are added; a client whose ИНН is already in the
    database is refused (ClientsAlreadyExist), or with ``update`` updated from the file's columns.
    UserError (nothing saved) naming every bad line. The clients workbook's computed columns (``COMPUTED``) are
    passed over and named in ``ImportResult.skipped``.

    The work is linear in the size of the file: one statement reads the ИНН already here, the new clients
    and their contacts go in with one executemany per 1 000 rows (authorship and audit entries through
    ``app.team.hooks``), whatever the number of rows. ``progress(done, total)`` hears of the work as it goes
    (monotonic, ends at ``done == total``; each row counts twice: checked, then written); ``cancelled()`` is
    asked between chunks and, when true before the commit, stops the import with ImportCancelled and
    nothing saved."""
    report = Report(progress, cancelled)
    raw = read_input_file(Path(path), MAX_FILE_BYTES)
    skipped: list[str] = []
    with paused_gc():  # tens of thousands of acyclic cards: full collections would make the work superlinear
        try:
            rows = parse_rows(raw, report, update=update, skipped=skipped)
        except _RowProblems as refusal:
            if not update:
                raise _say_already_here(db, refusal) from None
            raise
        with db.unit() as s:
            added, updates = _write(s, rows, update, report)
            s.flush()
            report.check()  # the last moment a cancel can still leave the database as it was
    report.finish()
    updated = [u.client_id for u in updates]
    ids = frozenset(added) | frozenset(updated)
    return ImportResult(added, updated, Changes(clients=True, client_ids=ids), updates, skipped)


def import_clients_csv(db: Database, path: str | Path, *, update: bool = False) -> tuple[list[int], Changes]:
    """``import_clients`` for callers that want (ids added or updated, changes)."""
    result = import_clients(db, path, update=update)
    return result.added + result.updated, result.changes
