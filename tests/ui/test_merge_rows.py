"""ClientTableModel.merge_rows (a reload that read only the changed rows): the table, its stage buckets, its search
and the board's columns end as a model fed every row afresh would have them, in any sort order."""

from __future__ import annotations

import random
import threading

import pytest
from PySide6.QtCore import Qt

from tests.ui.test_client_models import TODAY, summary
from ui.models.client_filter import ClientFilter, CompiledFilter
from ui.models.client_roles import ClientRole
from ui.models.clients import ClientTableModel
from ui.models.kanban_columns import KanbanColumnModel

NAMES = ["Ромашка", "Волга", "ТехноПласт", "Кабель", "Прибор", "Альфа", "Яблоко", "Берёза", "Омега", "Сигма"]


def _rows(rng: random.Random, ids: range) -> list:
    return [summary(i, f"ООО «{rng.choice(NAMES)} {rng.randint(1, 40)}»", stage=rng.randint(0, 4),
                    phone=f"+7 900 {rng.randint(100, 999)}-{i % 100:02d}-{rng.randint(10, 99)}") for i in ids]


def _shown(model: ClientTableModel) -> list[int]:
    return [model.row_at(row).id for row in range(model.rowCount())]


@pytest.mark.parametrize(("column", "order"), [(-1, Qt.SortOrder.AscendingOrder),
                                               (ClientTableModel.COL_STAGE, Qt.SortOrder.DescendingOrder),
                                               (ClientTableModel.COL_INN, Qt.SortOrder.AscendingOrder)])
@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("in_worker", [False, True])
def test_a_merge_equals_a_model_fed_every_row(qtbot, seed, column, order, in_worker):
    """``in_worker``: the merged order computed by ``merge_planner`` in another thread, as a reload's worker does
    (in name order only: the planner is None for another column)."""
    rng = random.Random(seed)
    rows = _rows(rng, range(1, 601))
    merged, fed = ClientTableModel(today=lambda: TODAY), ClientTableModel(today=lambda: TODAY)
    for model in (merged, fed):
        model.sort(column, order)
    merged.set_rows(rows)
    columns = [KanbanColumnModel(stage, merged) for stage in range(5)]
    merged.filter_rows(CompiledFilter(ClientFilter(text="900")))  # the digit index exists before the merge
    by_id = {row.id: row for row in rows}
    for _round in range(4):
        # past INCREMENTAL_LIMIT; within 1/8 of the rows (55 + 10 + 5: the board's buckets patched in another
        # order); past PLACE_MOST
        changed = rng.sample(sorted(by_id), (55, 70, 150, 400)[_round])
        fresh = []
        for client_id in changed:
            old = by_id[client_id]
            kind = rng.choice(["stage", "rename", "phone"])
            if kind == "stage":
                new = old._replace(stage=(old.stage + 1) % 5)
            elif kind == "rename":
                new = old._replace(name=f"ООО «{rng.choice(NAMES)} {rng.randint(41, 60)}»")
            else:
                new = old._replace(contact_phone="+7 901 555-00-00",
                                   search_text=old.search_text + " +7 901 555-00-00")
            fresh.append(new)
        gone = rng.sample(sorted(set(by_id) - set(changed)), 5)
        added = _rows(rng, range(1000 + _round * 10, 1000 + _round * 10 + 10))
        plan = None
        planner = merged.merge_planner()
        assert (planner is not None) == (column == -1)
        if in_worker and planner is not None:
            answer: list = []
            worker = threading.Thread(target=lambda p=planner, r=fresh + added, g=gone, a=answer: a.append(p.plan(r, g)))
            worker.start()
            worker.join()
            plan = answer[0]
        merged.merge_rows(fresh + added, gone, plan)
        for client_id in gone:
            del by_id[client_id]
        by_id.update((row.id, row) for row in fresh + added)
        fed.set_rows(list(by_id.values()))
        assert _shown(merged) == _shown(fed)
        assert [merged.row_at(r) for r in range(merged.rowCount())] == [fed.row_at(r) for r in range(fed.rowCount())]
        for stage in range(5):
            assert merged.stage_count(stage) == fed.stage_count(stage)
            assert merged.stage_rows(stage) == fed.stage_rows(stage)
            assert [columns[stage].index(r, 0).data(ClientRole.ID) for r in range(columns[stage].rowCount())] == \
                [s.id for s in fed.stage_rows(stage)]
        for query in ("555", "900", "волга"):
            compiled = CompiledFilter(ClientFilter(text=query))
            assert sorted(merged.filter_rows(compiled)) == sorted(fed.filter_rows(compiled)), query


def test_a_small_merge_updates_rows_in_place(qtbot):
    """Up to INCREMENTAL_LIMIT changes: row by row (views keep their scroll and selection), no reset."""
    rows = _rows(random.Random(7), range(1, 101))
    model = ClientTableModel(today=lambda: TODAY)
    model.set_rows(rows)
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    moved = rows[10]._replace(stage=(rows[10].stage + 1) % 5)
    model.merge_rows([moved], [rows[20].id])
    assert resets == [] and model.summary(moved.id) == moved and model.summary(rows[20].id) is None
    assert model.rowCount() == 99


def test_a_row_placed_in_a_descending_order_beside_an_equal_value(qtbot):
    """Sorted by stage, descending: a moved client lands among others of its new stage. The insert position
    compared collation keys with `>`, which they do not have (TypeError on the UI thread)."""
    rows = _rows(random.Random(3), range(1, 41))
    model = ClientTableModel(today=lambda: TODAY)
    model.sort(ClientTableModel.COL_STAGE, Qt.SortOrder.DescendingOrder)
    model.set_rows(rows)
    moved = next(r for r in rows if r.stage == 1)._replace(stage=2)
    model.update_rows([moved.id], [moved])
    stages = [model.row_at(r).stage for r in range(model.rowCount())]
    assert stages == sorted(stages, reverse=True) and model.summary(moved.id) == moved


def test_a_plan_made_before_the_rows_changed_is_not_taken(qtbot, monkeypatch):
    """The user's own change (a row updated on the UI thread) between the worker's plan and its delivery: the
    merge is made again from the rows shown, and the change is kept."""
    import ui.models.client_feed as feed_module

    rng = random.Random(11)
    rows = _rows(rng, range(1, 401))
    model = ClientTableModel(today=lambda: TODAY)
    model.set_rows(rows)
    planner = model.merge_planner()
    fresh = [row._replace(name=f"ООО «Новое {row.id}»") for row in rows[:300]]
    plan = planner.plan(fresh, [])
    renamed = rows[350]._replace(name="ООО «Переименован пользователем»")
    model.update_rows([renamed.id], [renamed])  # after the plan: its order does not know this row
    merged_here: list[int] = []
    real = feed_module.merged_order
    monkeypatch.setattr(feed_module, "merged_order", lambda *a, **k: merged_here.append(1) or real(*a, **k))
    model.merge_rows(fresh, [], plan)
    assert merged_here == [1]
    fed = ClientTableModel(today=lambda: TODAY)
    fed.set_rows(fresh + rows[300:350] + [renamed] + rows[351:])
    assert [model.row_at(r) for r in range(model.rowCount())] == [fed.row_at(r) for r in range(fed.rowCount())]
    # an untouched model takes the plan as it is: no merge on the UI thread
    again = ClientTableModel(today=lambda: TODAY)
    again.set_rows(rows)
    plan = again.merge_planner().plan(fresh, [])
    merged_here.clear()
    again.merge_rows(fresh, [], plan)
    assert merged_here == [] and again._rows is plan.rows
