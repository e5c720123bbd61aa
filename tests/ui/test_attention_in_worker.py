"""Issue 15 §3: after a restore-style change every client's reminders are re-read in a worker, not on the UI
thread (~85 % of the apply_changes event at 5 000 clients), after the client rows of the same change; an
action while that read is under way cannot be lost."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import update

from app.persistence.models import Client
from app.services import reminders
from app.services.changes import DATABASE_REPLACED
from app.services.client_list import list_clients
from app.services.demo import fill_demo
from tests.ui.test_main_window import make_window
from ui.dialogs.stages.move_guard import MoveDecision
from ui.views.week import WeekViews


def _watch_reads(monkeypatch) -> list[tuple[bool, object]]:
    """(on the UI thread?, client_ids) of every attention() call from now on."""
    reads: list[tuple[bool, object]] = []
    real = reminders.attention
    ui_thread = threading.main_thread()

    def watched(db, **kw):
        reads.append((threading.current_thread() is ui_thread, kw.get("client_ids")))
        return real(db, **kw)

    monkeypatch.setattr(reminders, "attention", watched)
    return reads


def test_a_full_reload_reads_the_reminders_in_a_worker(qtbot, db, tmp_path, monkeypatch):
    fill_demo(db)
    monkeypatch.setattr(WeekViews, "READ_IN_WORKER_FROM", 1)  # the demo's dozen clients count as many
    window = make_window(qtbot, db, tmp_path)
    panel = window.week.attention
    assert panel.model.rows() == reminders.attention(db)
    with db.unit() as s:  # a restore-like change behind the window: everyone stalled
        s.execute(update(Client).values(stage_since=date(2020, 1, 1)))
    reads = _watch_reads(monkeypatch)
    window.apply_changes(DATABASE_REPLACED)
    assert [on_ui for on_ui, ids in reads if ids is None] == []  # nothing read yet on the UI thread
    window.wait_for_background()
    window.wait_for_background()  # the rows first, then (when the pool is idle) the reminders
    assert (False, None) in reads  # every client's reminders, read by a worker
    assert not any(on_ui and ids is None for on_ui, ids in reads)
    stalled = {r.client_id for r in panel.model.rows() if r.kind == "stalled"}
    assert stalled == {c.id for c in list_clients(db) if c.stage < 4}
    assert panel.model.rows() == reminders.attention(db)


def test_a_move_while_the_full_read_is_under_way_is_not_lost(qtbot, db, tmp_path, monkeypatch):
    fill_demo(db)
    monkeypatch.setattr(WeekViews, "READ_IN_WORKER_FROM", 1)
    window = make_window(qtbot, db, tmp_path)
    panel = window.week.attention
    window.apply_changes(DATABASE_REPLACED)  # a full read requested, not delivered yet
    assert window.week._attention_reading
    moved = next(c for c in list_clients(db) if 1 <= c.stage <= 3)
    window.stages.move_dialog = lambda *args: MoveDecision(reason="проверка", force=True)
    assert window.request_move(moved.id, moved.stage + 1)  # its in-place update would be overwritten
    for _ in range(3):
        window.wait_for_background()
    assert not window.week._attention_reading
    assert panel.model.rows() == reminders.attention(db)


def test_views_without_a_task_manager_read_at_once(qtbot, db, tmp_path, monkeypatch):
    """Below READ_IN_WORKER_FROM clients (the demo) the panel is read on the spot, as before."""
    fill_demo(db)
    window = make_window(qtbot, db, tmp_path)
    reads = _watch_reads(monkeypatch)
    window.apply_changes(DATABASE_REPLACED)
    assert (True, None) in reads
    assert window.week.attention.model.rows() == reminders.attention(db)


def _stalled_everyone_in_worker_window(qtbot, db, tmp_path, monkeypatch):
    """A window whose dock reads every reminder in a worker, and every client made stalled behind it (a full
    re-read then brings a reminder a client): the window and its dock."""
    fill_demo(db)
    monkeypatch.setattr(WeekViews, "READ_IN_WORKER_FROM", 1)
    window = make_window(qtbot, db, tmp_path)
    with db.unit() as s:
        s.execute(update(Client).values(stage_since=date(2020, 1, 1)))
    return window, window.week.attention


def test_the_reminders_of_a_full_read_are_kept_out_of_full_collections(qtbot, db, tmp_path, monkeypatch):
    """A reminder a stalled client (53 000 at 50 000 clients), walked by every full collection until frozen."""
    import gc

    from app import gcpause

    window, panel = _stalled_everyone_in_worker_window(qtbot, db, tmp_path, monkeypatch)
    shown: list[bool] = []
    real = gcpause.freeze_long_lived

    def watched() -> None:
        real()
        tracked = {id(o) for o in gc.get_objects()}
        rows = panel.model.rows()
        shown.append(bool(rows) and not any(id(r) in tracked for r in rows))

    monkeypatch.setattr(gcpause, "freeze_long_lived", watched)
    window.apply_changes(DATABASE_REPLACED)
    for _ in range(3):
        window.wait_for_background()
    assert shown and shown[-1]


def test_a_full_read_brings_each_clients_reminders_so_the_first_move_makes_no_pass(qtbot, db, tmp_path,
                                                                                    monkeypatch):
    """At 50 000 clients the first move after a full read grouped ~53 000 reminders by client on the UI thread
    (~28 ms, the move's longest event); the worker groups them with the read now."""
    from ui.models import attention as attention_module

    window, panel = _stalled_everyone_in_worker_window(qtbot, db, tmp_path, monkeypatch)
    window.apply_changes(DATABASE_REPLACED)
    for _ in range(3):
        window.wait_for_background()
    assert not window.week._attention_reading
    grouped_on_ui: list[bool] = []
    real = attention_module.group_by_client
    monkeypatch.setattr(attention_module, "group_by_client",
                        lambda rows: (grouped_on_ui.append(threading.current_thread() is threading.main_thread()),
                                      real(rows))[1])
    assert panel.model._by_client is not None
    moved = next(c for c in list_clients(db) if 1 <= c.stage <= 3)
    window.stages.move_dialog = lambda *args: MoveDecision(reason="проверка", force=True)
    assert window.request_move(moved.id, moved.stage + 1)
    window.wait_for_background()
    assert grouped_on_ui == []
    assert panel.model.rows() == reminders.attention(db)


def test_the_start_up_read_brings_each_clients_reminders_too(qtbot, db, tmp_path):
    fill_demo(db)
    window = make_window(qtbot, db, tmp_path)  # tasks: the start-up read runs in a worker
    for _ in range(3):
        window.wait_for_background()
    model = window.week.attention.model
    assert model.rows() and model._by_client is not None
    assert {cid: len(rows) for cid, rows in model._by_client.items()} == {
        cid: sum(1 for r in model.rows() if r.client_id == cid) for cid in {r.client_id for r in model.rows()}}
