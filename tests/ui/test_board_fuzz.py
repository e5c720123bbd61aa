"""Randomized differential test of the client list proxy and the five board columns against a brute-force filter."""

from __future__ import annotations

import random
from copy import copy
from datetime import datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.ui.test_client_models import TODAY, _many, _many_named, proxy_ids, summary
from ui.models.client_filter import ClientFilter, ClientFilterProxy, CompiledFilter
from ui.models.client_order import sort_key
from ui.models.client_roles import ClientRole
from ui.models.clients import ClientTableModel
from ui.models.kanban_columns import KanbanColumnModel

FORMS = ["ООО", "АО", "ИП", "ЗАО", ""]
WORDS = ["Ромашка", "Ёлка", "Елка", "Альфа", "завод", "фабрика", "Урал", "Волга", "10 станков", "9 станков", "Берёза"]
PEOPLE = ["Кузнецов Андрей", "Лебедева Ольга", "Иванов Иван", "Семёнов Пётр"]
APPROACHES = ["remote", "onsite", "accompanied"]
QUERIES = ["ооо", "завод", "ёлка", "елка", "урал волга", "zzz", "77", "770", "7707", "343", "+7 (343) 012",
           "иванов", "кузнецов андрей", "фаб", "станков 9", "берёза", "береза", "семенов", "77 завод", "о", "ура"]


class BoardFuzz:
    """One seed: a model, its list proxy and the five columns, driven by random operations and checked after each."""

    def __init__(self, seed: int) -> None:
        self.rnd = rnd = random.Random(seed)
        self.next_id = 10_000
        kind = rnd.random()
        if kind < 0.3:
            rows = _many(rnd.choice([10, 40, 90]))
        elif kind < 0.6:
            rows = _many_named(rnd.choice([10, 40, 120]))
        else:
            rows = [self.new_row() for _ in range(rnd.choice([0, 5, 20, 80]))]
        self.model = ClientTableModel(today=lambda: TODAY)
        self.model.set_rows(rows)
        self.proxy = ClientFilterProxy()
        self.proxy.setSourceModel(self.model)
        self.columns = [KanbanColumnModel(stage, self.model) for stage in range(5)]
        self.value = ClientFilter()
        self.text = self.target = ""
        self.handed_out: list[tuple[Any, Any]] = []  # lists the source gave out, with a copy taken then
        # what a view following the signals believes each model shows (rows read when they are announced)
        self.views = [self.follow(m) for m in (self.proxy, *self.columns)]

    # ------------------------------------------------------------ random rows and changes

    def new_row(self, name: str | None = None):
        rnd, n = self.rnd, self.rnd.randrange(1000)
        self.next_id += 1
        form = rnd.choice(FORMS)
        body = " ".join(rnd.sample(WORDS, rnd.choice([1, 2]))) + (f" {n % 12}" if n % 2 else "")
        name = name or (f"{form} «{body}»" if form else body)
        return summary(self.next_id, name, stage=rnd.randrange(5), approach=rnd.choice(APPROACHES),
                       days=rnd.randrange(90), inn=f"77{rnd.randrange(10**8):08d}", contact=rnd.choice(PEOPLE),
                       phone=f"+7 (343) {n:03d}-1{n % 10}-90")

    def changed_row(self, s):
        rnd = self.rnd
        what = rnd.choice(["stage", "stage", "name", "days", "approach"])
        if what == "stage":
            return s._replace(stage=rnd.randrange(5))
        if what == "days":
            return s._replace(stage_since=datetime.combine(TODAY - timedelta(days=rnd.randrange(90)),
                                                           datetime.min.time()))
        if what == "approach":
            return s._replace(approach=rnd.choice(APPROACHES))
        fresh = self.new_row()
        return s._replace(name=fresh.name, search_text=f"{fresh.name} {s.inn}  {s.contact_name} {s.contact_phone}"
                          .lower())

    def changes(self, count: int) -> tuple[list[int], list]:
        rnd, current = self.rnd, self.model.summaries()
        ids, rows, used = [], [], set()
        for _ in range(count):
            pick = rnd.random()
            s = rnd.choice(current) if current else None
            if s is None or pick > 0.85:
                rows.append(self.new_row(s.name if s is not None and pick > 0.95 else None))  # maybe a namesake
                continue
            if s.id in used:
                continue
            used.add(s.id)
            ids.append(s.id)
            if pick < 0.65:
                rows.append(self.changed_row(s))
            elif pick < 0.7:
                rows.append(s)  # named, unchanged
            # else: deleted
        return ids, rows

    def next_filter(self) -> ClientFilter:
        rnd, v = self.rnd, self.value
        if self.target.startswith(self.text) and len(self.text) < len(self.target) and rnd.random() < 0.75:
            self.text = self.target[:len(self.text) + 1]  # typed letter by letter
        elif self.text and rnd.random() < 0.6:
            self.text = self.text[:-1]
        else:
            self.target = rnd.choice(QUERIES)
            self.text = rnd.choice(["", self.target])
        stage, approach, stalled, only = v.stage, v.approach, v.stalled_only, v.only_ids
        if rnd.random() < 0.1:
            stage = rnd.choice([None, 0, 1, 2, 3, 4])
        if rnd.random() < 0.1:
            approach = rnd.choice([None, None, *APPROACHES])
        if rnd.random() < 0.07:
            stalled = not stalled
        if rnd.random() < 0.07:
            ids = [s.id for s in self.model.summaries()]
            only = None if only is not None else frozenset(rnd.sample(ids, rnd.randrange(len(ids) + 1)))
        return ClientFilter(text=self.text, stage=stage, approach=approach, stalled_only=stalled, only_ids=only)

    def step(self) -> str:
        rnd, model = self.rnd, self.model
        pick = rnd.random()
        if pick < 0.5:
            self.value = self.next_filter()
            self.proxy.set_filter(self.value)  # as the window does: the list, then the board
            for column in self.columns:
                column.set_filter(self.value)
            return f"filter {self.value}"
        if pick < 0.75:
            count = rnd.choice([1, 1, 2, 5, 20]) if rnd.random() < 0.85 else 90  # row by row, or a reset
            model.update_rows(*self.changes(count))
            return f"update_rows of about {count}"
        if pick < 0.83:
            ids, rows = self.changes(rnd.choice([0, 2, 90]))
            fresh = {s.id: s for s in model.summaries() if s.id not in ids} | {s.id: s for s in rows}
            model.set_rows(sorted(fresh.values(), key=lambda s: rnd.random()))
            return "set_rows"
        if pick < 0.92:
            by = rnd.choice([-1, -1, 0, 1, 3, 6, 7])
            self.proxy.sort(by, rnd.choice([Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder]))
            return f"sort {by}"
        model.set_stalled_days(rnd.choice([5, 14, 30, 60]))
        return "set_stalled_days"

    # ------------------------------------------------------------ checks

    def follow(self, m) -> dict[str, Any]:
        view: dict[str, Any] = {"ids": [], "rows": []}

        def read(row: int) -> tuple:
            index = m.index(row, 0)
            return index.data(ClientRole.ID), index.data(ClientRole.SUMMARY)

        def reset(*_args) -> None:
            pairs = [read(row) for row in range(m.rowCount())]
            view["ids"], view["rows"] = [p[0] for p in pairs], [p[1] for p in pairs]

        def inserted(_parent, first: int, last: int) -> None:
            for row in range(first, last + 1):
                client_id, s = read(row)
                view["ids"].insert(row, client_id)
                view["rows"].insert(row, s)

        def removed(_parent, first: int, last: int) -> None:
            del view["ids"][first:last + 1], view["rows"][first:last + 1]

        def changed(top_left, bottom_right, _roles=()) -> None:
            for row in range(top_left.row(), min(bottom_right.row() + 1, len(view["ids"]))):
                view["ids"][row], view["rows"][row] = read(row)

        for signal, slot in ((m.modelReset, reset), (m.layoutChanged, reset), (m.rowsInserted, inserted),
                             (m.rowsRemoved, removed), (m.dataChanged, changed)):
            signal.connect(slot)
        reset()
        view["name"] = type(m).__name__ + (f" {m.stage}" if isinstance(m, KanbanColumnModel) else "")
        return view

    def check(self) -> None:
        model, compiled = self.model, CompiledFilter(self.value)
        shown = model.summaries()
        current = {s.id: s for s in shown}
        assert proxy_ids(self.proxy) == [s.id for s in shown if compiled.matches(model, s)], "list proxy"
        # the source's own indexes, kept row by row (update_rows), against a count from scratch
        assert all(model.row_of(s.id) == row for row, s in enumerate(shown)), "row_of after row-by-row updates"
        assert model.row_of(self.next_id + 1) is None, "row_of of a client never shown"
        assert [model.stage_count(stage) for stage in range(5)] == [
            sum(s.stage == stage for s in shown) for stage in range(5)], "stage counts after row-by-row updates"
        for stage in range(5):  # the board's buckets, kept across row-by-row updates whatever the table's order
            bucket = model.stage_rows(stage)
            assert [s.id for s in bucket] == [s.id for s in sorted((s for s in shown if s.stage == stage),
                                                                  key=sort_key)], f"stage_rows({stage})"
            assert all(s is current[s.id] for s in bucket), f"stage_rows({stage}): an old row"
        for column in self.columns:
            stage = column.stage
            expected = [s.id for s in sorted((s for s in shown if s.stage == stage
                                              and compiled.matches(model, s, use_stage=False)), key=sort_key)]
            got = [column.index(r, 0).data(ClientRole.ID) for r in range(column.rowCount())]
            assert got == expected, f"column {stage}"
            for row, client_id in enumerate(got):
                index = column.index(row, 0)
                assert index.data(ClientRole.SUMMARY) is current[client_id], f"column {stage} row {row}: stale row"
                assert index.data(ClientRole.CARD)[0] is current[client_id], f"column {stage} row {row}: stale card"
                assert column.row_of(client_id) == row, f"column {stage}: row_of({client_id})"
            hidden = [i for i in current if i not in set(expected)]
            for client_id in [*self.rnd.sample(hidden, min(len(hidden), 5)), None, -1]:
                assert column.row_of(client_id) is None, f"column {stage}: row_of(hidden {client_id})"
        for view, m in zip(self.views, (self.proxy, *self.columns), strict=True):
            ids = [m.index(r, 0).data(ClientRole.ID) for r in range(m.rowCount())]
            assert view["ids"] == ids, f"{view['name']}: a view following the signals shows other clients"
            assert all(s is current[i] for s, i in zip(view["rows"], ids, strict=True)), \
                f"{view['name']}: a view following the signals holds an old row (no dataChanged)"
        for handed, then in self.handed_out:
            assert handed == then, "a list the source handed out was changed in place"
        # keep the source's current lists to see that nothing changes them later
        self.handed_out = self.handed_out[-60:]
        for stage in range(5):
            for handed in (model.matches_at_stage(compiled, stage), model.match_ids_at_stage(compiled, stage),
                           model.stage_rows(stage), *model.stage_index(stage)):
                if handed is not None:
                    self.handed_out.append((handed, copy(handed)))


@pytest.mark.parametrize("seed", range(40))
def test_board_and_list_match_a_brute_force_filter(qtbot, seed):
    fuzz = BoardFuzz(seed)
    fuzz.check()
    done = []
    for _ in range(50):
        done.append(fuzz.step())
        try:
            fuzz.check()
        except AssertionError as error:
            raise AssertionError(f"seed {seed}, after {done[-6:]}: {error}") from error
