"""The rows of a clients' CSV: each read into a card, validated and normalised, every problem named by its line."""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.domain.normalize import normalize_inn
from app.domain.validation import joined as v_joined
from app.domain.validation import parse_date
from app.errors import UserError
from app.i18n import _, format_number, ngettext
from app.services.client_input import ClientInput, PersonInput, _normalise, field_errors
from app.services.csvread import Record, read_table
from app.services.import_columns import COLUMNS, _columns, score_header
from app.services.import_progress import CHECK_EVERY, Report
from app.services.import_refusals import _RowProblems, _update_hint, clients_refused, rows_refused


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
