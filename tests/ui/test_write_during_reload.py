"""A change the window makes itself while a reload reads in a worker is not undone by that reload's older rows; the
client is read again right after, so an outside change to it meanwhile still arrives."""

from __future__ import annotations

import threading

from sqlalchemy import select, update

from app.persistence.models import Client
from app.services.changes import Changes
from app.services.client_list import list_clients
from tests.ui.test_main_window import make_window
from ui.dialogs.stages.move_guard import MoveDecision
from ui.work_area import WorkArea


def test_a_move_made_while_a_reload_reads_stays_moved(qtbot, db, tmp_path, monkeypatch):
    from app.services.demo import fill_demo

    fill_demo(db)
    window = make_window(qtbot, db, tmp_path)
    area = window.work_area
    monkeypatch.setattr(WorkArea, "READ_IN_WORKER_FROM", 1)
    client = next(s for s in list_clients(db) if 0 < s.stage < 4)
    with db.unit() as s:  # an outside change of every client: the reload reads the moved one too
        s.execute(update(Client).values(contract_no="ВН-новый"))
    read, answer = threading.Event(), threading.Event()
    real = area.tasks.start

    def start(work, *args, **kwargs):
        def held(progress):
            result = work(progress)  # read before the move is written
            read.set()
            answer.wait(10)  # delivered after it
            return result
        return real(held, *args, **kwargs)

    monkeypatch.setattr(area.tasks, "start", start)
    window.apply_changes(Changes(replaced=True))
    assert read.wait(10)
    monkeypatch.setattr(area.tasks, "start", real)
    window.stages.move_dialog = lambda *args: MoveDecision(reason="проверка", force=True)
    assert window.request_move(client.id, client.stage + 1)
    assert area.clients.summary(client.id).stage == client.stage + 1
    answer.set()
    window.wait_for_background()
    qtbot.waitUntil(lambda: area.clients.summary(client.id).contract_no == "ВН-новый", timeout=10_000)
    window.wait_for_background()
    with db.read() as s:
        assert s.scalar(select(Client.stage).where(Client.id == client.id)) == client.stage + 1
    assert area.clients.summary(client.id).stage == client.stage + 1
    column = area.board.columns[client.stage + 1].model
    assert column.row_of(client.id) is not None
    assert area.board.columns[client.stage].model.row_of(client.id) is None
    assert all(s.contract_no == "ВН-новый" for s in area.clients.summaries())
