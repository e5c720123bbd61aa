"""The base of each record's merge in one import: the newest common ancestor (app/exchange/versioned.py)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.exchange.fast_insert import insert_many
from app.exchange.versioned_bases import SERVER_PEER, _load_bases, server_states
from app.exchange.versioned_values import IGNORED, JsonRow, _chunks, _t

# a base's stored JSON (``json.dumps(data, ensure_ascii=False, sort_keys=True)``), the encoder made once
_BASE_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)

GONE: JsonRow = {"\x00deleted": True}  # a base in which the record was deleted (compared by identity)


class _Bases:
    """Chooses the base of each record's merge for one import (see app/exchange/versioned.py's docstring)."""

    def __init__(self, s: Session, me: str, source: str, version: int, uuids: Iterable[str],
                 keep_here: bool = False, on_team: bool = False) -> None:
        from app.exchange.versioned_clock import copied_from

        self.me, self.source, self.version = me, source, version
        # a copied file: the original's exports up to ``upto`` are its own history (app/sync/file_home.py)
        self.origin, self.upto = copied_from(s)
        self.keep_here = keep_here  # a field changed on both sides keeps our value (``versioned_clock.keeps_here``)
        self.on_team = on_team  # this computer syncs with a team server (its versions are the file's server's)
        t = _t("exchange_base")
        self.none_here = s.execute(select(t.c.record_uuid).limit(1)).first() is None  # never merged a file
        self.local = _load_bases(s, uuids)
        self.loaded = set(uuids)  # read before this import wrote any base (``load_more`` leaves them)
        self.served: dict[tuple[str, str], tuple[int, JsonRow]] = {}  # our sync bases (``load_server``)
        self.seen: dict[tuple[str, str], JsonRow | None] = {}  # what to remember for the source after the merge

    def load_more(self, s: Session, uuids: Iterable[str]) -> None:
        """Read the bases of more records (a streamed import's next chunk): none when this installation had
        none before the import (those this import wrote are of other records)."""
        wanted = [u for u in uuids if u not in self.loaded]
        if wanted and not self.none_here:
            found = _load_bases(s, wanted)
            self.local.update({key: value for key, value in found.items() if key not in self.local})

    def load_server(self, s: Session, table: str, uuids: list[str]) -> None:
        """Our sync bases of the records of ``table`` whose file rows carry the server's state."""
        self.served.update({(table, uuid): state for uuid, state in server_states(s, table, uuids).items()})

    def server_base(self, table: str, uuid: str, carried: dict[str, tuple[int, JsonRow | None]],
                    incoming: JsonRow) -> JsonRow | None:
        """A state of the team server both computers had (the exporter's sync base carried as ``SERVER_PEER``,
        ours): the same version with the same fields; or, on a team's computer, the lower of two versions (the
        server's history is one line, so the state at the lower version is an ancestor of both). None when
        there is none."""
        theirs, mine = carried.get(SERVER_PEER), self.served.get((table, uuid))
        if theirs is None or theirs[1] is None or mine is None:
            return None
        their_values = {**incoming, **theirs[1]}
        if theirs[0] == mine[0]:
            same = all(their_values.get(k) == v for k, v in mine[1].items() if k not in IGNORED)
            return their_values if same else None
        if not self.on_team:
            return None
        return their_values if theirs[0] < mine[0] else mine[1]

    def ours(self, peer: str, version: int) -> bool:
        """Whether export ``version`` of ``peer`` is this file's own history: made here, or (in a copy) made by
        the original before the copy (tester T, 2026-12-06: an older bundle of the original was merged into the
        copy with no base, its edits since taken for conflicts)."""
        return bool(peer) and (peer == self.me or (peer == self.origin and version <= self.upto))

    def merged_already(self, table: str, uuid: str) -> bool:
        """The file is ours (:meth:`ours`), or an export of its source no newer than one merged here before."""
        if not self.source or self.ours(self.source, self.version):
            return bool(self.source)
        known = self.local.get((table, uuid), {}).get(self.source)
        return known is not None and self.version <= known[0]

    def base(self, table: str, uuid: str, carried: dict[str, tuple[int, JsonRow | None]],
             incoming: JsonRow | None, here: JsonRow | None = None) -> JsonRow | None:
        """The newest common ancestor's values; ``GONE`` when in that ancestor the record was deleted; None
        when the two computers share no history of it.

        Ancestors are ordered by (export number, installation id), the order ``versioned_clock.keeps_here``
        decides by. Two
        files that crossed in the post are both ancestors of every later file, and neither of the other: the
        state both computers reached after that swap holds, field by field, one of their values — the winner's
        of a field both changed, the only changer's of another. So with ``here`` (our values) each field takes
        the newest ancestor's value that makes it no conflict against the file, else the newest's (a tick's
        group as one). Before, the two crossing exports had one number and the first found was taken: our own,
        so the winner's later edit of the field it won met our copy of its earlier value as a change here
        («здесь Сочи, в файле Геленджик», tester M, item 3)."""
        if incoming is not None and self.merged_already(table, uuid):
            return incoming
        local = self.local.get((table, uuid), {})
        candidates: list[tuple[tuple[int, str], JsonRow]] = []
        own = [peer for peer in (self.me, self.origin) if peer in carried and self.ours(peer, carried[peer][0])]
        for peer in own:  # our own export (or, in a copy, the original's before the copy), merged by the exporter
            version, diff = carried[peer]
            candidates.append(((version, peer), GONE if diff is None else {**(incoming or {}), **diff}))
        mine = local.get(self.source)
        if mine is not None:  # the exporter's earlier export, merged here
            candidates.append(((mine[0], self.source), GONE if mine[1] is None else mine[1]))
        for peer, (version, _diff) in carried.items():  # a third installation's export both have merged
            other = local.get(peer)
            if peer not in (self.me, self.source, *own) and other is not None and other[0] == version:
                candidates.append(((version, peer), GONE if other[1] is None else other[1]))
        if not candidates:
            return None
        candidates.sort(key=lambda c: c[0], reverse=True)
        newest = candidates[0][1]
        states = [data for _order, data in candidates if data is not GONE]
        if here is None or incoming is None or newest is GONE or len(states) < 2:
            return newest
        return _nearest(table, states, here, incoming)

    def remember(self, table: str, uuid: str, values: JsonRow | None) -> None:
        if self.source and self.source != self.me:
            self.seen[(table, uuid)] = values

    def save(self, s: Session, *, flush: bool = False) -> None:
        """The file's records become this installation's bases for its source (never an older export's).
        ``flush``: what was saved is forgotten (a streamed import saves after each chunk)."""
        t = _t("exchange_base")
        seen = self.seen
        keys = list(seen)
        for chunk in _chunks(keys):
            fresh = []
            for table, uuid in chunk:
                known = self.local.get((table, uuid), {}).get(self.source)
                if known is not None and known[0] >= self.version:
                    continue
                data = seen[(table, uuid)]
                fresh.append({"peer": self.source, "table_name": table, "record_uuid": uuid, "version": self.version,
                              "data": None if data is None else _BASE_JSON.encode(data)})
            for table in {r["table_name"] for r in fresh}:
                # none before this import: only a base it saved already (a tombstone's) can be replaced
                uuids = [r["record_uuid"] for r in fresh if r["table_name"] == table
                         and (not self.none_here or r["record_uuid"] in self.loaded)]
                if not uuids:
                    continue
                s.execute(delete(t).where(t.c.peer == self.source, t.c.table_name == table,
                                          t.c.record_uuid.in_(uuids)))
            insert_many(s.connection(), t, fresh)
        if flush:
            self.seen = {}
            for key in keys:
                if key[1] not in self.loaded:
                    self.local.pop(key, None)
                self.served.pop(key, None)


def _nearest(table: str, states: list[JsonRow], here: JsonRow, incoming: JsonRow) -> JsonRow:
    """A base made of common ancestors' values (``states``, newest first): each field (a group of fields as one,
    ``merge.GROUPS``) from the newest state that leaves it no conflict between ``here`` and ``incoming``, else
    from the newest. Both computers hold the same ancestors, so both merge alike."""
    from app.sync.merge import GROUPS

    out = dict(states[0])
    group = tuple(GROUPS.get(table, ()))
    units = [group] if group else []
    units += [(k,) for k in sorted({k for state in states for k in state}) if k not in group and k not in IGNORED]
    for unit in units:
        for state in states:
            if not all(k in state for k in unit):
                continue
            changed_here = any(here.get(k) != state[k] for k in unit)
            changed_there = any(incoming.get(k) != state[k] for k in unit)
            if not (changed_here and changed_there) or all(here.get(k) == incoming.get(k) for k in unit):
                out.update({k: state[k] for k in unit})
                break
    return out


def _same(values: JsonRow, base: JsonRow) -> bool:
    """The record holds the base's values (bookkeeping aside): not edited since the common ancestor."""
    return all(values.get(k) == v for k, v in base.items() if k not in IGNORED and k in values)


def _file_key(bases: _Bases) -> str:
    """«exporter:export number» of the file being imported ('' for a file that names no exporter)."""
    return f"{bases.source}:{bases.version}" if bases.source else ""
