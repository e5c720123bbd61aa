"""Issue 15: one move on the board costs a constant, small number of SQL statements whatever the number of
clients, and repaints only what changed (the two columns, the moved row of the list, the dock rows)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, QSettings
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget

from app.services.clients import list_clients
from tests.sqlcount import counting
from tests.ui.test_scale import add_clients
from ui.dialogs.stages.move_guard import MoveDecision
from ui.main_window import TAB_BOARD, MainWindow

MOVE_STATEMENTS = 25  # open 2, write 9 (audit + author 4), the row 7, the dock 7: was 32


@pytest.fixture(scope="module")
def sizes(tmp_path_factory):
    """Two databases, 20 and 1 000 clients (built once for the module)."""
    from app.persistence.db import open_database

    folder = tmp_path_factory.mktemp("move-cost")
    dbs = []
    for count in (20, 1000):
        db = open_database(f"sqlite:///{folder / f'c{count}.sqlite3'}")
        add_clients(db, count)
        dbs.append(db)
    yield dbs
    for db in dbs:
        db.dispose()


def _window(qtbot, db, tmp_path, name: str) -> MainWindow:
    window = MainWindow(db, QSettings(str(tmp_path / f"{name}.ini"), QSettings.Format.IniFormat))
    window.errors = []
    window.show_error = window.errors.append
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.show_tab(TAB_BOARD)
    window.move_dialog = lambda *args: MoveDecision(reason="проверка", force=True)
    window.wait_for_background()
    return window


def _settle(window: MainWindow) -> None:
    for _ in range(3):
        window.wait_for_background()
        QApplication.processEvents()


def _movable(db) -> int:
    return next(s.id for s in list_clients(db)[7:] if s.stage == 1)


def test_a_move_sends_the_same_small_number_of_statements_at_20_and_1000_clients(qtbot, sizes, tmp_path):
    counts = []
    for n, db in enumerate(sizes):
        window = _window(qtbot, db, tmp_path, f"s{n}")
        client_id = _movable(db)
        window.set_current_client(client_id)
        _settle(window)
        sent = []
        for target in (2, 1):  # forward and back
            with counting(db) as statements:
                assert window.request_move(client_id, target)
                _settle(window)
            sent.append(len(statements))
        assert window.errors == []
        assert list_clients(db, ids=[client_id])[0].stage == 1
        counts.append(sent)
        window.close()
    print("statements of a move (forward, back) at 20 and 1 000 clients:", counts)
    assert counts[0] == counts[1], counts
    assert max(counts[1]) <= MOVE_STATEMENTS, counts


class _Paints(QObject):
    """The region each widget repainted (application event filter)."""

    def __init__(self) -> None:
        super().__init__()
        self.regions: dict[QWidget, list] = {}

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
            self.regions.setdefault(watched, []).append(event.region())
        return False

    def area(self, widget: QWidget) -> int:
        return sum(r.width() * r.height() for region in self.regions.get(widget, []) for r in region)


def test_a_move_repaints_the_two_columns_and_the_moved_row_only(qtbot, sizes, tmp_path):
    db = sizes[1]
    window = _window(qtbot, db, tmp_path, "paint")
    client_id = _movable(db)
    window.set_current_client(client_id)
    _settle(window)
    paints = _Paints()
    QApplication.instance().installEventFilter(paints)
    try:
        assert window.request_move(client_id, 2)
        _settle(window)
    finally:
        QApplication.instance().removeEventFilter(paints)
    columns = [window.findChild(QAbstractItemView, f"kanbanList{stage}") for stage in range(5)]
    for stage in (0, 3, 4):  # the other columns: not a pixel
        assert paints.area(columns[stage].viewport()) == 0, stage
    for stage in (1, 2):  # the card left one and entered the other
        assert paints.area(columns[stage].viewport()) > 0, stage
    listing = window.findChild(QAbstractItemView, "clientList")
    row_height = listing.sizeHintForRow(0) or listing.fontMetrics().height() + 8
    assert paints.area(listing.viewport()) <= 2 * row_height * listing.viewport().width()  # the moved row
    whole = window.width() * window.height()
    painted = paints.area(window)  # what the window itself painted beneath its children
    assert painted < whole // 4, (painted, whole)
    window.close()
