"""The cost calculator's quote: the pricing context, the typed figures priced and compared, the totals shown."""

from __future__ import annotations

from decimal import Decimal

from app.domain.comparison import Comparison
from app.domain.estimate import EstimateInput
from app.domain.pricing import Quote
from app.errors import UserError
from app.i18n import _, format_date, format_editable, format_money, format_number
from ui.palette import text_style
from ui.views.calculator_figures import CalculatorFigures

MONEY_FIELDS = frozenset({"transfer", "lodging"})  # written back with kopecks: «1 500,50», «1,500.50»


class CalculatorQuote(CalculatorFigures):
    """The figures on screen priced: the breakdown, totals, VAT, USD and the comparison, recomputed as they change."""

    @property
    def context(self):
        if self._context is None:
            from app.services.estimates import pricing_context

            self._context = pricing_context(self.db)
            if not self.hours_per_day.text():
                self._loading = True
                self.hours_per_day.setText(format_editable(self._context.hours_per_day))
                self._loading = False
        return self._context

    def set_input(self, data: EstimateInput) -> None:
        self._loading = True
        try:
            for name, edit in self.inputs.items():
                value: Decimal = getattr(data, name)
                edit.setText("" if not value else format_editable(value, 2 if name in MONEY_FIELDS else None))
        finally:
            self._loading = False
        self._recompute()

    def _recompute(self, *_args) -> None:
        if self._loading:
            return
        self._quote, self._comparison = None, None
        error = ""
        try:
            context = self.context  # the first time, it puts the stored hours per day into their field
            errors = self.field_errors()
            self._mark_fields(errors)  # said under the fields, not again on the message line
            # no figures priced from other numbers than those on screen; the total does not need the hours per day
            data = None
            if not any(name in self.inputs for name in errors):
                data = self.input_data()
                self._show_not_kept(data)
                self._quote = context.quote(self.approach(), data, self.on_date())
                if "hours_per_day" not in errors:
                    self._comparison = context.compare(data, self.on_date(), self._hours_per_day())
            if data is None:
                self._show_not_kept(None)
        except UserError as exc:
            error = exc.message
        self.quote_model.set_quote(self._quote)
        self.comparison_model.set_comparison(self._comparison)
        quote = self._quote
        if quote is not None:
            hours = quote.hours
            extra = _(" for {hours} h").format(hours=format_number(hours)) if hours else ""
            self.total_label.setText(_("Total: {total}").format(total=format_money(quote.total)) + extra)
            self.vat_label.setText(quote.vat_ui)
            self.usd_label.setText(_("≈ {usd} at {rate} per 1 USD as of {date}").format(
                usd=format_money(quote.total_usd, "USD"), rate=format_money(quote.usd_rate),
                date=format_date(quote.usd_date, "short")) + (f"\n{quote.usd_stale_ui}" if quote.usd_stale_ui else ""))
            self.usd_label.setStyleSheet(text_style("warning") if quote.usd_stale_ui else "")
        else:
            self.total_label.setText(_("Total: —"))
            self.vat_label.clear()
            self.usd_label.clear()
        self.reasons_label.setText("\n".join(f"• {r}" for r in self._comparison.reasons) if self._comparison else "")
        error = error or self._refused  # the tab shown later recomputes: the reason stays said
        self._show_message(error, error=bool(error))
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_client = self.client_id is not None
        ok = self._quote is not None
        self.save_button.setEnabled(has_client and ok)
        self.print_button.setEnabled(has_client and ok and self.print_document is not None)

    def quote(self) -> Quote | None:
        return self._quote

    def comparison(self) -> Comparison | None:
        return self._comparison
