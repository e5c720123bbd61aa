"""Progress and cancelling of a long import: a monotonic ``(done, total)`` report and a cancel check between chunks."""

from __future__ import annotations

from collections.abc import Callable

from app.errors import UserError
from app.i18n import _

CHECK_EVERY = 100  # rows checked between two reports (and two looks at the cancel flag)


class ImportCancelled(UserError):
    """The user cancelled the import before it was saved: the transaction was rolled back, nothing changed."""

    def __init__(self) -> None:
        super().__init__(_("The import was cancelled: nothing was saved."))


class Report:
    """Counts the steps of an import for a progress bar and asks whether to stop.

    Each row counts twice (checked, then written), so ``total`` is twice the number of rows and the
    reported ``done`` never goes back and ends at ``total``. ``progress(done, total)`` may be None;
    ``cancelled()`` may be None (never cancelled) and is asked at every step and by ``check``."""

    def __init__(self, progress: Callable[[int, int], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> None:
        self._progress = progress
        self._cancelled = cancelled
        self.done = 0
        self.total = 0

    def begin(self, rows: int) -> None:
        """The file has ``rows`` data rows: report 0 of ``2 * rows``."""
        self.done, self.total = 0, 2 * rows
        self._emit()
        self.check()

    def step(self, steps: int) -> None:
        """``steps`` more checked or written rows; ImportCancelled when the user asked to stop."""
        if steps > 0:
            self.done = min(self.total, self.done + steps)
            self._emit()
        self.check()

    def check(self) -> None:
        """Raise ImportCancelled when the user asked to stop (call where stopping leaves nothing half-done)."""
        if self._cancelled is not None and self._cancelled():
            raise ImportCancelled

    def finish(self) -> None:
        """Saved: report ``total`` of ``total`` (rows the write phase skipped count as done)."""
        if self.done < self.total:
            self.done = self.total
            self._emit()

    def _emit(self) -> None:
        if self._progress is not None:
            self._progress(self.done, self.total)
