"""The first word's letter index (issue 15): the same answer as a pass over every text, across moves and edits."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ui.models.client_search as search_module
import ui.models.clients as clients_module
from tests.ui.test_client_models import TODAY, _many_named, summary
from ui.models.client_filter import ClientFilter, CompiledFilter
from ui.models.clients import ClientTableModel
from ui.models.letter_index import LetterIndex

ALPHABET = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяqz09 «»-"


class Row:
    """What the index reads of a row."""

    def __init__(self, id: int, text: str, stage: int) -> None:
        self.id, self.search_text, self.stage = id, text, stage

    def __repr__(self) -> str:
        return f"Row({self.id}, {self.search_text!r}, {self.stage})"


def brute(rows: list, token: str) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for n, row in enumerate(rows):
        if token in row.search_text:
            found.setdefault(row.stage, []).append(n)
    return found


texts = st.text(alphabet=ALPHABET, max_size=12)
rows_strategy = st.lists(st.tuples(texts, st.integers(0, 4)), min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(rows_strategy, st.lists(st.tuples(st.integers(0, 39), texts, st.integers(0, 4)), max_size=8),
       st.text(alphabet=ALPHABET, min_size=1, max_size=3))
def test_the_index_answers_as_a_pass_over_every_text_before_and_after_rows_change_in_place(made, changes, token):
    rows = [Row(n, text, stage) for n, (text, stage) in enumerate(made)]
    index = LetterIndex.make(rows)
    assert index.find(token, rows) == brute(rows, token)
    for position, text, stage in changes:  # a move (stage), an edit (text), both: the row keeps its place and id
        if position < len(rows):
            rows[position] = Row(rows[position].id, text, stage)
            assert index.change(position, rows[position])
    assert index.find(token, rows) == brute(rows, token)
    assert all(index.ids_at(hits) == [rows[n].id for n in hits] for hits in index.find(token, rows).values())


def test_a_character_no_text_held_is_found_only_in_the_rows_changed_since():
    rows = [Row(1, "завод", 0), Row(2, "фабрика", 1)]
    index = LetterIndex.make(rows)
    assert index.find("щ", rows) == {} and index.find("ща", rows) == {}
    rows[0] = Row(1, "щит", 3)
    index.change(0, rows[0])
    assert index.find("щ", rows) == {3: [0]} and index.find("а", rows) == {1: [1]}


def test_the_index_refuses_an_empty_token_and_gives_up_after_too_many_changes():
    rows = [Row(n, f"клиент {n}", n % 5) for n in range(3)]
    index = LetterIndex.make(rows)
    with pytest.raises(ValueError):
        index.find("", rows)
    assert not index.change(3, rows[0]) and not index.change(-1, rows[0])  # not a position of the index
    index.CHANGES_MAX = 2
    assert index.change(0, rows[0]) and index.change(1, rows[1])
    assert not index.change(2, rows[2])


def _answers(model: ClientTableModel, text: str):
    found = model.text_matches(CompiledFilter(ClientFilter(text=text)))
    if found is None or found.everyone:
        return found and "everyone"
    split, split_ids = model._split(found)
    return list(found.positions), {k: [s.id for s in v] for k, v in split.items()}, split_ids


QUERIES = ["з", "а", "ё", "е", "7", "«", "завод", "ур", "мебель 1", "щ", "1", " "]


def _pair(rows, monkeypatch):
    """Two models of ``rows``: one with the letter index (made as the window's worker makes it), one without."""
    monkeypatch.setattr(search_module, "_LETTER_INDEX_FROM", 1)
    plain, indexed = ClientTableModel(today=lambda: TODAY), ClientTableModel(today=lambda: TODAY)
    plain.set_rows(rows)
    indexed.set_rows(rows)
    generation, work = indexed.letter_index_work()
    indexed.take_letter_index(generation, work())
    assert indexed._letters is not None
    plain._letters = None
    return plain, indexed


def test_the_model_answers_the_first_word_from_the_index_as_without_it(qtbot, monkeypatch):
    rows = _many_named(600)
    plain, indexed = _pair(rows, monkeypatch)
    calls = []
    real = LetterIndex.find
    monkeypatch.setattr(LetterIndex, "find", lambda self, *a: calls.append(a[0]) or real(self, *a))
    for text in QUERIES:
        assert _answers(indexed, text) == _answers(plain, text), text
    assert calls  # the index answered (not every text passed)
    # a move and an edit in place keep the index; its answers stay those of a pass over the texts
    rnd = random.Random(5)
    for _ in range(20):
        row = rnd.choice(indexed.summaries())
        moved = row._replace(stage=(row.stage + 1) % 5, search_text=row.search_text + " щука")
        for model in (plain, indexed):
            model.update_rows([row.id], [moved])
    assert indexed._letters is not None
    calls.clear()
    for text in [*QUERIES, "щука"]:
        assert _answers(indexed, text) == _answers(plain, text), text
    assert "щ" in calls


def test_rows_inserted_removed_or_sorted_drop_the_index_and_a_stale_one_is_not_taken(qtbot, monkeypatch):
    rows = _many_named(200)
    _plain, model = _pair(rows, monkeypatch)
    model.update_rows([rows[0].id], [rows[0]._replace(name="Яблоко", search_text="яблоко")])  # renamed: moves place
    assert model._letters is None
    generation, work = model.letter_index_work()
    index = work()
    model.update_rows([rows[1].id], [rows[1]._replace(stage=(rows[1].stage + 1) % 5)])  # meanwhile
    model.take_letter_index(generation, index)
    assert model._letters is None  # made from rows older than the shown ones
    generation, work = model.letter_index_work()
    model.take_letter_index(generation, work())
    assert model._letters is not None and model.letter_index_work() is None  # one is there: none made
    model.sort(3, clients_module.Qt.SortOrder.DescendingOrder)
    assert model._letters is None  # positions changed with the order
    model.update_rows([], [summary(99_999, "Новый клиент")])
    assert model.letter_index_work() is not None


def test_few_rows_make_no_index(qtbot):
    model = ClientTableModel(today=lambda: TODAY)
    model.set_rows(_many_named(50))
    assert model.letter_index_work() is None


def test_a_loaded_window_makes_the_letter_index_in_a_worker_and_searches_with_it(qtbot, db, tmp_path, monkeypatch):
    from tests.ui.test_search_keystroke import indexed_demo_window

    window, made = indexed_demo_window(qtbot, db, tmp_path, monkeypatch, "_LETTER_INDEX_FROM", LetterIndex)
    area = window.work_area
    assert made == [False] and area.clients._letters is not None
    first = area.clients.summaries()[0]
    letter = first.search_text[0]
    area.list_panel.search.setText(letter)
    area.list_panel.apply_filter()
    proxy = area.list_panel.proxy
    shown = {proxy.index(r, 0).data() for r in range(proxy.rowCount())}
    assert shown == {s.name for s in area.clients.summaries() if letter in s.search_text} and first.name in shown


def test_an_index_dropped_by_a_change_of_places_is_asked_for_once_per_rows(qtbot, monkeypatch):
    rows = _many_named(200)
    _plain, model = _pair(rows, monkeypatch)
    assert not model.letter_index_missing()  # there is one
    model.sort(3, clients_module.Qt.SortOrder.DescendingOrder)
    assert model.letter_index_missing()
    generation, work = model.letter_index_work()
    assert not model.letter_index_missing() and model.letter_index_work() is None  # being made: not twice
    model.update_rows([rows[1].id], [rows[1]._replace(stage=(rows[1].stage + 1) % 5)])  # the rows changed since
    assert model.letter_index_missing()
    model.take_letter_index(generation, work())
    assert model._letters is None  # too old
    generation, work = model.letter_index_work()
    model.take_letter_index(generation, work())
    assert model._letters is not None and not model.letter_index_missing()


def test_a_window_makes_the_index_again_after_a_sort_dropped_it(qtbot, db, tmp_path, monkeypatch):
    from app.services.demo import fill_demo
    from tests.ui.test_main_window import make_window
    from tests.ui.test_search_keystroke import made_on_threads
    from ui.work_area import WorkArea

    fill_demo(db)
    monkeypatch.setattr(search_module, "_LETTER_INDEX_FROM", 1)
    monkeypatch.setattr(WorkArea, "LETTERS_AFTER_MS", 10)
    made = made_on_threads(monkeypatch, LetterIndex)
    window = make_window(qtbot, db, tmp_path)
    window.wait_for_background()
    area = window.work_area
    assert made == [False]
    area.list_panel.proxy.sort(3, clients_module.Qt.SortOrder.DescendingOrder)  # the header clicked
    assert area.clients._letters is None
    qtbot.waitUntil(lambda: area.clients._letters is not None, timeout=5_000)
    assert made == [False, False]  # once more, in a worker
    letter = area.clients.summaries()[0].search_text[0]
    area.list_panel.search.setText(letter)
    area.list_panel.apply_filter()
    proxy = area.list_panel.proxy
    assert proxy.rowCount() == sum(1 for s in area.clients.summaries() if letter in s.search_text)


def test_characters_past_the_first_63_share_a_bit_and_are_still_found_exactly():
    """Texts of more than 64 distinct characters (Cyrillic, Latin, digits, signs): the rarer ones share one bit, so
    their rows are candidates whose texts are then tested — the answers stay a pass over every text's."""
    many = [chr(c) for c in range(0x430, 0x450)] + [chr(c) for c in range(ord("a"), ord("z") + 1)] + list("0123456789")
    many += list("«»№—–-.,;:!?()[]{}@#$%^&*+=/\\|~ßæøåéèêëïîœ")
    rnd = random.Random(3)
    rows = [Row(n, "".join(rnd.sample(many, 30)), n % 5) for n in range(300)]
    rows.append(Row(300, "".join(many), 2))  # every character in one text
    index = LetterIndex.make(rows)
    assert len(index._bits) > 64
    for token in [*many, "ab", "«»", "ß0", "ёж"]:
        assert index.find(token, rows) == brute(rows, token), token
    rows[5] = Row(5, "ææ øø", 4)
    index.change(5, rows[5])
    assert index.find("æ", rows) == brute(rows, "æ")
