"""Estimate against actual on the client card: planned vs logged hours, days and money, over-budget marks."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QLabel, QWidget

from app.domain.budget_summary import BudgetSummary
from app.i18n import N_, _, format_money, format_number
from ui.palette import banner_style, text_style

ROWS = (("hours", N_("Hours")), ("days", N_("Days on site")), ("money", N_("Money")))


def _quantity(value: Decimal) -> str:
    return format_number(value.normalize() if value else Decimal(0))


def _restyle(label: QLabel, style: str) -> None:
    """A style sheet only when it differs: setting one re-polishes and repaints the label (every move of the
    current client handed the card the same budget again)."""
    if label.styleSheet() != style:
        label.setStyleSheet(style)


_NOTHING = object()
_BLANK = object()  # shown: no summary to wait for


class BudgetBox(QGroupBox):
    """Shows a BudgetSummary handed over by the window (it never reads the database itself)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Estimate against actual"), parent)
        self.setObjectName("budgetBox")
        self.budget: BudgetSummary | None = None
        self._shown: object = _NOTHING  # the summary the labels show (set_budget skips an equal one)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        for col, title in ((1, _("Planned")), (2, _("Logged"))):
            header = QLabel(title, self)
            header.setStyleSheet(text_style("muted"))
            grid.addWidget(header, 0, col, Qt.AlignmentFlag.AlignRight)
        self.cells: dict[tuple[str, str], QLabel] = {}
        for row, (key, title) in enumerate(ROWS, 1):
            grid.addWidget(QLabel(_(title), self), row, 0)
            for col, side in ((1, "planned"), (2, "actual")):
                label = QLabel(self)
                label.setObjectName(f"budget_{side}_{key}")
                label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                grid.addWidget(label, row, col)
                self.cells[(side, key)] = label
        self.note = QLabel(self)
        self.note.setObjectName("budgetNote")
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addLayout(grid)
        layout.addSpacing(16)
        layout.addWidget(self.note, 1)
        self.set_budget(None)

    def set_budget(self, budget: BudgetSummary | None, pending: bool = True) -> None:
        """Show ``budget`` (None: still being calculated; with ``pending`` False: nothing to calculate — no client
        shown, or the card refused to show one). An equal summary again changes nothing: every move and
        selection hands the header's budget over, and re-styling the eight labels relaid the card out."""
        self.budget = budget
        shown = budget if budget is not None or pending else _BLANK
        if shown == self._shown:
            return
        self._shown = shown
        if budget is None:
            for label in self.cells.values():
                label.setText("—")
                label.setStyleSheet("")
            self.note.setStyleSheet(text_style("muted"))
            self.note.setText(_("Estimate against actual is being calculated…") if pending else "")
            return
        planned = {"hours": _("{n} h").format(n=_quantity(budget.planned_hours)),
                   "days": _quantity(budget.planned_days), "money": format_money(budget.planned_total)}
        actual = {"hours": _("{n} h").format(n=_quantity(budget.actual_hours)),
                  "days": _quantity(budget.actual_days), "money": format_money(budget.actual_total)}
        over = {"hours": budget.hours_over, "days": budget.days_over, "money": budget.over_budget}
        for key, _title in ROWS:
            self.cells[("planned", key)].setText(planned[key] if budget.has_estimate else "—")
            cell = self.cells[("actual", key)]
            cell.setText("—" if budget.unreadable else ("▲ " if over[key] else "") + actual[key])
            _restyle(cell, text_style("over_budget", bold=True) if over[key] else "")
            cell.setToolTip(_("More than planned") if over[key] else "")
        self.note.setText(self.summary_text(budget))
        warn = budget.over_budget or budget.hours_over or budget.days_over or budget.unreadable
        _restyle(self.note, banner_style("error") if warn else text_style("muted"))

    @staticmethod
    def summary_text(budget: BudgetSummary) -> str:
        if budget.unreadable:
            return _("The work log holds entries whose kind, date, deletion mark, time, days or amount the program cannot "
                     "read ({n}): the actual figures are not counted. The «Work log» tab names them."
                     ).format(n=format_number(budget.unreadable))
        if not budget.has_estimate:
            return _("No cost estimate saved: save one on the Cost tab to compare with the work log.")
        if budget.over_budget:
            return _("Over budget: {actual} logged against {planned} planned ({percent}%).").format(
                actual=format_money(budget.actual_total), planned=format_money(budget.planned_total),
                percent=budget.used_percent)
        # what is over, named: «more time» for on-site days alone read as hours over (tester N, item 5)
        if budget.hours_over and budget.days_over:
            return _("More hours and more on-site days logged than planned, though the money is within the estimate.")
        if budget.hours_over:
            return _("More hours logged than planned, though the money is within the estimate.")
        if budget.days_over:
            return _("More on-site days logged than planned, though the money is within the estimate.")
        if budget.used_percent is None:
            return _("Within the estimate.")
        return _("Within the estimate: {percent}% used.").format(percent=budget.used_percent)
