"""The pixmap store's budget (ui.views.pixmap_store): bytes, not entries; the least recently used go first."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPixmap

from ui.views.pixmap_store import PixmapStore, painted_pixmap, pixmap_bytes


def _pixmap(side: int) -> QPixmap:
    pixmap = QPixmap(side, side)
    pixmap.fill(QColor("white"))
    return pixmap


def test_the_store_keeps_what_fits_its_bytes_forgetting_the_least_recently_used(qtbot):
    store = PixmapStore(3 * 10 * 10 * 4)  # three 10×10 pixmaps
    made = []

    def make(key, side=10):
        return store.get(key, lambda: made.append(key) or _pixmap(side))

    for key in "abc":
        make(key)
    make("a")  # used again: «b» is now the least recently used
    make("d")
    assert len(store) == 3 and store.bytes == 3 * 400
    make("a"), make("c"), make("d")
    assert made == ["a", "b", "c", "d"]  # all three still there
    make("b")
    assert made[-1] == "b" and len(store) == 3  # forgotten, made again
    big = make("big", 40)  # larger than the whole budget: kept alone, the newest
    assert len(store) == 1 and store.bytes == pixmap_bytes(big) == 40 * 40 * 4
    store.clear()
    assert len(store) == 0 and store.bytes == 0


def test_a_painted_pixmap_has_the_ratio_its_size_and_its_background(qtbot):
    drawn = []
    pixmap = painted_pixmap(15, 7, 2.0, QColor("#123456"), drawn.append)
    assert (pixmap.width(), pixmap.height(), pixmap.devicePixelRatio()) == (30, 14, 2.0)
    assert pixmap.toImage().pixelColor(29, 13) == QColor("#123456")
    assert len(drawn) == 1  # drawn once, through a painter on the pixmap
