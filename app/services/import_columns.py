"""The clients' CSV header: the columns an import knows, their usual spellings, and the header row read."""

from __future__ import annotations

import re

from app.domain.normalize import fold
from app.domain.quotes import in_quotes
from app.errors import UserError
from app.i18n import _, ngettext
from app.services.csvread import Record

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
