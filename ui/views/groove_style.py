"""Scroll bars whose Fusion groove is drawn from a pixmap cache: the board's columns and the client list.

Fusion fills a scroll bar's groove with a linear gradient, which Qt's raster engine draws one scan line at a
time: ~1.1 ms for a 560-pixel bar here, 2.5 ms at 1 200 pixels, most of a scroll bar's paint. Every column of
the board whose card count changes repaints its bar (both columns of a move, all five on a search keystroke or
a reload). The groove does not depend on the bar's range or position, so it is drawn once per size,
orientation, state and palette into a pixmap and copied from there; the handle and the arrows are drawn by
Fusion as before. Only those bars get the style (``cache_grooves``): a Python style set on the application
would route every style call of every widget through Python. Where a copy could not be pixel-exact — a
fractional device pixel ratio (125 %, 150 % screens), a scaled or rotated painter — Fusion draws as usual."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QPainter, QPixmap, QPixmapCache, QTransform
from PySide6.QtWidgets import (
    QAbstractScrollArea,
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
    the bar's size; its key holds everything the groove's pixels depend on: width × height, orientation, state
    flags, active sub-controls, the palette's ``cacheKey`` and colour group, and the device pixel ratio (whole
    ratios only). Other controls, and bars under a fractional ratio or a painter that scales, go to Fusion as
    is. Pixels within one unit of Fusion's (its translucent edge line is premultiplied once more in the copy:
    tests/ui/test_style.py)."""

    def __init__(self) -> None:
        super().__init__(_CACHED_BASE)
        self.grooves_drawn = 0  # grooves rendered by Fusion (cache misses): read by tests

    def drawComplexControl(self, control: QStyle.ComplexControl, option: QStyleOptionComplex,
                           painter: QPainter, widget: QWidget | None = None) -> None:
        if (control != QStyle.ComplexControl.CC_ScrollBar or not isinstance(option, QStyleOptionSlider)
                or not option.subControls & _GROOVE or option.rect.isEmpty()):
            super().drawComplexControl(control, option, painter, widget)
            return
        groove = self._groove(option, painter, widget)
        if groove is None:  # not copyable pixel for pixel: Fusion draws it
            super().drawComplexControl(control, option, painter, widget)
            return
        painter.drawPixmap(option.rect.topLeft(), groove)
        rest = QStyleOptionSlider(option)
        rest.subControls = option.subControls & ~_GROOVE
        super().drawComplexControl(control, rest, painter, widget)

    def _groove(self, option: QStyleOptionSlider, painter: QPainter, widget: QWidget | None) -> QPixmap | None:
        device = painter.device()
        ratio = device.devicePixelRatioF() if device is not None else 1.0
        if ratio != int(ratio) or painter.worldTransform().type().value > QTransform.TransformationType.TxTranslate.value:
            return None
        size = option.rect.size()
        palette = option.palette
        key = (f"vn-groove-{size.width()}x{size.height()}-{option.orientation.value}-{option.state.value}-"
               f"{option.activeSubControls.value}-{palette.cacheKey()}-{palette.currentColorGroup().value}-{ratio}")
        found = QPixmap()
        if QPixmapCache.find(key, found) and not found.isNull():
            return found
        pixmap = QPixmap(int(size.width() * ratio), int(size.height() * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        groove = QStyleOptionSlider(option)
        groove.subControls = _GROOVE
        groove.rect = QRect(QPoint(0, 0), size)
        groove_painter = QPainter(pixmap)
        try:
            super().drawComplexControl(QStyle.ComplexControl.CC_ScrollBar, groove, groove_painter, widget)
        finally:
            groove_painter.end()
        self.grooves_drawn += 1
        QPixmapCache.insert(key, pixmap)
        return pixmap


_shared: GrooveCachingStyle | None = None


def groove_style() -> GrooveCachingStyle | None:
    """The one caching style, made on first use, when the application's style is Fusion (the default on Linux
    without a desktop theme); None under another style (Windows, macOS, a desktop's own)."""
    global _shared
    if _shared is not None:
        try:
            _shared.objectName()
        except RuntimeError:  # its application was deleted (a test's); a new one makes its own
            _shared = None
    if _shared is None:
        app = QApplication.instance()
        style = app.style() if isinstance(app, QApplication) else None
        if style is None or style.name().lower() != _CACHED_BASE:
            return None
        _shared = GrooveCachingStyle()
        _shared.setParent(app)  # lives as long as the application, beside the widgets that use it
    return _shared


def cache_grooves(area: QAbstractScrollArea) -> bool:
    """Give ``area``'s two scroll bars the caching style (see the module); False when the application's style
    is not Fusion (nothing changed)."""
    style = groove_style()
    if style is None:
        return False
    for bar in (area.verticalScrollBar(), area.horizontalScrollBar()):
        bar.setStyle(style)
    return True
