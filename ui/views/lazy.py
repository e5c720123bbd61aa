"""Views that do not re-read while they sit hidden on a shown window: they mark themselves stale instead.

One mechanism for every view (issue 11 §1): ``ReloadWhenShown`` watches one widget — ``request()`` reloads
now when someone can see the widget (or its window is not shown at all, e.g. in a test or before the first
paint), else marks it stale; the widget's next Show event reloads it once. ``StaleOnHidden`` is the same
helper as a mixin for a widget class with a ``reload()`` method (the work log, the checklists, the
calculator); the week's docks and the questions log use ``ReloadWhenShown`` directly."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget


def hidden_in_window(widget: QWidget) -> bool:
    """True when ``widget`` is not visible although its window is: a background tab, a tabified dock."""
    window = widget.window()
    return not widget.isVisible() and window is not widget and window.isVisible()


class ReloadWhenShown(QObject):
    """Reloads ``widget`` through ``reload()`` when it can be seen; else marks it stale until its next Show.

    ``on_stale()`` (optional) runs when a request is deferred: forget what must not stay on screen (another
    client's rows). Owned by the widget (deleted with it)."""

    def __init__(self, widget: QWidget, reload: Callable[[], object],
                 on_stale: Callable[[], object] | None = None) -> None:
        super().__init__(widget)
        self.widget = widget
        self._reload = reload
        self._on_stale = on_stale
        self.stale = False
        widget.installEventFilter(self)

    def request(self) -> bool:
        """Reload now (True) or mark stale until shown (False)."""
        if hidden_in_window(self.widget):
            self.stale = True
            if self._on_stale is not None:
                self._on_stale()
            return False
        self.stale = False
        self._reload()
        return True

    def reload_if_stale(self) -> bool:
        """Reload once when a request was deferred (the Show event calls it)."""
        if not self.stale:
            return False
        self.stale = False
        self._reload()
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget and event.type() == QEvent.Type.Show and self.stale:
            self.reload_if_stale()
        return False


class StaleOnHidden:
    """Mixin for a QWidget with a ``reload()``: ``request_reload()`` goes through the widget's own
    ``ReloadWhenShown`` (created on first use); override ``on_stale`` to forget what must not stay shown."""

    _when_shown: ReloadWhenShown | None = None

    def _reloader(self) -> ReloadWhenShown:
        if self._when_shown is None:
            self._when_shown = ReloadWhenShown(self, self.reload, self.on_stale)  # type: ignore[arg-type,attr-defined]
        return self._when_shown

    def request_reload(self) -> bool:
        """Reload now (True) or mark stale until shown (False)."""
        return self._reloader().request()

    def on_stale(self) -> None:
        """Hook: forget what must not stay on screen while stale (e.g. another client's rows)."""

    def is_stale(self) -> bool:
        return self._when_shown is not None and self._when_shown.stale

    def reload_if_stale(self, event: object = None) -> None:
        """Reload now when stale (the Show event does this by itself)."""
        if self._when_shown is not None:
            self._when_shown.reload_if_stale()
