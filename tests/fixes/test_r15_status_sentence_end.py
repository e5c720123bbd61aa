"""Tester T (2026-12-06): team mode, the server stopped, «Синхронизировать сейчас»: the status bar showed «Нет связи с
сервером команды: по адресу 127.0.0.1…е и будут отправлены при следующей синхронизации.» — shortened in the middle,
what is wrong («никто не отвечает (проверьте адрес и порт)») hidden. A status message is a sentence: shortened at
its end, its start kept, whole in the tooltip; only the database's path keeps the middle shortening (its file's
name stays)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from app.persistence.db import open_database
from app.sync.laptop_settings import _put
from app.sync.service import URL_KEY
from app.team.users import LOGIN_KEY
from tests.ui.test_team_window import AWAY, laptop, make_window  # noqa: F401
from ui.views.status_bar import StatusBar

NO_SERVER = ("Нет связи с сервером команды: по адресу 127.0.0.1, порт 1, никто не отвечает (проверьте адрес и порт); "
             "изменения сохранены на ноутбуке и будут отправлены при следующей синхронизации.")


def test_the_sync_refusal_keeps_its_start_and_is_whole_in_the_tooltip(qtbot, laptop, tmp_path):  # noqa: F811
    _put(laptop, {URL_KEY: AWAY, LOGIN_KEY: "ann"})
    window = make_window(qtbot, laptop, tmp_path)  # 1366×768
    window.sync.timer.stop()
    window.sync.message(NO_SERVER)  # as «Синхронизировать сейчас» says a sync that found no server
    bar = window.statusBar()
    assert isinstance(bar, StatusBar)
    shown = bar.currentMessage()
    assert shown.endswith("…") and NO_SERVER.startswith(shown[:-1]) and len(shown) < len(NO_SERVER)
    assert "никто не отвечает (проверьте адрес и порт)" in shown and bar.elide_mode() == Qt.TextElideMode.ElideRight
    assert bar.toolTip() == NO_SERVER == bar.full_message()
    assert bar.fontMetrics().horizontalAdvance(shown) <= window.sync.label.geometry().left() - StatusBar.GAP
    window.grab().save(str(tmp_path / "status.png"))


def test_a_sentence_loses_its_end_and_a_path_its_middle(qtbot):
    window = QMainWindow()
    bar = StatusBar(window)
    window.setStatusBar(bar)
    bar.addPermanentWidget(QLabel("Заказчиков: 5 000"))
    qtbot.addWidget(window)
    window.resize(600, 300)
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    bar.showMessage(NO_SERVER, 8000)
    shown = bar.currentMessage()
    assert shown.endswith("…") and NO_SERVER.startswith(shown[:-1]) and bar.toolTip() == NO_SERVER
    path = "База данных: /home/specialist/.local/share/Внедрение/архив/2026/проекты/заказчики/vnedrenie.sqlite3"
    bar.show_path(path)
    shown = bar.currentMessage()
    assert bar.elide_mode() == Qt.TextElideMode.ElideMiddle and bar.toolTip() == path
    head, tail = shown.split("…")
    assert path.startswith(head) and head.startswith("База данных: ") and path.endswith(tail)
    assert tail.endswith("vnedrenie.sqlite3")
    window.resize(480, 300)  # refitted the same way when the room shrinks
    QApplication.processEvents()
    assert bar.currentMessage().endswith("vnedrenie.sqlite3")
    bar.showMessage(NO_SERVER)  # a sentence again: its end goes
    assert bar.currentMessage().endswith("…") and bar.elide_mode() == Qt.TextElideMode.ElideRight


def test_the_window_shows_its_database_path_with_the_file_name(qtbot, tmp_path):
    """A guard: the one path the window shows keeps the middle shortening, after a sentence too."""
    deep = tmp_path / ("папка-с-очень-длинным-именем-" * 4) / ("и-ещё-одна-длинная-папка-" * 3)
    deep.mkdir(parents=True)
    db = open_database(f"sqlite:///{deep / 'laptop-of-the-specialist.sqlite3'}")
    try:
        window = make_window(qtbot, db, tmp_path)
        bar = window.statusBar()
        assert isinstance(bar, StatusBar)
        shown = bar.currentMessage()
        assert "…" in shown and shown.startswith("База данных: ") and shown.endswith("laptop-of-the-specialist.sqlite3")
        bar.showMessage(NO_SERVER, 50)  # a sentence for a moment; then the path, middle-shortened again
        qtbot.waitUntil(lambda: bar.currentMessage().endswith("laptop-of-the-specialist.sqlite3"), timeout=3000)
        assert bar.elide_mode() == Qt.TextElideMode.ElideMiddle
        window.close()
    finally:
        db.dispose()
