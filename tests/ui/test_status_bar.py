"""The window's status bar: a message longer than the room beside the counters is shortened at its end («…»: a
sentence's start — what happened — stays; tester T), whole in its tooltip (trial 17: it was cut mid-word right
against «Заказчиков: 5 000»). A path (``show_path``) is shortened in the middle: tests/fixes/test_r15_status_sentence_end.py."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QProgressBar

from ui.views.status_bar import StatusBar

LONG = ("«Алтайский деревообрабатывающий комбинат» перемещён на этап «Этап 2». Несохранённые правки карточки "
        "«ООО Ромашка» сохранены: вернитесь к её карточке, чтобы сохранить их.")


def _window(qtbot, width: int) -> tuple[QMainWindow, StatusBar, QLabel]:
    window = QMainWindow()
    bar = StatusBar(window)
    window.setStatusBar(bar)
    count = QLabel("Заказчиков: 5 000")
    bar.addPermanentWidget(count)
    qtbot.addWidget(window)
    window.resize(width, 300)
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    return window, bar, count


def test_a_long_message_is_elided_before_the_count_and_whole_in_the_tooltip(qtbot):
    window, bar, count = _window(qtbot, 700)
    bar.showMessage(LONG, 5000)
    shown = bar.currentMessage()
    head, tail = shown.split("…")
    assert LONG.startswith(head) and head and tail == "" and len(shown) < len(LONG)
    assert bar.fontMetrics().horizontalAdvance(shown) <= count.geometry().left() - StatusBar.GAP
    assert bar.toolTip() == LONG and bar.full_message() == LONG
    bar.showMessage("Готово.")
    assert bar.currentMessage() == "Готово." and bar.toolTip() == ""
    bar.showMessage(LONG)  # a lasting message is fitted again when the window grows
    window.resize(1900, 300)
    QApplication.processEvents()
    assert bar.currentMessage() == LONG and bar.toolTip() == ""


def test_a_deleted_permanent_widget_is_forgotten(qtbot):
    """The loading bar is a permanent widget deleted once the database is open: no error, no crash after."""
    window, bar, _count = _window(qtbot, 700)
    loading = QProgressBar()
    bar.addPermanentWidget(loading)
    QApplication.processEvents()
    loading.deleteLater()
    QApplication.processEvents()
    bar.showMessage(LONG)
    window.resize(650, 300)
    QApplication.processEvents()
    assert "…" in bar.currentMessage() and bar.full_message() == LONG


def test_a_timed_message_is_refitted_for_the_rest_of_its_time(qtbot):
    """Trial 18: a message with a timeout shown whole, then the window narrowed: it ran under the counters until
    its timeout. Now it is shortened too, and still ends when its time is up."""
    window, bar, count = _window(qtbot, 1900)
    bar.showMessage(LONG, 1500)
    assert bar.currentMessage() == LONG
    window.resize(700, 300)
    QApplication.processEvents()
    shown = bar.currentMessage()
    assert "…" in shown and bar.fontMetrics().horizontalAdvance(shown) <= count.geometry().left() - StatusBar.GAP
    assert bar.toolTip() == LONG
    qtbot.waitUntil(lambda: bar.currentMessage() == "", timeout=4000)  # not restarted by the refit


def test_the_count_keeps_its_size_while_the_count_changes_and_fits_a_larger_font(qtbot):
    from PySide6.QtGui import QFont

    from ui.views.status_bar import CountLabel

    _shown, bar, _count = _window(qtbot, 900)
    label = CountLabel()
    bar.addPermanentWidget(label)
    label.show_counts("Заказчиков: 5 000", "Заказчиков: 5 000 из 5 000")
    size = label.size()
    assert label.minimumSize() == label.maximumSize() == size  # fixed: setText asks no layout
    label.show_counts("Заказчиков: 17 из 5 000", "Заказчиков: 5 000 из 5 000")
    assert label.size() == size and label.text() == "Заказчиков: 17 из 5 000"
    label.show_counts("Заказчиков: 50 000", "Заказчиков: 50 000 из 50 000")  # a larger total: wider
    assert label.width() > size.width()
    assert label.fontMetrics().horizontalAdvance("Заказчиков: 50 000 из 50 000") <= label.contentsRect().width()
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.6)
    label.setFont(font)
    assert label.fontMetrics().horizontalAdvance("Заказчиков: 50 000 из 50 000") <= label.contentsRect().width()
    assert label.text() == "Заказчиков: 50 000"
