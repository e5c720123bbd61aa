"""AttentionModel.replace_clients: one action's clients swapped in place, ending as a full read would."""

from __future__ import annotations

from app.services.reminders import Reminder, order_key
from ui.models.attention import AttentionModel


def _stalled(client_id: int, name: str) -> Reminder:
    return Reminder("stalled", client_id, name, "этап не менялся", None, (name, client_id))


def _over(client_id: int, name: str) -> Reminder:
    return Reminder("estimate_exceeded", client_id, name, "перерасход", None, (client_id,))


def test_rows_of_the_named_clients_are_replaced_where_they_belong(qtbot):
    everyone = [_stalled(i, f"Клиент {i:02d}") for i in range(1, 11)] + [_over(3, "Клиент 03"), _over(7, "Клиент 07")]
    model = AttentionModel()
    model.set_rows(sorted(everyone, key=order_key))
    removed, inserted = [], []
    model.rowsRemoved.connect(lambda _parent, first, last: removed.append((first, last)))
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    # clients 3, 4 (adjacent rows) and 9 change: 3 is renamed, 4 is no longer stalled, 9 gains an overrun
    fresh = [_stalled(3, "Клиент 99"), _over(3, "Клиент 99"), _over(9, "Клиент 09"), _stalled(9, "Клиент 09")]
    model.replace_clients(fresh, [3, 4, 9])
    expected = sorted([r for r in everyone if r.client_id not in {3, 4, 9}] + fresh, key=order_key)
    assert model.rows() == expected
    assert [r.kind for r in model.rows()][-3:] == ["estimate_exceeded"] * 3  # most urgent kinds first, as a read
    # rows 2–3 (clients 3 and 4 stalled), 8 (client 9), 10 (client 3's overrun): removed in runs from the end
    assert removed == [(10, 10), (8, 8), (2, 3)]
    assert len(inserted) == len(fresh)


def test_kept_kinds_stay_untouched(qtbot):
    model = AttentionModel()
    model.set_rows(sorted([_stalled(1, "А"), _over(1, "А"), _stalled(2, "Б")], key=order_key))
    model.replace_clients([], [1], keep_kinds=("estimate_exceeded",))  # a move: the budget was not re-read
    assert [(r.kind, r.client_id) for r in model.rows()] == [("stalled", 2), ("estimate_exceeded", 1)]


def test_a_move_in_a_long_list_finds_its_rows_by_bisection_not_one_pass(qtbot, monkeypatch):
    """Issue 15: replace_clients after a move walked every row (≈50 000 at 50 000 clients); now each kind of
    ``every_client_kinds`` is one block and each client's rows are found by their sort keys."""
    import ui.models.attention as attention_module

    def event(event_id: int, client_id: int) -> Reminder:
        return Reminder("event_today", client_id, f"Клиент {client_id:05d}", "звонок", event_id,
                        (f"2026-11-30 {event_id:05d}", event_id))

    everyone = [_stalled(i, f"Клиент {i:05d}") for i in range(1, 20_001)] + [event(n, n * 7) for n in range(1, 6)]
    model = AttentionModel()
    model.set_rows(sorted(everyone, key=order_key))
    model.replace_clients([], [], every_client_kinds=("event_today",))  # builds the per-client index once

    class Walked(list):
        """The model's rows, counting full walks over them."""

        walks = 0

        def __iter__(self):
            Walked.walks += 1
            return super().__iter__()

    model._rows = Walked(model._rows)
    calls = []
    real = attention_module.order_key
    monkeypatch.setattr(attention_module, "order_key", lambda r: calls.append(1) or real(r))
    fresh = [_stalled(12_345, "Клиент 99999"), event(3, 21), event(9, 12_345)]
    model.replace_clients(fresh, [12_345, 500], every_client_kinds=("event_today",))
    assert Walked.walks == 0  # no pass over the 20 005 rows
    assert len(calls) < 300, len(calls)  # bisections: ~15 key calls each
    survivors = [r for r in everyone if r.client_id not in {12_345, 500} and r.kind != "event_today"]
    assert model.rows() == sorted(survivors + fresh, key=order_key)


def test_a_re_read_that_finds_the_same_reminders_changes_no_row(qtbot):
    """Issue 15: after each move every client's events are read again; equal rows were removed and inserted
    again, so the dock repainted a second time for nothing (and a move was timed until that paint)."""
    def event(event_id: int, client_id: int, when: str) -> Reminder:
        return Reminder("event_today", client_id, f"Клиент {client_id}", "звонок", event_id, (when, event_id))

    events = [event(1, 4, "2026-11-30 09:00"), event(2, 2, "2026-11-30 11:00")]
    model = AttentionModel()
    model.set_rows(sorted([_stalled(1, "А"), _stalled(2, "Б"), *events], key=order_key))
    signals = []
    for name in ("rowsRemoved", "rowsInserted", "modelReset", "layoutChanged", "dataChanged"):
        getattr(model, name).connect(lambda *_args, n=name: signals.append(n))
    before = model.rows()
    model.replace_clients([event(2, 2, "2026-11-30 11:00"), event(1, 4, "2026-11-30 09:00")], [],
                          every_client_kinds=("event_today",))
    assert signals == [] and model.rows() == before
    model.replace_clients([_stalled(1, "А")], [1])  # the moved client's own rows, unchanged
    assert signals == []
    # one event moved to another hour: a real change is still applied, in order
    moved = event(2, 2, "2026-11-30 08:00")
    model.replace_clients([events[0], moved], [], every_client_kinds=("event_today",))
    assert signals and model.rows() == sorted([_stalled(1, "А"), _stalled(2, "Б"), events[0], moved], key=order_key)
