"""The cost calculator's typed figures: the approach and date, each field read and judged, what Save keeps."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.domain.comparison import check_hours_per_day
from app.domain.estimate import ESTIMATE_FIELDS, EstimateInput, check_estimate_field, relevant_input
from app.domain.stages import APPROACH_UI, Approach
from app.errors import UserError
from app.i18n import _, ngettext
from ui.palette import field_error_style
from ui.qtutil import from_qdate
from ui.views.calculator_base import CalculatorBase


class CalculatorFigures(CalculatorBase):
    """The figures typed into the calculator, read and judged as the estimate judges them."""

    def approach(self) -> str:
        return str(self.approach_combo.currentData())

    def set_approach(self, approach: str) -> None:
        index = self.approach_combo.findData(approach)
        if index >= 0:
            self.approach_combo.setCurrentIndex(index)

    def on_date(self) -> date:
        return from_qdate(self.tariff_date.date())

    def input_data(self) -> EstimateInput:
        """The typed figures (UserError naming the first field the estimate refuses)."""
        return EstimateInput(**{name: check_estimate_field(name, edit.text()) for name, edit in self.inputs.items()})

    def field_errors(self) -> dict[str, str]:
        """What each field holds now and the estimate refuses, by field name (``hours_per_day`` included)."""
        errors = {}
        for name, edit in self.inputs.items():
            try:
                check_estimate_field(name, edit.text())
            except UserError as exc:
                errors[name] = exc.message
        try:
            self._hours_per_day()
        except UserError as exc:
            errors["hours_per_day"] = exc.message
        return errors

    def _mark_fields(self, errors: dict[str, str]) -> None:
        """A refused field gets the red frame and its reason as the tooltip, the reasons are said under the
        fields; the other fields keep their usual look."""
        for name, edit in (*self.inputs.items(), ("hours_per_day", self.hours_per_day)):
            message = errors.get(name, "")
            edit.setStyleSheet(field_error_style() if message else "")
            edit.setToolTip(message or (self._hours_per_day_tip if name == "hours_per_day" else ""))
        self.field_error.setText("\n".join(errors.values()))
        self.field_error.setVisible(bool(errors))

    def unsaved_fields(self, data: EstimateInput | None = None) -> list[str]:
        """The fields holding a figure the chosen approach does not price, which Save does not keep (a saved estimate
        holds its approach's figures only: the budget and the printed estimate read them). Empty while a field is
        refused."""
        if data is None:
            try:
                data = self.input_data()
            except UserError:
                return []
        kept = relevant_input(self.approach(), data)
        return [name for name in self.inputs if getattr(data, name) and not getattr(kept, name)]

    def _not_kept_text(self, names: list[str], saved: bool) -> str:
        if not names:
            return ""
        fields = ", ".join(f"«{_(ESTIMATE_FIELDS[name][0])}»" for name in names)
        approach = _(APPROACH_UI[Approach(self.approach())])
        if saved:
            return ngettext("Not saved, not part of the «{approach}» estimate: {fields}.",
                            "Not saved, not part of the «{approach}» estimate: {fields}.", len(names)).format(
                approach=approach, fields=fields)
        return ngettext("{fields}: not part of the «{approach}» estimate and not saved with it (the comparison uses "
                        "it).", "{fields}: not part of the «{approach}» estimate and not saved with it (the "
                        "comparison uses them).", len(names)).format(approach=approach, fields=fields)

    def _show_not_kept(self, data: EstimateInput | None) -> None:
        text = self._not_kept_text(self.unsaved_fields(data), saved=False) if data is not None else ""
        self.not_kept.setText(text)
        self.not_kept.setVisible(bool(text))

    def _hours_per_day(self) -> Decimal | None:
        text = self.hours_per_day.text().strip()
        return check_hours_per_day(text, _("Hours per on-site day")) if text else None

    def _state(self) -> tuple:
        return (self.approach(), self.on_date(), tuple(e.text().strip() for e in self.inputs.values()))

    @property
    def dirty(self) -> bool:
        return self._state() != self._saved_state
