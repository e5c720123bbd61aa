"""Pixmaps kept by key within a budget of bytes (least recently used forgotten), and a helper that paints one."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable

from PySide6.QtGui import QColor, QPainter, QPixmap


def painted_pixmap(width: int, height: int, ratio: float, background: QColor,
                   draw: Callable[[QPainter], None]) -> QPixmap:
    """A ``width`` × ``height`` (logical pixels) pixmap at device pixel ratio ``ratio``, filled with ``background``,
    with what ``draw`` paints through an antialiased painter."""
    pixmap = QPixmap(max(1, round(width * ratio)), max(1, round(height * ratio)))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(background)
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        draw(painter)
    finally:
        painter.end()
    return pixmap


def pixmap_bytes(pixmap: QPixmap) -> int:
    """What ``pixmap`` holds in memory: its device pixels at 4 bytes each."""
    return pixmap.width() * pixmap.height() * 4


class PixmapStore:
    """Pixmaps by key, at most ``limit`` bytes of them (``pixmap_bytes``): the least recently used are forgotten
    first (the newest is kept even when it alone is larger). A bound in bytes, not in entries: at a device pixel
    ratio of 2 each pixmap is four times larger."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.bytes = 0
        self._kept: OrderedDict[Hashable, QPixmap] = OrderedDict()

    def __len__(self) -> int:
        return len(self._kept)

    def get(self, key: Hashable, make: Callable[[], QPixmap]) -> QPixmap:
        """The pixmap kept for ``key``, else ``make()``'s, kept."""
        kept = self._kept
        pixmap = kept.get(key)
        if pixmap is not None:
            kept.move_to_end(key)
            return pixmap
        pixmap = kept[key] = make()
        self.bytes += pixmap_bytes(pixmap)
        while self.bytes > self.limit and len(kept) > 1:
            _key, gone = kept.popitem(last=False)
            self.bytes -= pixmap_bytes(gone)
        return pixmap

    def clear(self) -> None:
        self._kept.clear()
        self.bytes = 0
