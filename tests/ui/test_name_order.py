"""The list's name order remembered between starts (ui.models.name_order): taken only for the same rows."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ui.models import name_order, names
from ui.models.names import presorted


@dataclass(frozen=True)
class Row:
    id: int
    name: str


NAMES = ["ООО «Ромашка»", "АО Ромашка", "ИП Ёлкин", "Яблоко", "ООО «Ёлка»", "ЗАО «10 станков»", "ЗАО «9 станков»",
         "ромашка", "ПАО «Альфа»", "Альфа"]


def rows() -> list[Row]:
    return [Row(i + 1, name) for i, name in enumerate(sorted(NAMES))]  # as SQL gives them: by the bytes


@pytest.fixture
def no_keys(monkeypatch):
    """Forget the per-name keys of earlier calls; count the keys computed."""
    monkeypatch.setattr(names, "_keys", {})
    computed: list[str] = []
    real = names.split_legal_form

    def counted(name: str):
        computed.append(name)
        return real(name)

    monkeypatch.setattr(names, "split_legal_form", counted)
    return computed


def test_the_order_of_the_last_start_is_taken_for_the_same_rows(tmp_path, no_keys, monkeypatch):
    cache = tmp_path / "cache" / "order.bin"
    first = presorted(rows(), cache)
    assert [r.id for r in first] == [r.id for r in presorted(rows())]  # the same as without a cache
    assert cache.is_file() and len(no_keys) == len(NAMES)
    monkeypatch.setattr(names, "_keys", {})
    no_keys.clear()
    again = presorted(rows(), cache)
    assert again == first and no_keys == []  # no key computed


@pytest.mark.parametrize("change", ["renamed", "added", "removed", "language", "damaged", "truncated"])
def test_the_order_is_computed_again_when_its_inputs_changed(tmp_path, no_keys, monkeypatch, change):
    from app import i18n

    cache = tmp_path / "order.bin"
    presorted(rows(), cache)
    now = rows()
    if change == "renamed":  # «Яблоко» → «Абрикос»: same ids and count, another order
        now = [Row(r.id, "Абрикос") if r.name == "Яблоко" else r for r in now]
    elif change == "added":
        now.append(Row(99, "Бета"))
    elif change == "removed":
        now = now[1:]
    elif change == "language":
        monkeypatch.setattr(i18n, "_language", "en")
    elif change == "damaged":  # a position out of range in place of another
        data = bytearray(cache.read_bytes())
        data[-4:] = (10_000).to_bytes(4, "little")
        cache.write_bytes(bytes(data))
    else:
        cache.write_bytes(cache.read_bytes()[:-2])
    monkeypatch.setattr(names, "_keys", {})
    no_keys.clear()
    got = presorted(now, cache)
    monkeypatch.setattr(names, "_keys", {})
    assert [r.id for r in got] == [r.id for r in presorted(now)]
    assert no_keys  # computed, not taken from the file


def test_an_unwritable_cache_only_costs_the_keys(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    got = presorted(rows(), blocker / "order.bin")
    assert [r.id for r in got] == [r.id for r in presorted(rows())]


def test_the_file_is_named_by_the_database_and_kept_private(tmp_path, monkeypatch):
    import os
    import stat

    monkeypatch.setenv("VNEDRENIE_DATA_DIR", str(tmp_path / "data"))
    one, other = name_order.order_file(tmp_path / "a.sqlite3"), name_order.order_file(tmp_path / "b.sqlite3")
    assert one != other and one.parent == tmp_path / "data" / "cache"
    presorted(rows(), one)
    if os.name == "posix":
        assert stat.S_IMODE(one.stat().st_mode) == 0o600
        assert stat.S_IMODE(one.parent.stat().st_mode) == 0o700
