"""The client table's columns: their numbers and headers, what a column sorts by, and the texts of its cells."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from PySide6.QtCore import Qt

from app.domain.client_summary import ClientSummary
from app.domain.stages import APPROACH_UI, Approach
from app.i18n import N_, _, format_number


class ClientColumns:
    """The columns of ClientTableModel (its base): ``COL_*`` numbers, headers and header tips."""

    COL_NAME, COL_INN, COL_APPROACH, COL_STAGE, COL_CHECKLIST, COL_LESSONS, COL_DAYS, COL_CONTACT, COL_PHONE = range(9)
    HEADERS = (N_("Client"), N_("INN"), N_("Approach"), N_("Stage"), N_("Checklist"), N_("Lessons"),
               N_("Days"), N_("Contact"), N_("Phone"))
    HEADER_TIPS: ClassVar[dict[int, str]] = {6: N_("Days since the last stage change")}


def whole_roubles(amount) -> str:
    """Roubles without kopecks, thousands grouped as the UI language does: ``Decimal("267400.00")`` → ``267 400``
    (``267,400`` in English: the Russian grouping was written by hand in either language, tester H)."""
    return format_number(int(amount))


def sort_state(column: int, order: Qt.SortOrder) -> tuple[int, bool]:
    """A header's sort indicator as the table keeps its order: (column, descending); a section out of range (none
    shown) is name order, (-1, False)."""
    column = column if 0 <= column < len(ClientColumns.HEADERS) else -1
    return column, column >= 0 and order == Qt.SortOrder.DescendingOrder


def column_value(s: ClientSummary, col: int, today: date):
    """What column ``col`` (ClientTableModel.COL_*, not the name's) sorts ``s`` by: a number, or the shown text
    casefolded. A plain function of the row and the day, so that a worker can order the first screen's rows as the
    table would (``in_saved_order``)."""
    t = ClientColumns
    if col == t.COL_STAGE:
        return s.stage
    if col == t.COL_CHECKLIST:
        return s.checklist_done / s.checklist_total if s.checklist_total else -1.0
    if col == t.COL_LESSONS:
        return s.lessons_done / s.lessons_total if s.lessons_total else 0.0
    if col == t.COL_DAYS:
        return s.days_in_stage(today)
    if col == t.COL_INN:
        return s.inn.casefold()
    if col == t.COL_APPROACH:
        return approach_label(s.approach).casefold()
    if col == t.COL_CONTACT:
        return s.contact_name.casefold()
    if col == t.COL_PHONE:
        return s.contact_phone.casefold()
    return ""


def approach_label(code: str) -> str:
    try:
        return _(APPROACH_UI[Approach(code)])
    except ValueError:
        return code
