"""The work log view's reading: the period and kind filters, the client's entries read (in a worker on a client
switch), the totals and the rounding rule shown."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from app.errors import NotFoundError, UserError
from app.i18n import _, format_money, format_number
from ui.models.worklog import PLACEHOLDERS, ROUNDING_CHOICES, duration, period_range
from ui.qtutil import from_qdate, to_qdate
from ui.views.worklog_base import WorkLogBase

if TYPE_CHECKING:
    from app.services.worklog_read import WorkLog


class WorkLogReading(WorkLogBase):
    """The reading part of WorkLogView: ``reload`` (through ``request_reload``) and what it shows."""

    def period(self) -> tuple[date | None, date | None]:
        code = self.period_combo.currentData()
        if code == "custom":
            return from_qdate(self.from_date.date()), from_qdate(self.to_date.date())
        return period_range(str(code), self.today())

    def kinds(self) -> list[str] | None:
        code = self.kind_filter.currentData()
        if not code:
            return None
        if code == "time":
            return ["conference", "questions", "control"]
        return [str(code)]

    def _period_changed(self, *_args) -> None:
        custom = self.period_combo.currentData() == "custom"
        self.from_date.setVisible(custom)
        self.to_date.setVisible(custom)
        self.period_dash.setVisible(custom)
        if not custom:
            start, end = self.period()
            self._loading = True
            self.from_date.setDate(to_qdate(start or date(self.today().year, 1, 1)))
            self.to_date.setDate(to_qdate(end or self.today()))
            self._loading = False
        self._filters_changed()

    def _filters_changed(self, *_args) -> None:
        if not self._loading:
            self.request_reload()

    def _kind_changed(self, *_args) -> None:
        from app.services.worklog import measure_of

        self.entry_value.setPlaceholderText(_(PLACEHOLDERS[measure_of(str(self.entry_kind.currentData()))]))

    def on_stale(self) -> None:
        if self.log is not None and self.log.client_id != self.client_id:  # never show another client's rows
            self.log = None
            self.model.set_rows([])
            self.totals_label.setText("")

    def reload(self) -> None:
        """Ask the service for the client's entries in the chosen period and kinds (constant queries).

        Callers use ``request_reload``: while the view sits hidden on a shown window the load waits until
        it is shown, so opening a client with thousands of entries costs nothing until the tab is opened."""
        from app.services.entry_rounding import billing_rounding
        from app.services.worklog_read import list_entries
        from app.services.worklog_timer import timer_state

        self.timer = timer_state(self.db)
        if self.client_id is None:
            self.log = None
            self.model.set_rows([])
            self.totals_label.setText("")
            self._set_rounding(billing_rounding(self.db))
            self._update_timer()
            return
        start, end = self.period()
        self._reads += 1
        try:
            log = list_entries(self.db, self.client_id, start, end, self.kinds())
        except Exception as exc:  # a refusal, or a failure a stored value explains (else raised: a fault)
            self._read_failed(exc)
            return
        self._take_log(log)

    def _read_in_worker(self) -> None:
        """Another client chosen while the log is on screen: the entries are read in a worker (~20 ms for 2 000
        rows, on the UI thread before); the table shows none meanwhile, never the previous client's."""
        from app.services.worklog_read import list_entries
        from app.services.worklog_timer import timer_state

        assert self.tasks is not None and self.client_id is not None
        self.timer = timer_state(self.db)
        start, end = self.period()
        self._reads += 1
        self.log = None
        self.model.set_rows([])
        self.totals_label.setText(_("Reading the entries…"))
        self._update_timer()
        read, db, client_id, kinds = self._reads, self.db, self.client_id, self.kinds()

        def current() -> bool:
            return read == self._reads and client_id == self.client_id

        self.tasks.start(lambda _progress: list_entries(db, client_id, start, end, kinds),
                         lambda log: self._take_log(log) if current() else None,
                         lambda exc: self._read_failed(exc) if current() else None)

    def _read_failed(self, exc: BaseException) -> None:
        if isinstance(exc, NotFoundError):  # the client was deleted
            self.set_client(None)
            return
        if not isinstance(exc, UserError):
            # e.g. «много» in work_log.minutes: a TypeError in the billing, far from the read (the table stayed
            # empty without a word); named when the database holds such values, else a fault
            refusal = self.ops.explain(exc)
            if refusal is None:
                raise exc
            exc = refusal
        self.log = None
        self.model.set_rows([])
        self._show_message(exc.full_text(), error=True)  # with its details: the values named and the way out
        self.totals_label.setText("")

    def _take_log(self, log: WorkLog) -> None:
        self.log = log
        self.model.set_rows(log.rows)
        self._set_rounding(log.rounding_min)
        self._show_totals()
        self._update_timer()

    def _set_rounding(self, step: int) -> None:
        self.rounding_step = step
        title = dict(ROUNDING_CHOICES).get(step)
        self.rounding_label.setText(_("Billing rounding: {rule} (Settings ▸ Billing)").format(
            rule=_(title) if title else step))

    def _show_totals(self) -> None:
        if self.log is None:
            return
        t = self.log.totals
        parts = [_("Entries: {n}").format(n=format_number(t.entries))]
        if t.raw_minutes:
            time = _("time {raw} ({hours} h)").format(raw=duration(t.raw_minutes),
                                                      hours=format_number(t.raw_hours))
            if t.billed_minutes != t.raw_minutes and not self.log.free:
                time += ", " + _("billed {billed} ({hours} h)").format(
                    billed=duration(t.billed_minutes), hours=format_number(t.billed_hours))
            parts.append(time)
        if t.days:
            parts.append(_("on-site days {days}").format(days=format_number(t.days)))
        if t.expenses:
            parts.append(_("expenses {amount}").format(amount=format_money(t.expenses)))
        if self.log.billed_while_paid and t.money is not None:  # billed by an act before the client became free
            parts.append(_("billed by acts {amount}; the rest is free").format(amount=format_money(t.money)))
        elif self.log.free:  # not «к оплате 0,00 ₽»: nothing of a free approach is billed (tester N, item 8)
            parts.append(_("not billed: the approach is free"))
        elif t.money is not None:
            parts.append(_("to bill {amount}").format(amount=format_money(t.money)))
        text = " · ".join(parts)
        if self.log.billing_error:
            text += "\n" + self.log.billing_error
        self.totals_label.setText(text)
