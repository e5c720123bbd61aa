"""The work log view's conference timer: start, stop (logging the time), discard, and its ticking button."""

from __future__ import annotations

from datetime import UTC, datetime

from app.domain.quotes import in_quotes
from app.errors import UserError
from app.i18n import _
from ui.models.worklog import duration
from ui.qtutil import one_line
from ui.undo import UndoStep, short
from ui.views.worklog_base import WorkLogBase

TIMER_NAME_LIMIT = 24  # characters of another client's name on the timer button


def utc_now() -> datetime:
    """The timer's clock: an aware UTC moment (the timer service stores UTC)."""
    return datetime.now(UTC)


class WorkLogTimer(WorkLogBase):
    """The timer part of WorkLogView: one timer at a time, perhaps another client's (named on the button)."""

    def toggle_timer(self) -> int | None:
        """Start a conference timer for this client, or stop the running one and log its time — asking for the
        conference's real time when the timer ran longer than a day (it was left running)."""
        from app.services import worklog, worklog_timer

        if self.timer is None:
            if self.client_id is None:
                return None
            client_id = self.client_id
            self._run(lambda: worklog_timer.start_timer(self.db, client_id, "conference", self.clock()))
            return None
        minutes = None
        if self.timer.too_long(_comparable(self.timer.started, self.clock())):
            minutes = self.ask_real_minutes()
            if minutes is None:
                return None
        db, note = self.db, one_line(self.entry_note.text())
        on_error = self._show_error
        if self.timer.client_id != self.client_id:  # said under this client's log: whose timer was refused
            name = in_quotes(self.timer.client_name)

            def on_error(exc: UserError) -> None:
                self._show_message(_("The timer of «{name}» keeps running. {reason}").format(
                    name=name, reason=exc.full_text()), error=True)
        result = self.ops.run(lambda: worklog_timer.stop_timer(db, self.clock(), note, minutes=minutes),
                              initiator=self, on_error=on_error,
                              undo=lambda r: UndoStep(_("logging the timed conference"),
                                                      lambda: worklog.restore_entries(db, [r[0]]),
                                                      lambda: worklog.delete_entries(db, [r[0]])))
        if result is None:
            return None
        self.entry_note.clear()
        note = self._date_notes(result[0])  # a timer run before the contract's day, or on a clock set ahead
        if note:
            self._show_message(note, warning=True)
        return result[0]

    def ask_real_minutes(self) -> int | None:
        """The real minutes of a conference whose timer ran longer than a day (1–1 440), or None when the user
        cancels."""
        from PySide6.QtWidgets import QInputDialog

        assert self.timer is not None
        seconds = self.timer.elapsed_seconds(_comparable(self.timer.started, self.clock()))
        value, ok = QInputDialog.getInt(
            self, _("The timer was left running"),
            _("The timer for «{name}» has run for {time}, longer than a day. How many minutes did the conference "
              "of {day} take?").format(name=in_quotes(self.timer.client_name), time=duration(seconds // 60),
                                       day=self.timer.on_date.strftime("%d.%m.%Y")), 60, 1, 24 * 60, 5)
        return int(value) if ok else None

    def discard_timer(self) -> bool:
        """Throw the running timer away, logging nothing (undoable: the undo starts it again at its moment)."""
        from app.services import worklog_timer

        running = self.timer
        if running is None:
            return False
        db = self.db
        step = UndoStep(_("discarding the timer"), lambda: worklog_timer.cancel_timer(db),
                        lambda: worklog_timer.start_timer(db, running.client_id, running.kind, running.started))
        return self._run(lambda: worklog_timer.cancel_timer(db), undo=step) is not None

    def _update_timer(self) -> None:
        if self.timer is None:
            self.timer_button.setText(_("▶ Start conference"))
            self.timer_button.setEnabled(self.client_id is not None)
            self.timer_button.setToolTip(_("Starts a timer; stopping it logs the conference"))
            self.timer_discard.setVisible(False)
            self._tick.stop()
            self._fit_timer_button()
            return
        self.timer_discard.setVisible(True)
        seconds = self.timer.elapsed_seconds(_comparable(self.timer.started, self.clock()))
        clock = f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
        if self.timer.client_id == self.client_id:
            self.timer_button.setText(_("■ Stop {time}").format(time=clock))
        else:  # another client's timer, shown in this client's log: named, so that it is not taken for this one's
            self.timer_button.setText(_("■ Stop {time} · {name}").format(
                time=clock, name=short(self.timer.client_name, TIMER_NAME_LIMIT)))
        self.timer_button.setEnabled(True)
        self._fit_timer_button()
        started = _local(self.timer.started)
        # a timer started on another day names that day: «с 14:03» of a timer started yesterday read as today's
        since = started.strftime("%H:%M" if started.date() == self.today() else "%d.%m.%Y %H:%M")
        self.timer_button.setToolTip(_("Conference with «{name}» since {time}").format(
            name=in_quotes(self.timer.client_name), time=since))
        if not self._tick.isActive():
            self._tick.start()

    def _fit_timer_button(self) -> None:
        """The timer's button as wide as its text (150 px at least, so that the ticking clock does not jiggle it)."""
        self.timer_button.setMinimumWidth(max(150, self.timer_button.sizeHint().width()))
        self._place_note()


def _comparable(started: datetime, now: datetime) -> datetime:
    """``now`` in the same kind (aware or naive) as ``started``; naive values are local time."""
    if started.tzinfo is None and now.tzinfo is not None:
        return now.astimezone().replace(tzinfo=None)
    if started.tzinfo is not None and now.tzinfo is None:
        return now.astimezone(UTC)
    return now


def _local(moment: datetime) -> datetime:
    return moment.astimezone() if moment.tzinfo is not None else moment
