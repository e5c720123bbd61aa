"""The window's status bar: a message too long for the room beside the counters is shortened, whole in its tooltip."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget
from shiboken6 import isValid


class StatusBar(QStatusBar):
    """QStatusBar whose messages are shortened («…») to end a ``GAP`` before the permanent widgets (the client
    count, the sync state, a demo's badge), instead of being cut mid-word right against «Заказчиков: 5 000»
    (trial 17). A message is a sentence: shortened at its end, so that its start — what happened, what is wrong —
    stays (tester T: «Нет связи с сервером команды: по адресу 127.0.0.1…е и будут отправлены…» hid «никто не
    отвечает» in the middle). A path (``show_path``: the database's file) is shortened in the middle, its file's
    name kept. The whole message is the tooltip while it is shown elided, and ``full_message()``. Only messages
    shown from Python are fitted (a menu's status tip, shown by Qt itself, is short)."""

    GAP = 16  # pixels between the message and the first permanent widget

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._permanent: list[QWidget] = []
        self._full = ""
        self._until = 0.0  # time.monotonic() when a timed message ends; 0: a lasting one
        self._elide = Qt.TextElideMode.ElideRight  # the shown message's: a sentence's end, a path's middle

    _MOVED = (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide)

    def addPermanentWidget(self, widget: QWidget, stretch: int | None = 0) -> None:
        super().addPermanentWidget(widget, stretch or 0)
        self._permanent.append(widget)
        widget.installEventFilter(self)  # the room changes when it moves, grows, shows or hides

    def showMessage(self, message: str, timeout: int | None = 0) -> None:
        """As QStatusBar.showMessage (``timeout`` in ms, 0: until replaced), fitted to the room left: a sentence,
        shortened at its end."""
        self._show(message, timeout or 0, Qt.TextElideMode.ElideRight)

    def show_path(self, message: str, timeout: int = 0) -> None:
        """``showMessage`` for a message naming a path at its end («База данных: /home/…/vnedrenie.sqlite3»):
        shortened in the middle, so that its start and the file's name stay."""
        self._show(message, timeout, Qt.TextElideMode.ElideMiddle)

    def _show(self, message: str, timeout: int, elide: Qt.TextElideMode) -> None:
        self._full, self._elide = message, elide
        self._until = time.monotonic() + timeout / 1000 if timeout > 0 else 0.0
        fitted = self._fitted(message)
        self.setToolTip(message if fitted != message else "")
        super().showMessage(fitted, timeout)

    def removeWidget(self, widget: QWidget) -> None:
        super().removeWidget(widget)
        self._permanent = [w for w in self._permanent if w is not widget]
        widget.removeEventFilter(self)
        self._refit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self._MOVED:
            self._refit()
        return False

    def elide_mode(self) -> Qt.TextElideMode:
        """Where the shown message loses its text when too long: a sentence its end, a path its middle."""
        return self._elide

    def full_message(self) -> str:
        """The message shown now as it was given (``currentMessage()`` may be its elided form)."""
        return self._full if self.currentMessage() else ""

    def room(self) -> int:
        """Pixels the message may take: up to the first visible permanent widget, less ``GAP``; 0 when the bar
        is not laid out yet (nothing is elided then)."""
        self._permanent = [w for w in self._permanent if isValid(w)]  # e.g. the loading bar, deleted since
        lefts = [w.geometry().left() for w in self._permanent if w.isVisible() and w.width() > 0]
        if not self.isVisible() or not lefts:
            return 0
        return min(lefts) - self.GAP - 4  # QStatusBar draws the message from a small left margin

    def _fitted(self, message: str) -> str:
        room = self.room()
        if room <= 40 or self.fontMetrics().horizontalAdvance(message) <= room:
            return message
        return self.fontMetrics().elidedText(message, self._elide, room)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._refit()

    def _refit(self) -> None:
        """Fit the message shown again, for the rest of its time (trial 18: a timed one ran under the counters
        when the window narrowed while it was shown)."""
        if not self._full or not self.currentMessage():
            return
        left = 0
        if self._until:
            left = round((self._until - time.monotonic()) * 1000)
            if left <= 0:
                return  # ending now
        fitted = self._fitted(self._full)
        if fitted != self.currentMessage():
            self.setToolTip(self._full if fitted != self._full else "")
            super().showMessage(fitted, left)


class CountLabel(QLabel):
    """The client count beside the status bar's message, at a fixed size wide enough for its widest text at the
    current total («Заказчиков: 5 000 из 5 000»), the text right-aligned.

    QLabel.setText asks the parent's layout again unless the label's size is fixed; for the status bar that was
    a relayout of the main window on every search keystroke that changed the count (its layout makes an
    animation object per dock and bar each time: ~1 ms). Now only a new total, a font or a style resizes it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._widest = ""

    def show_counts(self, text: str, widest: str) -> None:
        """Show ``text``; ``widest`` is the longest text the current total can give (sets the size when new)."""
        if widest != self._widest:
            self._widest = widest
            self._fit()
        self.setText(text)

    def _fit(self) -> None:
        shown = self.text()
        self.setMinimumSize(0, 0)
        self.setMaximumSize(16777215, 16777215)  # QWIDGETSIZE_MAX: sizeHint free of the old fixed size
        self.setText(self._widest)
        self.setFixedSize(self.sizeHint())
        self.setText(shown)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange) and self._widest:
            self._fit()
