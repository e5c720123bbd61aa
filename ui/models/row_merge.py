"""A delta reload's rows merged into the list's shown order; in name order, computed by the worker that read them.

A reload after a data change reads only the clients whose stamp changed (app.services.list_read). Merging
thousands of them — a CSV import of 5 000 clients — needs the sort keys of every new name (a collation key each,
~8 µs) and a sort: ~80 ms of the UI thread at 5 000 clients. ``MergePlanner`` takes what the merge needs from
the model on the UI thread (a copy of the shown order: references only) and the worker computes the new order
with a collator of its own; the model takes it when its rows did not change meanwhile (``MergePlan.generation``),
else merges on the UI thread as before."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any, NamedTuple

from app.domain.client_summary import ID_OF, STAGE_OF, ClientSummary

PLACE_MOST = 256  # rows of a merge put in place one by one (binary search) at most; more: one sort


class StageIndex(NamedTuple):
    """One board column's rows made ready for its model (ui.models.kanban_columns): ``ids`` in the bucket's
    order and ``rows`` (the bucket itself). Shared by the client model and a column: neither changes them in
    place (a column copies before it does). No id map and no texts: a column finds its cards by row and bisection,
    its string list holds empty texts, and makes an id map only for its first refresh card by card (the maps and
    the ids as text were 2.6 MB of the peak at 50 000 clients, and ~5 ms of the merge's worker)."""

    ids: list[int]
    rows: list[ClientSummary]


def stage_index(rows: list[ClientSummary]) -> StageIndex:
    """The StageIndex of a stage's rows (in the order given): one C-level pass, ~1 ms at 10 000 rows."""
    return StageIndex(list(map(ID_OF, rows)), rows)


class MergePlan(NamedTuple):
    """``rows``: the merged order of every client; ``generation``: the model's rows generation it was computed
    from (``ClientTableModel._rows_generation``); ``row_of`` (id → index in ``rows``), ``stage_counts``,
    ``by_stage`` (``stage_buckets``) and ``stage_indexes`` (a ``StageIndex`` of each bucket, for the board's
    columns): the model's indexes of these rows, made in the worker too."""

    generation: int
    rows: list[ClientSummary]
    row_of: dict[int, int]
    stage_counts: dict[int, int]
    by_stage: dict[int, list[ClientSummary]]
    stage_indexes: dict[int, StageIndex]


def stage_buckets(rows: list[ClientSummary]) -> dict[int, list[ClientSummary]]:
    """stage → the rows at that stage, in the order of ``rows``."""
    buckets: dict[int, list[ClientSummary]] = {}
    for s in rows:
        bucket = buckets.get(s.stage)
        if bucket is None:
            buckets[s.stage] = [s]
        else:
            bucket.append(s)
    return buckets


def merged_order(shown: list[ClientSummary], row_of: dict[int, int], rows: list[ClientSummary],
                 gone: list[int], key: Callable[[ClientSummary], Any], by_name: bool,
                 descending: bool = False) -> list[ClientSummary]:
    """``shown`` (in ``key`` order; ``row_of``: id → its index there) with ``rows`` replacing or joining theirs
    and the ids ``gone`` left out, in ``key`` order (reversed when ``descending``). A row whose place cannot
    change — the same name in name order (``by_name``), else the same key — is replaced where it is; the others
    are placed by binary search, or, beyond PLACE_MOST, by one sort of the whole list. ``shown`` is not changed."""
    shown = list(shown)
    drop, placed = set(gone), []
    for new in rows:
        at = row_of.get(new.id)
        old = shown[at] if at is not None else None
        if old is not None and (old.name == new.name if by_name else key(old) == key(new)):
            shown[at] = new  # type: ignore[index]  # at is set when old is
            continue
        if old is not None:
            drop.add(new.id)  # its old row leaves; the new one is placed below
        placed.append(new)
    if drop:
        shown = [s for s in shown if s.id not in drop]
    if len(placed) > PLACE_MOST:
        return sorted_by(shown + placed, key, descending)
    for new in placed:
        shown.insert(insert_position(shown, key(new), key, descending), new)
    return shown


def sorted_by(rows: list[ClientSummary], key: Callable[[ClientSummary], Any],
              descending: bool = False) -> list[ClientSummary]:
    """``rows`` in ``key`` order, each key computed once (no Python call per comparison); stable."""
    keys = [key(s) for s in rows]
    order = sorted(range(len(rows)), key=keys.__getitem__, reverse=descending)
    return [rows[i] for i in order]


def sorted_from_name_order(named: list[ClientSummary], value: Callable[[ClientSummary], Any] | None,
                           descending: bool = False) -> list[ClientSummary]:
    """``named`` (rows in name order: ``sort_key``) in the order of (``value``, name order) — reversed whole when
    ``descending``, as ``sorted_by`` with keys (value, sort_key) would put them: one stable sort by the value alone
    (no collation key compared; the rows of equal values keep their name order, reversed for a descending sort).
    ``value`` None: by name alone."""
    base = named[::-1] if descending else named
    return list(base) if value is None else sorted(base, key=value, reverse=descending)


def insert_position(rows: list[ClientSummary], wanted, key: Callable[[ClientSummary], Any],
                    descending: bool = False) -> int:
    """Where a row whose key is ``wanted`` goes in ``rows`` (in ``key`` order): before the first greater one."""
    low, high = 0, len(rows)
    while low < high:
        mid = (low + high) // 2
        other = key(rows[mid])
        # only `<`: collation keys (QCollatorSortKey) have no `>` (a descending sort's tie raised TypeError)
        if (wanted < other) if descending else (other < wanted):
            low = mid + 1
        else:
            high = mid
    return low


class MergePlanner:
    """Made on the UI thread from a model in name order; ``plan(rows, gone)`` runs in a worker and gives the
    merged order (``MergePlan``) with sort keys from the worker's own collator (``ui.models.names.worker_key``):
    QCollator is not shared between threads."""

    def __init__(self, shown: list[ClientSummary], row_of: dict[int, int], generation: int) -> None:
        # the model replaces its id index (never changes it in place) and may change its rows list: a copy
        self._shown, self._row_of, self._generation = list(shown), row_of, generation

    def plan(self, rows: list[ClientSummary], gone: list[int]) -> MergePlan:
        from ui.models.names import worker_sort_key

        merged = merged_order(self._shown, self._row_of, rows, gone, worker_sort_key(), by_name=True)
        by_stage = stage_buckets(merged)
        return MergePlan(self._generation, merged, dict(zip(map(ID_OF, merged), range(len(merged)), strict=True)),
                         dict(Counter(map(STAGE_OF, merged))), by_stage,
                         {stage: stage_index(bucket) for stage, bucket in by_stage.items()})
