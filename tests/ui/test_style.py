"""The board's and the list's scroll bars: Fusion's grooves drawn from a pixmap cache look as Fusion draws them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette, QPixmapCache
from PySide6.QtWidgets import QApplication, QListView, QScrollBar, QStyle, QStyleFactory, QStyleOptionSlider

from ui.views import groove_style as style_module
from ui.views.groove_style import GrooveCachingStyle, cache_grooves


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


def test_the_colour_group_is_part_of_the_key(qapp):
    """A bar drawn in an inactive window (its palette's inactive colours) and then in an active one: each
    looks as Fusion draws it then (trial 17: a groove cached while inactive came back 67 units off)."""
    QPixmapCache.clear()
    style = GrooveCachingStyle()
    palette = QPalette(QColor("#d0d0d0"))
    palette.setColor(QPalette.ColorGroup.Inactive, QPalette.ColorRole.Button, QColor("#5080c0"))
    images = {}
    for group in (QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Active):
        bar = _bar(Qt.Orientation.Vertical, 16, 300, 0)
        option = QStyleOptionSlider()
        bar.initStyleOption(option)
        option.subControls = QStyle.SubControl.SC_All  # as the bar's paint event asks
        option.palette = QPalette(palette)
        option.palette.setCurrentColorGroup(group)
        for name, drawing in (("fusion", QStyleFactory.create("fusion")), ("cached", style)):
            image = QImage(16, 300, QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(0)
            painter = QPainter(image)
            drawing.drawComplexControl(QStyle.ComplexControl.CC_ScrollBar, option, painter, bar)
            painter.end()
            images[group, name] = image
    for group in (QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Active):
        assert _largest_difference(images[group, "fusion"], images[group, "cached"]) <= 1
    assert style.grooves_drawn == 2


@pytest.mark.parametrize("how", ["fractional ratio", "scaled painter"])
def test_no_copy_where_it_could_not_be_pixel_exact(qapp, how):
    """At 125 % / 150 % a copy lands between device pixels (trial 17: up to 51 units off at the bar's edges),
    and a scaled painter would stretch it: Fusion draws the groove there, exactly as without the cache."""
    QPixmapCache.clear()
    style = GrooveCachingStyle()
    bar = _bar(Qt.Orientation.Vertical, 16, 300, 100)
    option = QStyleOptionSlider()
    bar.initStyleOption(option)
    option.subControls = QStyle.SubControl.SC_All  # as the bar's paint event asks
    option.rect = option.rect.translated(3, 5)
    images = []
    for drawing in (QStyleFactory.create("fusion"), style):
        image = QImage(60, 700, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(0)
        if how == "fractional ratio":
            image.setDevicePixelRatio(1.5)
        painter = QPainter(image)
        if how == "scaled painter":
            painter.scale(1.5, 1.5)
        drawing.drawComplexControl(QStyle.ComplexControl.CC_ScrollBar, option, painter, bar)
        painter.end()
        images.append(image)
    assert images[0] == images[1]
    assert style.grooves_drawn == 0
    plain = QImage(60, 700, QImage.Format.Format_ARGB32_Premultiplied)  # the same bar at 100 %: from the cache
    plain.fill(0)
    painter = QPainter(plain)
    style.drawComplexControl(QStyle.ComplexControl.CC_ScrollBar, option, painter, bar)
    painter.end()
    assert style.grooves_drawn == 1


def test_the_board_and_the_list_get_the_cache_under_fusion_only(qapp, monkeypatch):
    """``cache_grooves`` gives a view's two bars the caching style when the application's style is Fusion (the
    application keeps its own style: a Python style there would route every widget's style calls through
    Python); under another style it changes nothing. The board's columns and the client list use it."""
    from tests.ui.test_client_models import ROWS, TODAY
    from ui.models.clients import ClientTableModel
    from ui.views.client_list import ClientListPanel
    from ui.views.kanban import KanbanBoard

    app = QApplication.instance()
    before = app.style().name()
    try:
        monkeypatch.setattr(style_module, "_shared", None)
        app.setStyle(QStyleFactory.create("windows"))
        view = QListView()
        assert cache_grooves(view) is False
        assert not isinstance(view.verticalScrollBar().style(), GrooveCachingStyle)
        monkeypatch.setattr(style_module, "_shared", None)
        app.setStyle(QStyleFactory.create("fusion"))
        assert cache_grooves(view) is True
        assert isinstance(view.verticalScrollBar().style(), GrooveCachingStyle)
        assert isinstance(view.horizontalScrollBar().style(), GrooveCachingStyle)
        assert not isinstance(app.style(), GrooveCachingStyle)
        model = ClientTableModel(today=lambda: TODAY)
        model.set_rows(list(ROWS))
        board = KanbanBoard(model)
        panel = ClientListPanel(model)
        for bar in [c.view.verticalScrollBar() for c in board.columns] + [panel.view.verticalScrollBar()]:
            assert bar.style() is style_module.groove_style()
        board.deleteLater()
        panel.deleteLater()
    finally:
        app.setStyle(QStyleFactory.create(before))
