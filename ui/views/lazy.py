"""A view that does not re-read while it sits hidden on a shown window: it marks itself stale instead."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget


class StaleOnHidden:
    """Mixin for a QWidget with a ``reload()``: ``request_reload()`` reloads now when someone can see the view
    (or it is a top-level widget of its own), else marks it stale; the next show reloads once."""

    _stale = False

    def _hidden_in_window(self) -> bool:
        widget: QWidget = self  # type: ignore[assignment]
        window = widget.window()
        return not widget.isVisible() and window is not widget and window.isVisible()

    def request_reload(self) -> bool:
        """Reload now (True) or mark stale until shown (False)."""
        if self._hidden_in_window():
            self._stale = True
            self.on_stale()
            return False
        self._stale = False
        self.reload()  # type: ignore[attr-defined]
        return True

    def on_stale(self) -> None:
        """Hook: forget what must not stay on screen while stale (e.g. another client's rows)."""

    def is_stale(self) -> bool:
        return self._stale

    def reload_if_stale(self, event: QShowEvent | None = None) -> None:
        """Call from showEvent."""
        if self._stale:
            self._stale = False
            self.reload()  # type: ignore[attr-defined]
