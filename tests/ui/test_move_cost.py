"""Issue 15: one move on the board costs a constant, small number of SQL statements whatever the number of
clients, and repaints only what changed (the two columns, the moved row of the list, the dock rows)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QEvent, QObject, QSettings
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget
from sqlalchemy import insert, select

from app.persistence.models import ChecklistState, Client, Contact, Employee, LessonProgress
from app.services.client_list import list_clients
from app.services.demo import company_inn
from tests.sqlcount import counting
from ui.dialogs.stages.move_guard import MoveDecision
from ui.main_window import TAB_BOARD, MainWindow

# open 2, write 6 (the stage row with the client's UUID, the author in one read, the audit line, the history
# line, the client), the row 3 (its totals as columns), the dock 4 (the inventory joined to the client), the
# events 2 (BEGINs counted): was 32, then 25 (23 sent)
MOVE_STATEMENTS = 17
SIZES = (1000, 5000)


def bulk_clients(db, count: int, seed: int = 7) -> None:
    """``count`` clients with a contact, an employee, a tick and a lesson each, in a few executemany statements
    (the session's bulk path: the audit lines and the sync bookkeeping as for typed data) — seconds, not minutes,
    for 5 000."""
    rng = random.Random(seed)
    inns: set[str] = set()
    now = datetime.now()
    rows = []
    for n in range(count):
        inn = company_inn(rng, "77")
        while inn in inns:
            inn = company_inn(rng, "77")
        inns.add(inn)
        rows.append({"name": f"ООО «Клиент {n:05d}»", "inn": inn, "approach": ("remote", "onsite", "accompanied")[n % 3],
                     "stage": n % 5, "stage_since": now - timedelta(days=n % 60)})
    with db.unit() as s:
        s.execute(insert(Client), rows)
        ids = list(s.scalars(select(Client.id).order_by(Client.id)))
        s.execute(insert(Contact), [{"client_id": cid, "name": f"Контакт {cid}", "phone": f"+7 900 {cid % 1000:03d}-00-00"}
                                    for cid in ids])
        s.execute(insert(Employee), [{"client_id": cid, "name": f"Сотрудник {cid}", "department": "Склад"}
                                     for cid in ids])
        s.execute(insert(ChecklistState), [{"client_id": cid, "code": "s1.lessons", "done": True,
                                            "done_on": date(2024, 7, 1)} for cid in ids])
        s.execute(insert(LessonProgress), [{"client_id": cid, "lesson_code": "L01", "employee_uuid": "", "done": True,
                                            "done_on": date(2024, 7, 1)} for cid in ids])


@pytest.fixture(scope="module")
def sizes(tmp_path_factory):
    """Two databases, 1 000 and 5 000 clients (built once for the module)."""
    from app.persistence.db import open_database

    folder = tmp_path_factory.mktemp("move-cost")
    dbs = []
    for count in SIZES:
        db = open_database(f"sqlite:///{folder / f'c{count}.sqlite3'}")
        bulk_clients(db, count)
        assert len(list_clients(db)) == count
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


def test_a_move_sends_the_same_small_number_of_statements_at_1000_and_5000_clients(qtbot, sizes, tmp_path):
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
    print("statements of a move (forward, back) at 1 000 and 5 000 clients:", counts)
    assert counts[0] == counts[1], counts  # nothing grows with the clients
    assert max(counts[1]) <= MOVE_STATEMENTS, counts  # and the count itself does not creep up


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
    db = sizes[0]
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
