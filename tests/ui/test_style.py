"""The application style: Fusion's scroll-bar grooves drawn from a pixmap cache look as Fusion draws them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette, QPixmapCache
from PySide6.QtWidgets import QApplication, QScrollBar, QStyleFactory

from ui.style import GrooveCachingStyle, install_style


def _shot(bar: QScrollBar) -> QImage:
    image = QImage(bar.size(), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    bar.render(image)
    return image


def _largest_difference(a: QImage, b: QImage) -> int:
    """The largest difference of one colour channel (or alpha) between two images of one size."""
    assert a.size() == b.size()
    worst = 0
    for y in range(a.height()):
        for x in range(a.width()):
            p, q = QColor(a.pixel(x, y)), QColor(b.pixel(x, y))
            worst = max(worst, abs(p.red() - q.red()), abs(p.green() - q.green()), abs(p.blue() - q.blue()),
                        abs(p.alpha() - q.alpha()))
    return worst


def _bar(orientation: Qt.Orientation, width: int, height: int, value: int) -> QScrollBar:
    bar = QScrollBar(orientation)
    bar.resize(width, height)
    bar.setRange(0, 1000)
    bar.setPageStep(50)
    bar.setValue(value)
    return bar


def _against_fusion(bar: QScrollBar, style: GrooveCachingStyle) -> int:
    fusion = QStyleFactory.create("fusion")
    bar.setStyle(fusion)
    expected = _shot(bar)
    bar.setStyle(style)
    got = _shot(bar)
    bar.setStyle(None)  # type: ignore[arg-type]
    return _largest_difference(expected, got)


@pytest.mark.parametrize(("orientation", "width", "height"), [
    (Qt.Orientation.Vertical, 16, 560), (Qt.Orientation.Horizontal, 700, 16), (Qt.Orientation.Vertical, 14, 37)])
def test_a_cached_groove_looks_as_fusion_draws_it(qapp, orientation, width, height):
    """Drawn twice (the second from the cache) and disabled: Fusion's pixels, within one unit where its
    translucent edge line is blended (premultiplied once more in the cached pixmap)."""
    QPixmapCache.clear()
    style = GrooveCachingStyle()
    bar = _bar(orientation, width, height, 300)
    assert _against_fusion(bar, style) <= 1
    bar.setValue(700)  # the handle elsewhere, the groove from the cache
    assert _against_fusion(bar, style) <= 1
    bar.setEnabled(False)
    assert _against_fusion(bar, style) <= 1


def test_the_groove_is_drawn_once_per_size_and_palette(qapp):
    """Bars of one size and state share one groove whatever their range and position; another size or a
    dark palette is drawn afresh (and looks as Fusion draws it in that palette)."""
    QPixmapCache.clear()
    style = GrooveCachingStyle()
    bars = [_bar(Qt.Orientation.Vertical, 16, 400, value) for value in (0, 250, 900)]
    for bar in bars:
        bar.setStyle(style)
        _shot(bar)
    assert style.grooves_drawn == 1
    taller = _bar(Qt.Orientation.Vertical, 16, 401, 0)
    taller.setStyle(style)
    _shot(taller)
    assert style.grooves_drawn == 2
    dark = QPalette(QColor("#303030"))
    bars[0].setPalette(dark)
    assert _against_fusion(bars[0], style) <= 1
    assert style.grooves_drawn == 3
    for bar in (*bars, taller):
        bar.setStyle(None)  # type: ignore[arg-type]


def test_install_style_replaces_fusion_only(qapp):
    """``install_style`` puts the caching style in place of Fusion, once; another style is left alone."""
    app = QApplication.instance()
    before = app.style().name()
    previous = QStyleFactory.create(before)
    try:
        app.setStyle(QStyleFactory.create("windows"))
        assert install_style(app) is False
        assert app.style().name().lower() == "windows"
        app.setStyle(QStyleFactory.create("fusion"))
        assert install_style(app) is True
        installed = app.style()
        assert isinstance(installed, GrooveCachingStyle)
        assert install_style(app) is True and app.style() is installed
    finally:
        app.setStyle(previous)
