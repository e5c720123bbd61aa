"""A full reload (restore, import, settings) reads the clients in a worker once the database is not small."""

from __future__ import annotations

from sqlalchemy import update

from app.persistence.models import Client
from app.services.changes import Changes
from app.services.client_list import list_clients
from tests.ui.test_main_window import make_window
from ui.models.clients import ClientTableModel
from ui.work_area import WorkArea


def test_a_replaced_database_is_read_off_the_ui_thread_and_shown_in_one_go(qtbot, db, tmp_path, monkeypatch):
    from app.services.demo import fill_demo

    fill_demo(db)
    window = make_window(qtbot, db, tmp_path)
    area = window.work_area
    monkeypatch.setattr(WorkArea, "READ_IN_WORKER_FROM", 1)
    first = list_clients(db)[0]
    window.set_current_client(first.id)
    with db.unit() as s:
        s.execute(update(Client).values(contract_no="ВН-новый"))
    reads = []
    real = area.tasks.start

    def start(work, *args, **kwargs):
        reads.append(work)
        return real(work, *args, **kwargs)

    monkeypatch.setattr(area.tasks, "start", start)
    window.apply_changes(Changes(replaced=True))
    assert reads, "the rows are read by a task"
    assert area.clients.summary(first.id).contract_no != "ВН-новый"  # not yet: the worker reads them
    window.wait_for_background()
    qtbot.waitUntil(lambda: area.clients.summary(first.id).contract_no == "ВН-новый")
    assert all(s.contract_no == "ВН-новый" for s in area.clients.summaries())
    assert window.current_id == first.id
    assert area.board.columns[first.stage].model.row_of(first.id) is not None


def test_a_deleted_current_client_is_let_go_when_the_rows_arrive(qtbot, db, tmp_path, monkeypatch):
    from app.services.demo import fill_demo

    fill_demo(db)
    window = make_window(qtbot, db, tmp_path)
    monkeypatch.setattr(WorkArea, "READ_IN_WORKER_FROM", 1)
    victim = list_clients(db)[-1].id
    window.set_current_client(victim)
    from sqlalchemy import delete

    with db.unit() as s:
        s.execute(delete(Client).where(Client.id == victim))
    window.apply_changes(Changes(replaced=True))
    window.wait_for_background()
    qtbot.waitUntil(lambda: window.work_area.clients.summary(victim) is None)
    assert window.current_id is None


def test_a_change_naming_many_clients_is_read_like_a_full_reload(qtbot, db, tmp_path, monkeypatch):
    """A CSV import's Changes name every client it added: past MANY_CLIENTS their rows were read by id on the
    UI thread (an IN list of 5 000: ~0.6 s with the reminders); now all rows are read in a worker."""
    from app.services import changes as changes_module
    from app.services.demo import fill_demo

    fill_demo(db)
    window = make_window(qtbot, db, tmp_path)
    area = window.work_area
    monkeypatch.setattr(WorkArea, "READ_IN_WORKER_FROM", 1)
    monkeypatch.setattr(changes_module, "MANY_CLIENTS", 2)
    ids = [row.id for row in list_clients(db)][:3]
    with db.unit() as s:
        s.execute(update(Client).where(Client.id.in_(ids)).values(contract_no="ВН-пакет"))
    by_id, reads = [], []
    import app.services.client_list as client_service

    real_list, real_start = client_service.list_clients, area.tasks.start

    def listing(db_, *args, **kwargs):
        if kwargs.get("ids") is not None:
            by_id.append(kwargs["ids"])
        return real_list(db_, *args, **kwargs)

    def start(work, *args, **kwargs):
        reads.append(work)
        return real_start(work, *args, **kwargs)

    monkeypatch.setattr(client_service, "list_clients", listing)
    monkeypatch.setattr(area.tasks, "start", start)
    window.apply_changes(Changes(clients=True, client_ids=frozenset(ids)))
    assert reads and not by_id, "three clients named, two are many here: all rows read by a task, none by id"
    window.wait_for_background()
    qtbot.waitUntil(lambda: all(area.clients.summary(i).contract_no == "ВН-пакет" for i in ids))
    window.apply_changes(Changes(clients=True, client_ids=frozenset(ids[:2])))
    assert by_id == [sorted(ids[:2])], "two clients are read by id, as before"


def test_open_question_counts_are_read_after_the_rows_are_painted(qtbot, db, tmp_path, monkeypatch):
    """Issue 15 §5: the event that hands a reload's rows to the views read every client's open questions on the
    UI thread (~2 ms of the longest event at 5 000 clients); they are read with the budgets, after the paint, and
    the cards keep the counts they had meanwhile."""
    from datetime import date

    import ui.work_area as work_area_module
    from app.services import questions
    from app.services.demo import fill_demo
    from app.services.questions import QuestionInput

    fill_demo(db)
    window = make_window(qtbot, db, tmp_path)
    area = window.work_area
    monkeypatch.setattr(WorkArea, "READ_IN_WORKER_FROM", 1)
    first, second = list_clients(db)[:2]
    questions.add_question(db, first.id, QuestionInput(date.today(), "phone", "Где акт за октябрь?"))
    window.apply_changes(Changes(replaced=True))
    window.wait_for_background()
    qtbot.waitUntil(lambda: area.clients.open_questions(first.id) >= 1)
    known = area.clients.open_questions(first.id)
    # a question added behind the window, then a full reload: counted only once the rows were painted
    questions.add_question(db, second.id, QuestionInput(date.today(), "phone", "Как сдать отчёт?"))
    counted: list[bool] = []
    real_show = WorkArea._take_read  # the rows' event: every row, or the changed ones merged

    def show(self, read, decorations=True, plan=None):
        real_show(self, read, decorations, plan)
        counted.append(self.clients.open_questions(second.id) > second_before)

    second_before = area.clients.open_questions(second.id)
    monkeypatch.setattr(work_area_module.WorkArea, "_take_read", show)
    window.apply_changes(Changes(replaced=True))
    window.wait_for_background()
    qtbot.waitUntil(lambda: area.clients.open_questions(second.id) == second_before + 1)
    assert counted == [False]  # not in the rows' event
    assert area.clients.open_questions(first.id) == known


def test_the_rows_of_a_reload_are_kept_out_of_full_collections_once_painted(qtbot, db, tmp_path, monkeypatch):
    """ClientSummary is a tuple subclass, which the collector never untracks: at 50 000 clients every full
    collection walked 50 000 rows and as many reminders (90–160 ms); frozen once painted, 13–16 ms."""
    import gc

    from app import gcpause
    from app.services.demo import fill_demo

    fill_demo(db)
    window = make_window(qtbot, db, tmp_path)
    area = window.work_area
    monkeypatch.setattr(WorkArea, "READ_IN_WORKER_FROM", 1)
    frozen: list[set[int]] = []
    real = gcpause.freeze_long_lived

    def watched() -> None:
        real()
        tracked = {id(o) for o in gc.get_objects()}  # the frozen generation is not listed
        frozen.append({s.id for s in area.clients.summaries() if id(s) not in tracked})

    monkeypatch.setattr(gcpause, "freeze_long_lived", watched)
    window.apply_changes(Changes(replaced=True))
    window.wait_for_background()
    area.start_deferred_reads()
    qtbot.waitUntil(lambda: bool(frozen))
    assert frozen[0] == {s.id for s in list_clients(db)}


def test_a_reload_reads_only_the_rows_whose_stamp_changed(qtbot, db, tmp_path, monkeypatch):
    """Issue 15: a restore-style reload at 50 000 clients read every row again (~0.4 s of a worker); it reads the
    stamps (migration 0017) and the changed rows only, merged into the views — which then show what a full read
    shows."""
    from app.services import list_read
    from app.services.demo import fill_demo

    fill_demo(db)
    window = make_window(qtbot, db, tmp_path)
    area = window.work_area
    monkeypatch.setattr(WorkArea, "READ_IN_WORKER_FROM", 1)
    before = list_clients(db)
    moved, renamed = before[1], before[4]
    with db.unit() as s:  # behind the window, as a restored file or a bundle writes them
        s.execute(update(Client).where(Client.id == moved.id).values(stage=(moved.stage + 1) % 5))
        s.execute(update(Client).where(Client.id == renamed.id).values(name="ООО «Яшма»"))
    asked: list = []
    real = list_read.summaries
    monkeypatch.setattr(list_read, "summaries", lambda s, ids=None, **kw: asked.append(ids) or real(s, ids, **kw))
    window.apply_changes(Changes(replaced=True))
    window.wait_for_background()
    qtbot.waitUntil(lambda: area.clients.summary(renamed.id).name == "ООО «Яшма»")
    # PostgreSQL keeps no stamps (a team server's rows change under many writers): there a reload reads all
    assert asked == ([sorted([moved.id, renamed.id])] if db.is_sqlite else [None])
    fed = ClientTableModel()
    fed.set_rows(list_clients(db))
    assert area.clients.summaries() == fed.summaries()  # the rows and their order of a full read
    column = area.board.columns[(moved.stage + 1) % 5].model
    assert column.row_of(moved.id) is not None


def test_many_new_clients_are_merged_into_the_order_by_the_worker(qtbot, db, tmp_path, monkeypatch):
    """A CSV import's reload (hundreds of new clients, read by their stamps): the merged order is computed in the
    worker (ui.models.row_merge), the UI thread takes it; the list ends in list_clients' order of names."""
    import ui.models.client_feed as feed_module
    from app.services.clients import ClientInput, add_client
    from app.services.demo import fill_demo
    from tests.unit.test_list_read import _inn

    fill_demo(db)
    for i in range(250):
        add_client(db, ClientInput(name=f"ООО «Старый {(i * 37) % 250:03d}»", inn=_inn(8000 + i), approach="remote"))
    window = make_window(qtbot, db, tmp_path)
    area = window.work_area
    monkeypatch.setattr(WorkArea, "READ_IN_WORKER_FROM", 1)
    for i in range(100):  # past INCREMENTAL_LIMIT, less than half the clients: a delta merged into the order
        add_client(db, ClientInput(name=f"ООО «Новый {(i * 37) % 100:03d}»", inn=_inn(9000 + i), approach="remote"))
    on_ui_thread: list[int] = []
    real = feed_module.merged_order
    monkeypatch.setattr(feed_module, "merged_order", lambda *a, **k: on_ui_thread.append(1) or real(*a, **k))
    window.apply_changes(Changes(replaced=True))
    window.wait_for_background()
    expected = list_clients(db)
    qtbot.waitUntil(lambda: area.clients.rowCount() == len(expected))
    shown = [area.clients.row_at(r) for r in range(area.clients.rowCount())]
    fed = ClientTableModel()
    fed.set_rows(expected)
    assert shown == [fed.row_at(r) for r in range(fed.rowCount())]
    assert on_ui_thread == []
