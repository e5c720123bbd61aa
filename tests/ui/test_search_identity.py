"""A letter that narrows nothing away does no work downstream (issue 15, 50 000 clients): ClientTableModel answers
it with the broader text's Matches object, and the list proxy and the board's columns, recognising their input,
skip their passes — without ever showing other clients than a fresh search would."""

from __future__ import annotations

from tests.ui.test_client_models import TODAY, _many, proxy_ids, summary
from ui.models.client_filter import ClientFilter, ClientFilterProxy, CompiledFilter
from ui.models.client_roles import ClientRole
from ui.models.clients import ClientTableModel
from ui.models.kanban_columns import KanbanColumnModel


def _compiled(text: str, **parts) -> CompiledFilter:
    return CompiledFilter(ClientFilter(text=text, **parts))


def _board(rows):
    model = ClientTableModel(today=lambda: TODAY)
    model.set_rows(list(rows))
    proxy = ClientFilterProxy()
    proxy.setSourceModel(model)
    return model, proxy, [KanbanColumnModel(stage, model) for stage in range(5)]


def _fresh(rows, text: str, **parts) -> tuple[list[int], list[list[int]]]:
    """What a new model shows for the filter: the list's ids and each column's."""
    _model, proxy, columns = _board(rows)
    value = ClientFilter(text=text, **parts)
    proxy.set_filter(value)
    for column in columns:
        column.set_filter(value)
    return proxy_ids(proxy), [proxy_ids(column) for column in columns]


def test_a_narrower_text_matching_the_same_clients_is_answered_by_the_same_object():
    model = ClientTableModel(today=lambda: TODAY)
    model.set_rows(_many(60))
    broad = model.text_matches(_compiled("заво"))
    assert broad is not None and broad.rows and not broad.everyone
    assert model.text_matches(_compiled("завод")) is broad  # every «заво» here is a «завод»
    narrower = model.text_matches(_compiled("завод №1"))
    assert narrower is not broad and len(narrower.rows) < len(broad.rows)
    assert narrower.ids == {s.id for s in narrower.rows}
    everyone = model.text_matches(_compiled("ооо"))  # every client is an ООО
    assert everyone is not None and everyone.everyone and len(everyone.rows) == 60
    assert model.text_matches(_compiled("ооо «")) is everyone
    assert model.matches_at_stage(_compiled("ооо"), 1) is None  # the columns show the stage's rows
    model.update_rows([100], [summary(100, "ООО «Завод №0»", stage=2)])
    assert model.text_matches(_compiled("заво")) is not broad  # rows changed: matched afresh


def test_the_list_and_the_columns_skip_a_letter_that_changes_nothing_and_still_show_what_a_fresh_search_shows(
        monkeypatch):
    rows = _many(60)
    _model, proxy, columns = _board(rows)
    calls: list[str] = []
    real_filter_rows = ClientTableModel.filter_rows
    monkeypatch.setattr(ClientTableModel, "filter_rows", lambda self, c: calls.append("rows") or real_filter_rows(self, c))
    layouts: list[int] = []
    proxy.layoutChanged.connect(lambda *a: layouts.append(1))
    resets: list[int] = []
    for column in columns:
        column.modelReset.connect(lambda: resets.append(1))

    def type_text(text: str, **parts) -> None:
        value = ClientFilter(text=text, **parts)
        proxy.set_filter(value)
        for column in columns:
            column.set_filter(value)

    type_text("заво")
    assert calls == ["rows"] and layouts and resets
    calls.clear(), layouts.clear(), resets.clear()
    type_text("завод")
    assert calls == [] and layouts == [] and resets == []
    assert (proxy_ids(proxy), [proxy_ids(c) for c in columns]) == _fresh(rows, "завод")
    calls.clear()
    type_text("завод", stage=2)  # the same matches, another stage: filtered again
    assert calls == ["rows"]
    assert proxy_ids(proxy) == _fresh(rows, "завод", stage=2)[0]
    type_text("завод", approach="onsite")
    assert (proxy_ids(proxy), [proxy_ids(c) for c in columns]) == _fresh(rows, "завод", approach="onsite")
    type_text("завод")
    assert (proxy_ids(proxy), [proxy_ids(c) for c in columns]) == _fresh(rows, "завод")


def test_a_text_every_client_matches_shows_the_columns_as_without_a_text():
    rows = _many(60)
    _model, proxy, columns = _board(rows)
    unfiltered = [list(column._ids) for column in columns]
    resets: list[int] = []
    for column in columns:
        column.modelReset.connect(lambda: resets.append(1))
    value = ClientFilter(text="ооо")
    proxy.set_filter(value)
    for column in columns:
        column.set_filter(value)
    assert resets == [] and [column._ids for column in columns] == unfiltered
    assert proxy.rowCount() == 60


def test_a_column_changed_card_by_card_is_made_again_by_the_next_filter(qtbot):
    """The column remembers the list it was made from only while it shows exactly that list: a card a refresh
    added since (the client matched the filter then) must go when the next filter matches no one at the stage."""
    rows = _many(30)
    model, _proxy, columns = _board(rows)
    column = columns[2]
    column.set_filter(ClientFilter(text="кварц"))
    assert column.rowCount() == 0
    model.update_rows([999], [summary(999, "ООО «Кварц-Завод»", stage=2)])  # a refresh: one card by the rows
    assert proxy_ids(column) == [999]
    column.set_filter(ClientFilter(text="кварцит"))  # no client at the stage: the same empty list as before
    assert column.rowCount() == 0


def test_a_filtered_column_makes_no_text_per_card_nor_an_id_map_and_finds_cards_by_bisection():
    """A broad letter at 50 000 clients made every column's id list, id map and id texts anew (~20 ms): the ids
    now come from the source's split of the matches, the string list holds empty texts and no map is made until
    a refresh card by card needs one."""
    rows = _many(90)
    model, _proxy, columns = _board(rows)
    value = ClientFilter(text="завод")
    for column in columns:
        column.set_filter(value)
    column = columns[1]
    compiled = CompiledFilter(value)
    assert column._ids is model.match_ids_at_stage(compiled, 1) and column._rows is model.matches_at_stage(compiled, 1)
    assert set(column.stringList()) == {""} and column._by_id_made is None
    assert [column.index(r, 0).data(ClientRole.ID) for r in range(column.rowCount())] == column._ids
    shown, hidden = column._ids[len(column._ids) // 2], next(s.id for s in rows if s.stage == 1
                                                                and "завод" not in s.search_text)
    assert column.row_of(shown) == column._ids.index(shown) and column.row_of(hidden) is None
    assert column._row_of is None and column._by_id_made is None  # neither map was needed


def test_a_refresh_changes_the_column_not_the_source_s_lists_it_was_made_from():
    rows = _many(90)
    model, _proxy, columns = _board(rows)
    value = ClientFilter(text="завод")
    for column in columns:
        column.set_filter(value)
    compiled = CompiledFilter(value)
    made_from, ids_from = model.matches_at_stage(compiled, 1), model.match_ids_at_stage(compiled, 1)
    before, ids_before = list(made_from), list(ids_from)
    gone = columns[1]._ids[0]
    model.update_rows([gone, 900], [summary(900, "ООО «Завод Новый»", stage=1)])  # one card out, one in
    assert made_from == before and ids_from == ids_before  # the column copied before it changed
    assert 900 in columns[1]._ids and gone not in columns[1]._ids
    assert proxy_ids(columns[1]) == [s.id for s in model.matches_at_stage(compiled, 1)]
