"""The strip above the work area: the selected client, its stage and marks, and the stage buttons."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

from app.domain.budget_summary import BudgetSummary
from app.domain.client_summary import ClientSummary
from app.domain.stages import STAGE_SHORT, Stage
from app.i18n import _, format_money, format_number
from ui.models.client_columns import approach_label
from ui.palette import hex_color


class ClientHeader(QWidget):
    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clientHeader")
        self.title = QLabel(self)
        self.title.setObjectName("clientHeaderTitle")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.title, 1)
        for action in actions:
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setAutoRaise(True)
            layout.addWidget(button)
        self.show_client(None, False, None, 0)

    def show_client(self, summary: ClientSummary | None, stalled: bool, budget: BudgetSummary | None,
                    days: int) -> None:
        if summary is None:
            self.title.setText(f"<span style='color:{hex_color('muted')}'>" + html.escape(_("No client selected")) + "</span>")
            self.title.setToolTip("")
            return
        parts = [f"<b>{html.escape(summary.name)}</b>",
                 f"<span style='background:{hex_color('badge_bg')}; padding:2px 4px;'>&nbsp;{html.escape(_(STAGE_SHORT[Stage(summary.stage)]))}"
                 f"&nbsp;</span>",
                 f"<span style='color:{hex_color('muted')}'>{html.escape(approach_label(summary.approach))}</span>"]
        if stalled:
            parts.append(f"<span style='color:{hex_color('stalled')}'>◷ " + html.escape(
                _("stalled for {days} days").format(days=format_number(days))) + "</span>")
        if budget is not None and budget.has_estimate and budget.over_budget:
            parts.append(f"<span style='color:{hex_color('over_budget')}'>▲ " + html.escape(_("over budget: {actual} of {planned}").format(
                actual=format_money(budget.actual_total), planned=format_money(budget.planned_total))) + "</span>")
        tip = summary.name
        if budget is not None and budget.has_estimate and not budget.over_budget and budget.unreadable:
            parts.append(f"<span style='color:{hex_color('muted')}'>" + html.escape(_("actual not counted")) + "</span>")
            tip += "\n" + _("actual not counted: the work log holds entries the program cannot read")  # short above
        self.title.setText(" &nbsp; ".join(parts))
        self.title.setToolTip(tip)
