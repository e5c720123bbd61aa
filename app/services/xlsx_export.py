"""Excel workbooks (openpyxl) of the client list, a work log, the documents register and the plan.

Cells hold real dates and numbers (not text); money has the format code ``#,##0.00 "₽"``, which Excel and
LibreOffice show as «1 234,50 ₽» in a Russian locale (the file stores «,» and «.» as the placeholders for
the locale's own separators, so a literal «# ##0,00» would be misread). Hours are exact (minutes / 60) with two
places shown, so that a column's SUM in Excel is its «Итого» (per-row rounded hours summed to 4,26 under 4,25).
Headers are Russian, like documents, the header row is frozen and bold, and columns are as wide as their longest
value."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, tzinfo
from decimal import Decimal
from typing import Any

from app.domain import pricing
from app.domain.client_summary import ClientSummary
from app.domain.pricing import LogItem
from app.domain.schedule import viewer_zone_label
from app.domain.stages import APPROACH_TITLES, STAGE_TITLES, Approach, Stage, parse_approach
from app.domain.vat import vat_ground
from app.errors import UserError
from app.i18n import _
from app.persistence.db import Database
from app.services.client_list import list_clients
from app.services.common import find_client, today
from app.services.documents import list_documents
from app.services.plan_read import list_events
from app.services.plan_rows import STATUS_TITLES
from app.services.questions import clients_with_questions_matching, normalise, open_question_counts
from app.services.tariffs import RateTable
from app.services.worklog_read import list_entries

MONEY_FORMAT = '#,##0.00 "₽"'
NUMBER_FORMAT = "0.00"
DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
MIN_WIDTH, MAX_WIDTH = 6, 60

# Russian titles (exported files are for the client and the office, like documents)
WORK_KIND_RU = {
    "conference": "Конференция", "questions": "Вопросы", "control": "Контроль данных",
    "onsite_day": "День выезда", "transfer": "Трансфер", "lodging": "Проживание",
}
EVENT_KIND_RU = {
    "conference": "Удалённая конференция", "onsite_day": "День выезда", "call": "Звонок",
    "stage_review": "Приёмка этапа",
}
EVENT_STATUS_RU = {"planned": "запланировано", "done": "проведено", "cancelled": "отменено"}
DOCUMENT_KIND_RU = {
    "signoff": "Акт сдачи-приёмки этапа", "estimate": "Расчёт стоимости", "act": "Акт оказанных услуг",
    "progress": "Отчёт о ходе внедрения",
}
assert set(EVENT_STATUS_RU) == set(STATUS_TITLES)


@dataclass(frozen=True)
class Column:
    """A sheet column: Russian header, how to read the value from a row, the cell format."""

    header: str
    value: Callable[[Any], object]
    kind: str = "text"  # text | int | number | money | date | datetime


def _shown(value: object, kind: str) -> str:
    """Roughly what the cell displays, to size the column."""
    if value is None:
        return ""
    if kind == "date" and isinstance(value, date):
        return "00.00.0000"
    if kind == "datetime":
        return "00.00.0000 00:00"
    if kind == "money":
        return f"{value:,.2f} ₽"
    if kind == "number" and isinstance(value, int | float | Decimal):
        return f"{value:,.2f}"  # as NUMBER_FORMAT shows it: an exact 0,91666… h is «0,92» wide
    return str(value)


def workbook_bytes(title: str, columns: Sequence[Column], rows: Iterable[object],
                   footer: Sequence[object] | None = None, more: Sequence[Sequence[object]] = ()) -> bytes:
    """One sheet ``title`` with a bold frozen header row, typed cells and fitted column widths; ``footer`` (the
    total row) and then ``more`` rows (the VAT and the total with it) in bold under the rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append([c.header for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(c.header) for c in columns]
    formats = {"money": MONEY_FORMAT, "number": NUMBER_FORMAT, "date": DATE_FORMAT, "datetime": DATETIME_FORMAT,
               "int": "0"}
    lines = [[c.value(row) for c in columns] for row in rows]
    body_rows = len(lines)
    footers = ([list(footer)] if footer is not None else []) + [list(row) for row in more]
    lines.extend(footers)
    for line in lines:
        sheet.append(line)
        r = sheet.max_row
        for index, (column, value) in enumerate(zip(columns, line, strict=True)):
            if value is None:
                continue
            if isinstance(value, str) and value.startswith("="):  # openpyxl takes «=…» for a formula: a note «=1+2»
                sheet.cell(row=r, column=index + 1).data_type = "s"  # showed «3», a name «=HYPERLINK(…)» a link
            kind = column.kind if not (isinstance(value, str) and column.kind != "text") else "text"
            if kind in formats:
                sheet.cell(row=r, column=index + 1).number_format = formats[kind]
            widths[index] = max(widths[index], max((len(part) for part in _shown(value, kind).split("\n")),
                                                   default=0))
    for row in range(sheet.max_row - len(footers) + 1, sheet.max_row + 1):
        for cell in sheet[row]:
            cell.font = Font(bold=True)
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = max(MIN_WIDTH, min(MAX_WIDTH, width + 2))
    sheet.freeze_panes = "A2"
    # the filter (and its sorting) covers the header and the rows, never the total row
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{body_rows + 1}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------ clients


@dataclass(frozen=True)
class ClientFilter:
    """The client list's filter: stage, approach, and the search text (name, ИНН, contract, contacts and
    the text of the client's questions, case and «ё» ignored). ``ids`` limits to the rows a view shows."""

    stage: int | None = None
    approach: str | None = None
    text: str = ""
    ids: tuple[int, ...] | None = None


def filtered_clients(db: Database, flt: ClientFilter) -> list[ClientSummary]:
    if flt.stage is not None and flt.stage not in [int(s) for s in Stage]:
        raise UserError(_("Stage must be a number from 0 to 4, not «{value}».").format(value=flt.stage))
    approach = None if flt.approach is None else parse_approach(flt.approach).value
    rows = list_clients(db, list(flt.ids) if flt.ids is not None else None)
    if flt.stage is not None:
        rows = [r for r in rows if r.stage == flt.stage]
    if approach is not None:
        rows = [r for r in rows if r.approach == approach]
    query = normalise(flt.text)
    if query:
        by_questions = clients_with_questions_matching(db, query)
        rows = [r for r in rows if query in normalise(r.search_text) or r.id in by_questions]
    return rows


@dataclass(frozen=True)
class _CardExtras:
    """The card's fields the list does not read, which the CSV import takes: a workbook corrected in Excel and
    imported back with ``--update`` could not carry them (a fresh tester, round 13)."""

    kpp: str = ""
    city: str = ""
    address: str = ""
    notes: str = ""
    position: str = ""  # of the first contact, the one «Контакт» and «Телефон» name
    email: str = ""


def _card_extras(db: Database, ids: set[int]) -> dict[int, _CardExtras]:
    """``_CardExtras`` of the clients ``ids``, in two statements whatever their number."""
    from sqlalchemy import select

    from app.persistence.models import Client, Contact

    with db.read() as s:
        cards = {r.id: r for r in s.execute(select(Client.id, Client.kpp, Client.city, Client.address, Client.notes))
                 if r.id in ids}
        first: dict[int, tuple[str, str]] = {}
        for cid, position, email in s.execute(select(Contact.client_id, Contact.position, Contact.email)
                                              .order_by(Contact.id)):
            if cid in ids:
                first.setdefault(cid, (position or "", email or ""))
    return {cid: _CardExtras(r.kpp or "", r.city or "", r.address or "", r.notes or "", *first.get(cid, ("", "")))
            for cid, r in cards.items()}


def clients_xlsx(db: Database, flt: ClientFilter | None = None, *, on: date | None = None) -> bytes:
    """The client list (with its filter) as a workbook. Its headers are the CSV import's own titles
    (``app.services.import_columns.COLUMNS``) for every field the import reads, so the workbook saved as CSV imports
    back (``clients import --update``); the list's other columns (stage, progress …) the import passes over."""
    rows = filtered_clients(db, flt or ClientFilter())
    counts = open_question_counts(db, [r.id for r in rows])
    extras = _card_extras(db, {r.id for r in rows})
    none = _CardExtras()
    day = on or today()

    def extra(r: ClientSummary) -> _CardExtras:
        return extras.get(r.id, none)

    def pct(done: int, total: int) -> int:
        return (done * 100) // total if total else 0

    columns = [
        Column("№", lambda r: r.id, "int"),
        Column("Наименование", lambda r: r.name),
        Column("ИНН", lambda r: r.inn),
        Column("КПП", lambda r: extra(r).kpp),
        Column("Подход", lambda r: APPROACH_TITLES[Approach(r.approach)]),
        Column("Этап", lambda r: r.stage, "int"),
        Column("Название этапа", lambda r: STAGE_TITLES[Stage(r.stage)]),
        Column("На этапе с", lambda r: r.stage_since_local.date(), "date"),
        Column("Дней на этапе", lambda r: r.days_in_stage(day), "int"),
        Column("№ договора", lambda r: r.contract_no),
        Column("Дата договора", lambda r: r.contract_date, "date"),
        Column("Версия программы", lambda r: r.program_version),
        Column("Менеджер", lambda r: r.manager),
        Column("Город", lambda r: extra(r).city),
        Column("Адрес", lambda r: extra(r).address),
        Column("Контакт", lambda r: r.contact_name),
        Column("Должность", lambda r: extra(r).position),
        Column("Телефон", lambda r: r.contact_phone),
        Column("E-mail", lambda r: extra(r).email),
        Column("Чек-лист, %", lambda r: pct(r.checklist_done, r.checklist_total), "int"),
        Column("Уроки, %", lambda r: pct(r.lessons_done, r.lessons_total), "int"),
        Column("Открытых вопросов", lambda r: counts.get(r.id, 0), "int"),
        Column("Примечание", lambda r: extra(r).notes),
    ]
    return workbook_bytes("Заказчики", columns, rows)


# ------------------------------------------------------------------ work log


@dataclass(frozen=True)
class _LogLine:
    on_date: date
    kind: str
    stage: int
    minutes: int | None
    billed_minutes: int | None
    days: Decimal | None
    amount: Decimal | None
    money: Decimal | None
    billed: bool
    note: str


def worklog_xlsx(db: Database, client_ref: int | str, date_from: date | None = None,
                 date_to: date | None = None) -> bytes:
    """A client's work log for a period: raw and billed time, days, money of each entry at the tariff of its
    date (as the act's lines: without VAT when VAT is on top, with it when prices include it), whether a live act
    billed it (the entry's ``billed_by`` mark); then the act's totals block: «Итого» (the sum of the lines), the VAT
    of each rule («НДС 22 %», «В том числе НДС 20 %», «Без налога (НДС)») and «Всего (с учётом НДС)»."""
    log = list_entries(db, client_ref, date_from, date_to)
    with db.read() as s:
        rates = RateTable(s)
    lines = []
    for r in sorted(log.rows, key=lambda row: (row.on_date, row.id)):
        minutes = r.billed_minutes if r.billed_minutes is not None else r.minutes
        terms = None if r.terms is None else replace(r.terms, step=0)  # billed: at its act's figures (rounded above)
        try:
            money: Decimal | None = pricing.bill(log.approach, [LogItem(r.on_date, r.kind, minutes, r.days, r.amount,
                                                                        terms)],
                                                 rates.on, r.on_date, 0).total
        except UserError:
            money = None
        # the entry's own billed mark (a voided act clears it), not whether some act's period covers the date
        lines.append(_LogLine(r.on_date, r.kind, r.stage, r.minutes, r.billed_minutes, r.days, r.amount, money,
                              r.billed, r.note))
    columns = [
        Column("Дата", lambda r: r.on_date, "date"),
        Column("Вид работ", lambda r: WORK_KIND_RU[r.kind]),
        Column("Этап", lambda r: r.stage, "int"),
        Column("Время, мин", lambda r: r.minutes, "int"),
        Column("К оплате, мин", lambda r: r.billed_minutes, "int"),
        # exact hours shown to two places: Excel's SUM of the column is «Итого» (cells of 0,92 for 55 min summed
        # 3×55 + 90 min to 4,26 under an «Итого» of 4,25, tester T); documents still say hours_of, rounded once
        Column("К оплате, ч", lambda r: None if r.billed_minutes is None else _hours(r.billed_minutes), "number"),
        Column("Дни", lambda r: r.days, "number"),
        Column("Расходы, ₽", lambda r: r.amount, "money"),
        Column("Сумма, ₽", lambda r: r.money, "money"),
        Column("В акте", lambda r: "да" if r.billed else "нет"),
        Column("Примечание", lambda r: r.note),
    ]
    t = log.totals
    quote = log.quote
    # the lines are the act's lines (without VAT when it is charged on top): «Итого» is their sum, as on the act, and
    # the VAT and «Всего» follow in rows of their own — «Итого» held the total with VAT, 7 381 under lines of 6 050
    # (a fresh tester, round 13)
    footer = ["Итого", None, None, t.raw_minutes, t.billed_minutes, _hours(t.billed_minutes), t.days, t.expenses,
              None if quote is None else quote.total, None, log.billing_error or None]
    more: list[list[object]] = []

    def row(label: str, money: object, note: str | None = None) -> list[object]:
        return [label, *[None] * 7, money, None, note]  # in «Сумма, ₽», the note in «Примечание»

    if quote is not None:
        taxed = False
        for part in quote.vat_parts:
            if part.rule.mode == "none" or not part.rule.rate:
                more.append(row(part.rule.label, "—", _no_vat_sentence(part.rule.basis)))  # the act's «—»
            else:
                taxed = True
                more.append(row(part.rule.label, part.amount))
        more.append(row("Всего (с учётом НДС)" if taxed else "Всего", quote.total_due))
    return workbook_bytes("Журнал работ", columns, lines, footer, more)


def _hours(minutes: int) -> float:
    """Minutes as exact hours for a cell (shown to two places by NUMBER_FORMAT; never rounded in the value)."""
    return minutes / 60


def _no_vat_sentence(basis: str) -> str:
    """The act's sentence under its totals when no VAT is charged (Russian, like the act, whatever the language)."""
    ground = vat_ground(basis)
    return "НДС не облагается" + (f" на основании {ground}." if ground else ".")


# ------------------------------------------------------------------ register


def register_xlsx(db: Database, client_ref: int | str | None = None, kind: str | None = None,
                  year: int | None = None) -> bytes:
    """The documents register as a workbook (newest first): a voided document stays listed with the status
    «аннулирован», its day and reason, an empty amount, and is left out of the total row."""
    client_id = None
    if client_ref is not None:
        with db.read() as s:
            client_id = find_client(s, client_ref).id
    rows = list_documents(db, client_id, kind, year)
    from app.services.documents import VOIDED_WORD

    columns = [
        Column("Документ", lambda r: r.code),
        Column("Вид", lambda r: DOCUMENT_KIND_RU.get(r.kind, r.kind)),
        Column("Заказчик", lambda r: r.client_name),
        Column("ИНН", lambda r: r.client_inn),
        Column("Дата", lambda r: r.issued_on, "date"),
        Column("Этап", lambda r: r.stage, "int"),
        Column("Период с", lambda r: r.period_from, "date"),
        Column("Период по", lambda r: r.period_to, "date"),
        # the document's «Всего» (with VAT when it bears VAT), not the net «Итого» the work-log workbook sums
        Column("Всего по документу, ₽", lambda r: None if r.voided else r.total, "money"),  # a voided one: nothing
        Column("Подписанный экземпляр возвращён", lambda r: r.signed_returned_on, "date"),
        Column("Статус", lambda r: VOIDED_WORD if r.voided else "действует"),
        Column("Дата аннулирования", lambda r: r.voided_on, "date"),
        Column("Причина аннулирования", lambda r: r.void_reason if r.voided else ""),
    ]
    live = sum((r.total for r in rows if not r.voided and r.total is not None), Decimal("0.00"))
    footer = ["Итого (без аннулированных)", None, None, None, None, None, None, None, live, None, None, None, None]
    return workbook_bytes("Реестр документов", columns, rows, footer)


# ------------------------------------------------------------------ plan


def plan_xlsx(db: Database, client_ref: int | str | None = None, *, status: str | None = None,
              date_from: date | None = None, date_to: date | None = None, viewer: tzinfo | None = None) -> bytes:
    """Planned events (the agenda), conflicts marked. The first columns are this computer's (the specialist's)
    time, ``viewer``'s when given — the time the period's dates are of (as ``plan list`` takes them,
    ``app.services.plan_read.list_events``) and the rows' order; the client's time (each event's own zone) has columns
    of its own. A sheet of one day's period read «10.12 01:00, 11.12 00:00, 10.12 23:30» in the client's zones
    (a tester, 2026-12-05). The specialist's columns name that clock's zone and offset («Начало (время специалиста:
    Europe/Moscow, UTC+3)»): a file opened on another computer could not tell which clock it was (a tester)."""
    rows = list_events(db, client_ref, status=status, date_from=date_from, date_to=date_to, viewer=viewer)
    here = viewer_zone_label(viewer, [m for r in rows for m in (r.starts_utc, r.ends_utc)])
    columns = [
        Column(f"Начало (время специалиста: {here})", lambda r: r.viewer_start(viewer), "datetime"),
        Column(f"Окончание (время специалиста: {here})", lambda r: r.viewer_end(viewer), "datetime"),
        Column("Длительность, мин", lambda r: r.duration_min, "int"),
        Column("Начало (время заказчика)", lambda r: r.start_local, "datetime"),
        Column("Окончание (время заказчика)", lambda r: r.end_local, "datetime"),
        Column("Часовой пояс заказчика", lambda r: r.time_zone),
        Column("Вид", lambda r: EVENT_KIND_RU[r.kind]),
        Column("Заказчик", lambda r: r.client_name),
        Column("Раздел учёта", lambda r: r.section),
        Column("Уроки", lambda r: ", ".join(r.lesson_codes)),
        Column("Участники", lambda r: ", ".join(p.name for p in r.participants)),
        Column("Место или ссылка", lambda r: r.place),
        Column("Статус", lambda r: EVENT_STATUS_RU[r.status]),
        Column("Пересечение", lambda r: "да" if r.conflicts else ""),
        Column("Примечание", lambda r: r.note),
    ]
    return workbook_bytes("План", columns, rows)
