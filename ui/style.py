"""The application's style: Fusion with its scroll-bar grooves drawn from a pixmap cache.

Fusion fills a scroll bar's groove with a linear gradient across the bar, which Qt's raster engine draws one
scan line at a time: ~1.1 ms for a 560-pixel bar here, 2.5 ms at 1 200 pixels, most of a scroll bar's paint.
Every column of the board whose card count changes repaints its bar (both columns of a move, all five on a
search keystroke or a reload). The groove does not depend on the bar's range or position, so it is drawn once
per size, orientation, state and palette into a pixmap and copied from there; the handle and the arrows are
drawn by Fusion as before. The pixels are Fusion's own (tests/ui/test_style.py compares them)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QPainter, QPixmap, QPixmapCache
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleOptionComplex,
    QStyleOptionSlider,
    QWidget,
)

_GROOVE = QStyle.SubControl.SC_ScrollBarGroove
_CACHED_BASE = "fusion"  # the style whose groove is a gradient (others draw theirs cheaply or natively)


class GrooveCachingStyle(QProxyStyle):
    """Fusion (``QProxyStyle("fusion")``) drawing each scroll bar's groove from ``QPixmapCache``.

    The cached pixmap is Fusion's own groove (``drawComplexControl(CC_ScrollBar)`` with the groove alone) at
    the bar's size; its key holds everything the groove's pixels depend on: width × height, orientation,
    state flags, the palette's ``cacheKey`` and the device pixel ratio. Other controls go to Fusion as is."""

    def __init__(self) -> None:
        super().__init__(_CACHED_BASE)
        self.grooves_drawn = 0  # grooves rendered by Fusion (cache misses): read by tests

    def drawComplexControl(self, control: QStyle.ComplexControl, option: QStyleOptionComplex,
                           painter: QPainter, widget: QWidget | None = None) -> None:
        if (control != QStyle.ComplexControl.CC_ScrollBar or not isinstance(option, QStyleOptionSlider)
                or not option.subControls & _GROOVE or option.rect.isEmpty()):
            super().drawComplexControl(control, option, painter, widget)
            return
        painter.drawPixmap(option.rect.topLeft(), self._groove(option, painter, widget))
        rest = QStyleOptionSlider(option)
        rest.subControls = option.subControls & ~_GROOVE
        super().drawComplexControl(control, rest, painter, widget)

    def _groove(self, option: QStyleOptionSlider, painter: QPainter, widget: QWidget | None) -> QPixmap:
        device = painter.device()
        ratio = device.devicePixelRatioF() if device is not None else 1.0
        size = option.rect.size()
        key = (f"vn-groove-{size.width()}x{size.height()}-{option.orientation.value}-{option.state.value}-"
               f"{option.activeSubControls.value}-{option.palette.cacheKey()}-{ratio}")
        found = QPixmap()
        if QPixmapCache.find(key, found) and not found.isNull():
            return found
        pixmap = QPixmap(round(size.width() * ratio), round(size.height() * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        groove = QStyleOptionSlider(option)
        groove.subControls = _GROOVE
        groove.rect = QRect(QPoint(0, 0), size)
        with_painter = QPainter(pixmap)
        try:
            super().drawComplexControl(QStyle.ComplexControl.CC_ScrollBar, groove, with_painter, widget)
        finally:
            with_painter.end()
        self.grooves_drawn += 1
        QPixmapCache.insert(key, pixmap)
        return pixmap


_installed: GrooveCachingStyle | None = None


def install_style(app: QApplication) -> bool:
    """Put :class:`GrooveCachingStyle` in place of the application's Fusion style (the default on Linux
    without a desktop theme); any other style (Windows, macOS, a desktop's own) is left alone. True when
    installed (also when it already was)."""
    global _installed
    current = app.style()
    if isinstance(current, GrooveCachingStyle):
        return True
    if current is None or current.name().lower() != _CACHED_BASE:
        return False
    style = GrooveCachingStyle()
    app.setStyle(style)
    _installed = style  # the application owns it; a Python reference keeps its overrides alive
    return True
