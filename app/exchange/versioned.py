"""The version-based merge of bundles (format 2): the team sync's rules between two computers with no server.

docs/sync.md «Bundles» gives the design; in short:

* **Versions.** Each installation counts its exports with a Lamport counter (setting ``exchange.clock``):
  an export takes ``max(counter, every number seen in an import) + 1``. A bundle is the state of its records
  at (exporter, number). Wall clocks are never compared.
* **Bases.** ``exchange_base`` keeps, per peer and record, the values of the peer's latest export this
  installation has merged — a state both sides had, i.e. a common ancestor. A bundle carries its exporter's
  bases of every record (as the fields that differ from the record's values), so the importer also learns
  which of *its own* exports the exporter has merged.
* **The base of a merge** is the newest common ancestor: the importer's base for the exporter, the exporter's
  base for the importer, or an export of a third installation both have merged (same peer and number). A
  file already merged (its number not above the one remembered for its exporter) or made here merges
  against itself: nothing in it is newer than what is here.
* **The merge** is ``app.sync.merge.merge3`` with the file in the server's place: fields changed on one side
  take that side's value; the same field changed on both is a conflict recorded in ``sync_conflict`` (shown
  by ``sync conflicts``, closed by ``sync resolve``). The value kept by default is decided by a total order
  both computers compute alike (``keeps_here``): the side whose latest export is the higher (export number,
  installation id) keeps its value. A file whose sender had merged our latest export is always numbered
  above it, so its value is kept — the change that left its computer first, as the server's value is in a
  sync; two files crossing in the post (neither sender had the other's) give the same winner on both
  laptops, so one swap ends in one value. Append-only tables (work log, stage history) never conflict, except
  a work-log entry's billing mark (``merge.SHARED_MARKS``: two acts billing one entry are a «double_billing»
  conflict naming both acts by number) and the figures its act billed (``billed_edit``). Deleted in the file and edited here: the edit stays (``delete_edit``); deleted here and edited in
  the file: the record comes back (``edit_delete``); not edited since the base: the deletion holds.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, and_, delete, insert, or_, select
from sqlalchemy.orm import Session

from app.exchange.carried_bases import keep_carried_bases
from app.exchange.changeset import (
    ENCODERS,
    BundleError,
    Changeset,
    MergeReport,
    RowChange,
    TableSpec,
    VersionConflict,
    _Labels,
    decode,
    insert_rows,
    keep_fixed,
    note_existing,
    spec,
    table_specs,
)
from app.exchange.fast_insert import insert_many
from app.exchange.import_trail import ImportTrail
from app.i18n import _
from app.sync.merge import BOOKKEEPING, DOUBLE_BILLING, FieldConflict, merge3

if TYPE_CHECKING:
    from app.exchange.tombstones import TombstoneChange

CLOCK_KEY = "exchange.clock"
LAST_EXPORT_KEY = "exchange.last_export"  # this installation's own latest export number (not numbers seen)
LOCAL_ONLY = frozenset({"row_version"})  # the team server's version of the row: this computer's bookkeeping
IGNORED = BOOKKEEPING | LOCAL_ONLY
_CHUNK = 500
# a base's stored JSON (``json.dumps(data, ensure_ascii=False, sort_keys=True)``), the encoder made once
_BASE_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)

JsonRow = dict[str, Any]
GONE: JsonRow = {"\x00deleted": True}  # a base in which the record was deleted (compared by identity)


# ------------------------------------------------------------------ versions


def _t(name: str) -> Table:
    from app.persistence.models import Base

    return Base.metadata.tables[name]


def _setting(s: Session, key: str) -> str | None:
    t = _t("setting")
    return s.execute(select(t.c.value).where(t.c.key == key)).scalar()


def installation_id(s: Session) -> str:
    """This installation's id (lower case; '' when the database has none yet)."""
    return (_setting(s, "installation_id") or "").lower()


def _clock(s: Session) -> int:
    from sqlalchemy import func

    from app.persistence.models import ExchangeBase

    try:
        stored = int(_setting(s, CLOCK_KEY) or 0)
    except ValueError:
        stored = 0
    seen = s.scalar(select(func.max(ExchangeBase.version))) or 0
    return max(stored, int(seen))


def _set_clock(s: Session, value: int, key: str = CLOCK_KEY) -> None:
    # Core statements: bookkeeping, not an audited change of a setting
    t = _t("setting")
    s.execute(delete(t).where(t.c.key == key))
    s.execute(insert(t).values(key=key, value=str(value)))


def next_export_version(s: Session) -> int:
    """Take the number of a new export (in the caller's transaction): one more than every number this
    installation has made or seen."""
    version = _clock(s) + 1
    _set_clock(s, version)
    _set_clock(s, version, LAST_EXPORT_KEY)
    return version


def last_export(s: Session) -> int:
    """This installation's latest export number (0: none made, or made by a version that did not keep it)."""
    try:
        return int(_setting(s, LAST_EXPORT_KEY) or 0)
    except ValueError:
        return 0


def keeps_here(s: Session, source: str, version: int) -> bool:
    """Whether a field changed both here and in the file (export ``version`` of installation ``source``) keeps
    this installation's value: our latest export's (number, installation id) is above the file's.

    Both computers order the same two pairs, so two files crossing in the post resolve to the same value on
    both sides. A sender that had merged our latest export numbered its file above it (Lamport), so such a
    file — and every file when we never exported — wins, like the value that reached the team server first.
    Raises nothing; a file without a source never loses."""
    me = installation_id(s)
    if not source or not me:
        return False
    return (last_export(s), me) > (version, source.lower())


def observe(s: Session, version: int) -> None:
    """An imported file's number: later exports of ours are numbered above it (Lamport)."""
    if version > _clock(s):
        _set_clock(s, version)


# ------------------------------------------------------------------ values as JSON, in the changeset's keys


def as_json(table: str, values: dict[str, Any]) -> JsonRow:
    """Typed changeset values (references as UUIDs) as the JSON values a bundle carries."""
    columns, encoders = _json_encoders(table)
    # only money, dates and times change when encoded: the rest are taken as they are (issue 15: per row)
    return {k: v if v is None or (encoder := encoders.get(k)) is None else encoder(v) for k, v in values.items()
            if k in columns}


@cache
def _json_encoders(table: str) -> tuple[frozenset[str], dict[str, Any]]:
    """The changeset keys of ``table``, and those whose JSON form differs from the Python value with the
    function giving it (``changeset.ENCODERS``)."""
    return (frozenset(spec(table).by_key),
            {c.key: ENCODERS[c.kind] for c in spec(table).columns if c.kind in ("money", "date", "datetime")})


def from_json(table: str, values: JsonRow) -> dict[str, Any]:
    """The inverse of ``as_json`` (values already checked when the file was read)."""
    columns = spec(table).by_key
    return {k: None if v is None else decode(columns[k].kind, v, max_len=columns[k].max_len)
            for k, v in values.items() if k in columns}


def _chunks(items: list, size: int = _CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def local_values(s: Session, table_spec: TableSpec, rows: list) -> dict[str, dict[str, Any]]:
    """uuid -> the row's typed values in the changeset's keys (references as the parents' UUIDs)."""
    uuid_of: dict[str, dict[int, str]] = {}
    for ref in table_spec.refs:
        assert ref.ref_table is not None
        ids = sorted({r[ref.name] for r in rows if r[ref.name] is not None})
        target = spec(ref.ref_table).table
        known = uuid_of.setdefault(ref.name, {})
        for chunk in _chunks(ids):
            known.update({i: u for i, u in s.execute(select(target.c.id, target.c.uuid).where(target.c.id.in_(chunk)))})
    out = {}
    for r in rows:
        values: dict[str, Any] = {}
        for col in table_spec.columns:
            value = r[col.name]
            if col.ref_table and value is not None:
                value = uuid_of[col.name].get(value)
            values[col.key] = value
        out[r["uuid"]] = values
    return out


# ------------------------------------------------------------------ bases


def _any_exchange_base(s: Session) -> bool:
    t = _t("exchange_base")
    return s.execute(select(t.c.record_uuid).limit(1)).first() is not None


def _load_bases(s: Session, uuids: Iterable[str], *,
                probed: bool | None = None) -> dict[tuple[str, str], dict[str, tuple[int, JsonRow | None]]]:
    t = _t("exchange_base")
    out: dict[tuple[str, str], dict[str, tuple[int, JsonRow | None]]] = {}
    if not (_any_exchange_base(s) if probed is None else probed):  # never merged a file: no 500-name lookups
        return out
    for chunk in _chunks(sorted(set(uuids))):
        for peer, table, uuid, version, data in s.execute(select(
                t.c.peer, t.c.table_name, t.c.record_uuid, t.c.version, t.c.data).where(t.c.record_uuid.in_(chunk))):
            out.setdefault((table, uuid), {})[peer] = (int(version), json.loads(data) if data is not None else None)
    return out


def carried_bases(bases: dict[str, tuple[int, JsonRow | None]],
                  current: JsonRow) -> dict[str, tuple[int, JsonRow | None]]:
    """The bases a record travels with: per peer (export number, the base's fields that differ from the
    record's ``current`` JSON values; None for a base in which the record was deleted)."""
    return {peer: (version, None if data is None else {k: v for k, v in data.items() if current.get(k, v) != v})
            for peer, (version, data) in bases.items()}


@dataclass(frozen=True)
class BasesProbe:
    """Whether any record of a table here could have a merge base (``exchange``) or a sync base (``server``):
    three one-row reads, made once per table by an export that asks ``rows_bases`` chunk after chunk (at 5 000
    clients 843 chunks asked them again each, ~2 500 statements), valid while its transaction lasts."""

    exchange: bool
    server: bool

    @classmethod
    def of(cls, s: Session, table: str) -> BasesProbe:
        """The probe of ``table`` (a synced table's name) in ``s``'s current transaction."""
        return cls(_any_exchange_base(s), _may_have_server_bases(s, table))


def rows_bases(s: Session, table: str, rows: Iterable[tuple[str, JsonRow]], *,
               probe: BasesProbe | None = None) -> dict[str, dict[str, tuple[int, JsonRow | None]]]:
    """The bases this installation holds for a chunk of one table's records, given as (uuid, JSON values):
    uuid -> ``carried_bases`` for the records that have any (one query per 500 records). On a team's laptop a
    record's sync base — the server's state it last saw — travels too, as the peer ``SERVER_PEER``. ``probe``:
    ``BasesProbe.of(s, table)`` made earlier in the same transaction, so that each chunk does not probe again."""
    rows = list(rows)
    known = _load_bases(s, [uuid for uuid, _values in rows], probed=None if probe is None else probe.exchange)
    served = {} if probe is not None and not probe.server else server_states(s, table, [uuid for uuid, _values in rows])
    out = {}
    for uuid, current in rows:
        bases = dict(known.get((table, uuid), {}))
        if uuid in served:
            bases[SERVER_PEER] = served[uuid]
        if bases:
            out[uuid] = carried_bases(bases, current)
    return out


# The peer under which a record's bases carry the team server's state the exporter last synced (its sync base,
# app/sync/bases.py). Two laptops of one team that never swapped a file share that state: a bundle between them
# merges against it as the sync would (issue 17: a rename on one laptop only was a conflict). No installation has
# this id, so an older program ignores it (a third installation's export it never merged).
SERVER_PEER = "00000000-0000-4000-8000-000000000000"


def server_states(s: Session, table: str, uuids: list[str]) -> dict[str, tuple[int, JsonRow]]:
    """uuid -> (the server's version, the record's fields then, JSON-encoded as a bundle carries them) for the
    records of a synced ``table`` this laptop got from a team server; {} elsewhere and on a PostgreSQL database
    (two queries per 500 records, and one per parent not yet met in them)."""
    from app.sync.bases import read_bases

    if not uuids or not _may_have_server_bases(s, table):
        return {}
    columns = spec(table).by_key
    out = {}
    for uuid, (version, data) in read_bases(s.connection(), table, uuids).items():
        try:
            out[uuid] = (version, as_json(table, from_json(table, {k: v for k, v in data.items()
                                                                   if k in columns and k not in IGNORED})))
        except (ValueError, TypeError):
            continue  # not a state this program can compare: no server base for it
    return out


def _may_have_server_bases(s: Session, table: str) -> bool:
    """Whether any record of ``table`` here could have a sync base (a stored one, or a row the server versioned):
    two one-row index reads, so that a computer that never synced exports without looking each record up. False
    without a read for a table the sync does not carry and on a PostgreSQL database (the server keeps no bases)."""
    from app.persistence.models import SyncBase
    from app.sync.rows import TABLES

    if table not in TABLES or table not in {t.name for t in table_specs()} \
            or s.get_bind().dialect.name != "sqlite":  # a laptop's file: the server itself keeps no sync bases
        return False

    stored = s.execute(select(SyncBase.record_uuid).where(SyncBase.table_name == table).limit(1)).first()
    t = _t(table)
    return stored is not None or s.execute(select(t.c.uuid).where(t.c.row_version > 0).limit(1)).first() is not None


def tombstones_bases(s: Session, tombstones: list[TombstoneChange]) -> list[TombstoneChange]:
    """A chunk of tombstones, each deletion with the bases this installation holds for its record (in full:
    there are no current values to differ from); erasures carry none."""
    from dataclasses import replace

    known = _load_bases(s, [ts.uuid for ts in tombstones if ts.kind == "delete"])
    return [replace(ts, bases=dict(bases)) if ts.kind == "delete" and (bases := known.get((ts.table, ts.uuid)))
            else ts for ts in tombstones]


def attach_bases(s: Session, changeset: Changeset) -> Changeset:
    """The exporter's side: every record and tombstone gets the bases this installation holds for it (as the
    fields that differ from the record's values; a tombstone's in full). The export itself streams the same
    through ``rows_bases`` and ``tombstones_bases`` a chunk at a time (app/exchange/stream_export.py)."""
    tables: dict[str, list[RowChange]] = {}
    for name, rows in changeset.tables.items():
        out: list[RowChange] = []
        for chunk in _chunks(rows):
            carried = rows_bases(s, name, [(row.uuid, as_json(name, row.values)) for row in chunk])
            out.extend(RowChange(row.table, row.op, row.uuid, row.updated_at, row.values, carried[row.uuid])
                       if row.uuid in carried else row for row in chunk)
        tables[name] = out
    tombstones = [ts for chunk in _chunks(changeset.tombstones) for ts in tombstones_bases(s, chunk)]
    return Changeset(tables=tables, tombstones=tombstones, checklist_items=changeset.checklist_items,
                     checklist_deleted=changeset.checklist_deleted)


class _Bases:
    """Chooses the base of each record's merge for one import (see the module's docstring)."""

    def __init__(self, s: Session, me: str, source: str, version: int, uuids: Iterable[str],
                 keep_here: bool = False, on_team: bool = False) -> None:
        self.me, self.source, self.version = me, source, version
        self.keep_here = keep_here  # a field changed on both sides keeps our value (``keeps_here``)
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

    def merged_already(self, table: str, uuid: str) -> bool:
        """The file is ours, or an export of its source no newer than one merged here before."""
        if not self.source or self.source == self.me:
            return self.source == self.me
        known = self.local.get((table, uuid), {}).get(self.source)
        return known is not None and self.version <= known[0]

    def base(self, table: str, uuid: str, carried: dict[str, tuple[int, JsonRow | None]],
             incoming: JsonRow | None, here: JsonRow | None = None) -> JsonRow | None:
        """The newest common ancestor's values; ``GONE`` when in that ancestor the record was deleted; None
        when the two computers share no history of it.

        Ancestors are ordered by (export number, installation id), the order ``keeps_here`` decides by. Two
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
        if self.me in carried:  # our own export, merged by the exporter
            version, diff = carried[self.me]
            candidates.append(((version, self.me), GONE if diff is None else {**(incoming or {}), **diff}))
        mine = local.get(self.source)
        if mine is not None:  # the exporter's earlier export, merged here
            candidates.append(((mine[0], self.source), GONE if mine[1] is None else mine[1]))
        for peer, (version, _diff) in carried.items():  # a third installation's export both have merged
            other = local.get(peer)
            if peer not in (self.me, self.source) and other is not None and other[0] == version:
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


# ------------------------------------------------------------------ the merge


class _Conflicts:
    """Conflicts found by one import, written to ``sync_conflict`` like the team sync's; ``kept`` is 'file' or
    'here' (a sync's are 'server' or 'local'), so the lists can say «в файле» where a sync says «на сервере»."""

    def __init__(self, report: MergeReport) -> None:
        self.report = report
        self.rows: list[dict[str, Any]] = []
        self.open: dict[tuple[str, str, str], list[int]] | None = None  # a bundle's open conflicts (``settle``)
        self.settled: set[int] = set()  # those a later change in this file answered (closed by ``save``)

    def settle(self, s: Session, table: str, uuid: str, fields: Iterable[str]) -> None:
        """The file brought a change of these fields of the record (taken here, or met by a change here: a new
        conflict): an open bundle conflict of such a field is answered (a team server's field conflict too) — the other computer's later value (its
        choice in its own conflict list, a later edit) replaced the one it names, or a new conflict names both
        current values. Before, it stayed open saying «оставлено: здешнее» beside the file's value in the card,
        and choosing «--keep here» from it overwrote the other side's deliberate choice (tester L, item 2). A
        tick's group (done, day, who) is one conflict: any of its fields answers it. One query per import."""
        from app.persistence.models import SyncConflict
        from app.sync.answered import ANSWERED_KINDS
        from app.sync.merge import GROUPS

        if self.open is None:
            self.open = {}
            # a team server's field conflict too (a team laptop that takes a file): the file's later value answers
            # it as a sync's does (app/sync/answered.py) — before, it stayed listed naming the values it replaced
            for cid, name, record, field in s.execute(select(
                    SyncConflict.id, SyncConflict.table_name, SyncConflict.record_uuid, SyncConflict.field).where(
                    SyncConflict.resolved.is_(False), SyncConflict.field != "",
                    or_(SyncConflict.kept.in_(("file", "here")),
                        and_(SyncConflict.kept.in_(("server", "local")), SyncConflict.kind.in_(ANSWERED_KINDS))))):
                self.open.setdefault((name, record, field), []).append(cid)
        if not self.open:
            return
        wanted = set(fields)
        group = GROUPS.get(table, ())
        if wanted & set(group):
            wanted |= set(group)
        for field in wanted:
            self.settled.update(self.open.get((table, uuid, field), ()))

    def add(self, table: str, uuid: str, client_uuid: str, label: str, kind: str, field: str, here: Any,
            incoming: Any, kept: str, *, group: tuple[dict, dict] | None = None) -> None:
        """One conflict; ``group``: each side's whole group of a tick (app/sync/merge.py), kept for «resolve»."""
        from app.persistence.models import utcnow

        stored_here, stored_incoming = group if group is not None else (here, incoming)
        self.rows.append({"at": utcnow(), "table_name": table, "record_uuid": uuid, "client_uuid": client_uuid or "",
                          "kind": kind, "field": field,
                          "local_value": json.dumps(stored_here, ensure_ascii=False),
                          "server_value": json.dumps(stored_incoming, ensure_ascii=False), "kept": kept,
                          "resolved": False})
        self.report.conflicts.append(VersionConflict(table, uuid, label, kind, field, here, incoming, kept))

    def save(self, s: Session) -> None:
        """Write the conflicts; the members they name are looked up for the report (a name, never a login)."""
        from app.team.display import PERSON_FIELDS, author_names

        if self.settled:
            t = _t("sync_conflict")
            closed = sorted(self.settled)
            for start in range(0, len(closed), _CHUNK):
                s.execute(t.update().where(t.c.id.in_(closed[start:start + _CHUNK])).values(resolved=True))
            self.settled = set()
        if self.rows:
            s.execute(insert(_t("sync_conflict")), self.rows)
        logins = [str(v) for c in self.report.conflicts if c.field in PERSON_FIELDS for v in (c.here, c.incoming) if v]
        self.report.people.update(author_names(s, logins))


def apply_versioned(s: Session, changeset: Changeset, source: str, version: int, *, made_at,
                    from_team: bool = False) -> MergeReport:
    """Merge a format-2 changeset made by installation ``source`` in its export number ``version`` (caller's
    transaction; ``from_team``: made on a team's computer, see ``changeset.localize_series``). Every record first passes the forms' validation (``validate.check_changeset``); a date is
    refused only when it is later than both computers' clocks. Raises BundleError for what cannot be merged."""
    from app.exchange.versioned_stream import chunks_of, merge_chunks

    head = Changeset(tombstones=changeset.tombstones, checklist_items=changeset.checklist_items,
                     checklist_deleted=changeset.checklist_deleted)
    deletes = [r for rows in changeset.tables.values() for r in rows if r.op == "delete"]
    ticked = {r.values.get("code") for r in changeset.rows("checklist_state") if r.values.get("done")}
    return merge_chunks(s, head, deletes, chunks_of(changeset), ticked, source, version, made_at=made_at,
                        from_team=from_team)


def _settle_restored(s: Session, rows: list[dict[str, Any]]) -> None:
    """A deletion made here that this import undid (deleted here, edited in the file, a client's with the records
    its deletion took; a billed entry's soft deletion): its audit line is dropped, or answered by a «restored by the
    file's import» line when a team server has it already (app/team/restored.py)."""
    from app.team.hooks import author_of
    from app.team.restored import RESTORE_FILE, candidates, settle, with_records

    records = with_records(s.connection(), candidates(rows))
    if records:
        settle(s.connection(), records, author_of(s), action=RESTORE_FILE)
    from app.team import overridden

    lost = overridden.candidates(rows)  # an edit here that lost a field's conflict to the file: not the last word
    if lost:
        overridden.settle(s.connection(), lost, author_of(s), action=overridden.KEPT_FILE)


def _tombstones(s: Session, tombstones: list, guard, bases: _Bases, conflicts: _Conflicts, report: MergeReport,
                labels: _Labels) -> None:
    """Deletions and erasures of the file, children before parents. An erasure always wins (issue 12); a
    deletion removes the record here unless it was edited here since the common base (then it stays, as a
    ``delete_edit`` conflict — nothing typed is lost).

    A client the merge keeps (``_kept_clients``: changed here, or something of it changed or added here) keeps
    every record its deletion there took with it: the tombstones of its cascade (the client's own time and UUID)
    are not applied, and the client's one conflict says how many stayed (``report.with_client``). Before, the
    children's tombstones came first and deleted its work, contacts and ticks under a conflict that said «kept»
    (the tester's report of 2026-12-05: 60 unbilled entries gone). A record deleted there on its own before
    (another time) is deleted as any record is."""
    from app.persistence.tracking import client_record_uuids, record_tombstones

    connection = s.connection()
    order = {t.name: n for n, t in enumerate(table_specs())}
    kept = _kept_clients(s, tombstones, bases)  # client UUID -> its deletion's time in the file
    for ts in sorted(tombstones, key=lambda ts: (-order[ts.table], ts.uuid)):
        table_spec = spec(ts.table)
        table = table_spec.table
        local = connection.execute(select(table).where(table.c.uuid == ts.uuid)).mappings().first()
        if ts.kind == "erase":
            record_tombstones(connection, [(ts.uuid, ts.table)], "erase", ts.at, ts.client_uuid)
            guard.incoming_erase[ts.uuid] = ts.at
            guard.erased.setdefault(ts.uuid, ts.at)
            if ts.table == "client" and local is not None:
                connection.execute(table.update().where(table.c.id == local["id"]).values(signer_name=""))
            continue
        bases.remember(ts.table, ts.uuid, None)
        if local is None:
            record_tombstones(connection, [(ts.uuid, ts.table)], "delete", ts.at, ts.client_uuid)
            guard.deleted.setdefault(ts.uuid, ts.at)
            continue
        if bases.merged_already(ts.table, ts.uuid):
            continue  # an older deletion than what was merged here since: the record came back for a reason
        current = as_json(ts.table, local_values(s, table_spec, [local])[ts.uuid])
        client_uuid = ts.uuid if ts.table == "client" else str(current.get("client_uuid") or "")
        with_client = ts.table != "client" and _with_client(ts, client_uuid, kept)
        if with_client:
            report.with_client[client_uuid] += 1  # went with the client there, stays with it here
        if _edited(current, bases.base(ts.table, ts.uuid, ts.bases, None)) or ts.uuid in kept:
            label = labels.label(ts.table, dict(local))
            conflicts.add(ts.table, ts.uuid, client_uuid, label, "delete_edit", "", "edited", "deleted", "here")
            continue
        if with_client:
            continue
        rows = client_record_uuids(connection, local["id"]) if ts.table == "client" else [(ts.uuid, ts.table)]
        record_tombstones(connection, rows, "delete", ts.at, ts.client_uuid or ts.uuid)
        trail = ImportTrail(s, ts.table, _file_key(bases))
        trail.removed(ts.uuid, str(current.get("client_uuid") or ""), dict(local))
        trail.write()
        connection.execute(table.delete().where(table.c.id == local["id"]))
        report.deleted[ts.table] += 1
        guard.deleted.setdefault(ts.uuid, ts.at)


def _edited(current: JsonRow, base: JsonRow | None) -> bool:
    """Whether a record here changed since the common base (none, or one where it was deleted: changed)."""
    return base is None or base is GONE or not _same(current, base)


def _with_client(ts: TombstoneChange, client_uuid: str, kept: dict[str, Any]) -> bool:
    """Whether the file's deletion of a record went with the deletion of its client, which the merge keeps here:
    the same client, at the client's time (``tracking.went_with``)."""
    from app.persistence.tracking import went_with

    return client_uuid in kept and ts.client_uuid == client_uuid and went_with(ts.at, kept[client_uuid])


def _kept_clients(s: Session, tombstones: list, bases: _Bases) -> dict[str, Any]:
    """The clients the file deletes that stay here (delete against edit), UUID -> the deletion's time: the card
    changed here since the common base, or a record of it that the file deletes with it changed here, or one it
    does not know (added here: the other computer deleted the client without it). Decided before any record is
    deleted, since the tombstones go children first."""
    from app.persistence.tracking import client_record_uuids

    deletions = {ts.uuid: ts for ts in tombstones if ts.kind == "delete" and ts.table == "client"}
    if not deletions:
        return {}
    connection = s.connection()
    client = spec("client")
    # the file's deletions of their records (a hand-made «delete» row names no client: looked up)
    by_client: dict[str, list] = {}
    for ts in tombstones:
        if ts.kind == "delete" and ts.table != "client" and (ts.client_uuid in deletions or not ts.client_uuid):
            by_client.setdefault(ts.client_uuid, []).append(ts)
    known = {ts.uuid for ts in tombstones}
    tables = {t.name for t in table_specs()}
    kept: dict[str, Any] = {}
    for uuid, ts in deletions.items():
        local = connection.execute(select(client.table).where(client.table.c.uuid == uuid)).mappings().first()
        if local is None or bases.merged_already("client", uuid):
            continue
        current = as_json("client", local_values(s, client, [local])[uuid])
        if _edited(current, bases.base("client", uuid, ts.bases, None)):
            kept[uuid] = ts.at
            continue
        if any(u not in known for u, name in client_record_uuids(connection, local["id"]) if name in tables):
            kept[uuid] = ts.at  # something of it was added here: the other computer deleted it without that
            continue
        for child in by_client.get(uuid, []) + by_client.get("", []):
            table_spec = spec(child.table)
            row = connection.execute(select(table_spec.table).where(
                table_spec.table.c.uuid == child.uuid)).mappings().first()
            if row is None or row["client_id"] != local["id"] or bases.merged_already(child.table, child.uuid):
                continue
            values = as_json(child.table, local_values(s, table_spec, [row])[child.uuid])
            if _edited(values, bases.base(child.table, child.uuid, child.bases, None)):
                kept[uuid] = ts.at
                break
    return kept


def _merge_table(s: Session, table_spec: TableSpec, changes: list[RowChange], guard, bases: _Bases,
                 conflicts: _Conflicts, id_map: dict[str, dict[str, int]], report: MergeReport,
                 labels: _Labels, *, marks=None) -> None:
    """Merge one table's rows (or a chunk of them: ``marks``, a ``versioned_stream.Watermarks``, tells the rows
    an earlier chunk added or met)."""
    from app.exchange.tombstones import Refusal
    from app.persistence.tracking import went_with

    t = table_spec.table
    name = table_spec.name
    local_rows: dict[str, Any] = {}
    for chunk in _chunks(sorted({c.uuid for c in changes})):
        local_rows.update({r["uuid"]: r for r in s.execute(select(t).where(t.c.uuid.in_(chunk))).mappings()})
    if marks is not None:
        marks.check(name, local_rows)

    # references: incoming UUIDs -> local ids (rows merged just before, or already here)
    for ref in table_spec.refs:
        assert ref.ref_table is not None
        known = id_map.setdefault(ref.ref_table, {})
        wanted = {c.values.get(ref.key) for c in changes} - known.keys() - {None}
        target = spec(ref.ref_table).table
        for chunk in _chunks(sorted(wanted)):
            known.update({u: i for i, u in s.execute(select(target.c.id, target.c.uuid).where(target.c.uuid.in_(chunk)))})

    def typed_columns(change_values: dict[str, Any], uuid: str) -> dict[str, Any]:
        values = {}
        for col in table_spec.columns:
            if col.key not in change_values:
                continue
            value = change_values[col.key]
            if col.ref_table and value is not None:
                local_id = id_map[col.ref_table].get(value)
                if local_id is None:
                    raise BundleError(_("The file is inconsistent: {record} refers to a record that is neither "
                                        "in the file nor here.").format(record=labels.label(name, change_values)))
                value = local_id
            values[col.name] = value
        return values

    if name == "client":
        labels.client_names.update({r["id"]: r["name"] for r in local_rows.values()})
    trail = ImportTrail(s, name, _file_key(bases))  # the lines a flush would write (app/exchange/import_trail.py)
    here_all = local_values(s, table_spec, list(local_rows.values()))
    here_clients = _ClientUuids(s)
    bases.load_server(s, name, [c.uuid for c in changes if SERVER_PEER in c.bases and c.uuid in local_rows])
    accepted = []
    for change in changes:
        reason = guard.refusal(change)
        if reason is not None:
            report.refused.append(Refusal(name, change.uuid, labels.label(name, change.values), reason))
            continue
        accepted.append(guard.keep_erased(change))
    typed = {c.uuid: typed_columns(c.values, c.uuid) for c in accepted}  # once per row (issue 15)
    natural = _NaturalKeys(s, table_spec, [typed[c.uuid] for c in accepted if c.uuid not in local_rows],
                           marks=marks)
    inserts: list[dict[str, Any]] = []
    carried_bases: dict[str, tuple[int, dict[str, Any]]] = {}  # new here: the server's state the file carried
    for change in accepted:
        values = typed[change.uuid]
        label_values = dict(values)
        local = local_rows.get(change.uuid)
        here_values = here_all.get(change.uuid)
        met_by_key = local is None  # two records made apart meet as one: that is no edit for the trail
        if local is None:
            local = natural.match(values, labels, report, change.uuid)
            if local is not None:
                here_values = local_values(s, table_spec, [local])[local["uuid"]]
        incoming = as_json(name, change.values)
        if local is None:
            base = bases.base(name, change.uuid, change.bases, incoming)
            bases.remember(name, change.uuid, incoming)
            if change.uuid in guard.deleted:
                owner = str(change.values.get("client_uuid") or "")
                # deleted here with its client (the client's own time), which this file brings back: it comes
                # back with it, under the client's one conflict
                with_client = name != "client" and owner in guard.came_back \
                    and went_with(guard.deleted[change.uuid], guard.deleted.get(owner))
                # not edited there since the common base: the deletion holds; the exporter kept it after seeing
                # our deletion (base GONE) or edited it: it comes back
                if not with_client and (base is None or (base is not GONE and _same(incoming, base))):
                    guard.refused.add(change.uuid)
                    report.refused.append(Refusal(name, change.uuid, labels.label(name, values),
                                                  guard.deleted_reason(change.uuid)))
                    continue
                # deleted here, edited there: the edit comes back (the team sync's rule)
                tombstone = _t("tombstone")
                s.execute(delete(tombstone).where(tombstone.c.uuid == change.uuid, tombstone.c.kind == "delete"))
                if with_client:
                    report.with_client[owner] += 1
                else:
                    conflicts.add(name, change.uuid, change.uuid if name == "client" else owner,
                                  labels.label(name, values), "edit_delete", "", "deleted", "edited", "file")
                    if name == "client":
                        guard.came_back.add(change.uuid)
            inserts.append({"uuid": change.uuid, "updated_at": change.updated_at, **values})
            report.added[name] += 1
            server_state = change.bases.get(SERVER_PEER)
            if bases.on_team and server_state is not None and server_state[1] is not None:
                carried_bases[change.uuid] = (server_state[0], from_json(name, server_state[1]))
            if change.uuid not in guard.deleted:  # a deletion undone is said by app/team/restored.py
                trail.added(change.uuid, str(change.values.get("client_uuid") or ""), values, change.bases)
            continue
        note_existing(name, change.uuid, local, id_map, report, labels)
        # a record met by its natural key is named as it is here (a client's name here, not the file's other one)
        label = labels.label(name, dict(local) if met_by_key else {**dict(local), **label_values})
        here = as_json(name, here_values or {})
        incoming = keep_fixed(name, here, incoming)  # an issued document keeps what it was issued with
        keys = [k for k in incoming if k not in LOCAL_ONLY]
        mine = {k: here.get(k) for k in keys}
        theirs = {k: incoming[k] for k in keys}
        base = bases.base(name, change.uuid, change.bases, incoming, mine)
        server = bases.server_base(name, change.uuid, change.bases, incoming)
        bases.remember(name, change.uuid, incoming)
        if base is GONE:  # deleted in that ancestor, here now: no usable base
            base = None
        found: list[FieldConflict]
        if guard.forced(change):  # the file erased its personal data: the anonymised version wins
            merged, found = {**mine, **theirs}, []
        else:
            # each candidate is a state both computers had: the nearer (fewer conflicts) is the newer ancestor
            candidates = [None if base is None else {k: base[k] for k in keys if k in base}]
            if server is not None:
                candidates.append({k: server[k] for k in keys if k in server})
            merged, found = min((merge3(name, c, mine, theirs, local_wins=bases.keep_here, symmetric=True) for c in candidates),
                                key=lambda result: len(result[1]))
        taken = tuple(k for k in keys if k not in IGNORED and k in merged and merged[k] != mine.get(k))
        # the client as this computer knows it: a client met by its ИНН (or a tick met by its client and item) has
        # the file's UUID there and this computer's here — the conflict list names the client by the one here
        # (tester L, item 3: «—» for the file's UUID)
        client_uuid = str(local["uuid"]) if name == "client" else here_clients.uuid_of(
            local.get("client_id"), str(incoming.get("client_uuid") or ""))
        if taken or found:  # a later change of a field answers its open conflict of an earlier file
            conflicts.settle(s, name, local["uuid"], (*taken, *(c.field for c in found)))
        for c in found:
            # the changeset's key: a column's name, or «entry_uuid» for a reference (which «sync resolve
            # --keep local» then only closes: it never writes a UUID into an id column); a double billing
            # names both acts by their numbers, as the team sync does
            here_value, file_value = (_act_code(s, c.local), _act_code(s, c.server)) if c.kind == DOUBLE_BILLING \
                else (c.local, c.server)
            kept_here = bases.keep_here if c.kept_local is None else c.kept_local
            conflicts.add(name, local["uuid"], client_uuid, label, c.kind, c.field, here_value, file_value,
                          "here" if kept_here else "file", group=c.group)
        if not taken:
            if not found:
                report.unchanged += 1
            continue
        update = typed_columns(from_json(name, {k: merged[k] for k in (*taken, *(k for k in BOOKKEEPING
                                                                                   if k in merged))}),
                               change.uuid)
        update["updated_at"] = max(local["updated_at"], change.updated_at)
        s.execute(t.update().where(t.c.id == local["id"]).values(**update))
        # a conflict is listed once, under «Конфликты»; «изменено по файлу» is what changed there only
        only_there = tuple(k for k in taken if k not in {c.field for c in found})
        # the trail too: a conflict's field gets its own line when it is settled (app/team/restored.py)
        if only_there and not met_by_key and not trail.the_teams(change.bases, list(only_there)):
            before = from_json(name, {k: mine.get(k) for k in only_there})
            after = from_json(name, {k: merged[k] for k in only_there})
            for k in only_there:
                trail.changed(local["uuid"], client_uuid, table_spec.by_key[k].name, before.get(k), after.get(k))
        if only_there:
            report.changed.append((label, only_there))
    insert_rows(s, table_spec, inserts, id_map, report, labels, ids=None if marks is None else name == "client")
    trail.write()
    keep_carried_bases(s, name, carried_bases)  # its first sync merges against it (app/exchange/carried_bases.py)


def matched_label(labels: _Labels, here: dict[str, Any], incoming: dict[str, Any]) -> str:
    """A client of the file met here by its ИНН, as the report lists it: by its name here, and the file's name
    beside it when the two differ («Заказчик «ООО «Ромашка» 7707083893» (в файле: ООО «Ромашка-2»)»)."""
    label = labels.label("client", here)
    if (incoming.get("name") or "") not in ("", here.get("name") or ""):
        label = _("{client} (in the file: {name})").format(client=label, name=incoming["name"])
    return label


class _ClientUuids:
    """This computer's client UUID of a local client id, one query per client asked (cached)."""

    def __init__(self, s: Session) -> None:
        self.s = s
        self.known: dict[int, str] = {}

    def uuid_of(self, client_id: object, default: str) -> str:
        """The UUID here of client ``client_id`` (``default`` when there is none: a record with no client)."""
        if not isinstance(client_id, int):
            return default
        if client_id not in self.known:
            t = _t("client")
            self.known[client_id] = str(self.s.execute(select(t.c.uuid).where(t.c.id == client_id)).scalar() or "")
        return self.known[client_id] or default


def _file_key(bases: _Bases) -> str:
    """«exporter:export number» of the file being imported ('' for a file that names no exporter)."""
    return f"{bases.source}:{bases.version}" if bases.source else ""


def _act_code(s: Session, uuid: object) -> str:
    """«АУ-7/2026» (another installation's: «АУ-7/2026 (установка 3f2a)») of the document with this UUID here;
    '' when it is not here."""
    from app.services.documents.register import document_code

    t = _t("document")
    row = s.execute(select(t.c.kind, t.c.number, t.c.year, t.c.series).where(t.c.uuid == str(uuid))).first()
    return document_code(row.kind, row.number, row.year, row.series or "") if row is not None else ""


class _NaturalKeys:
    """Rows made independently here with the same natural key (a client's ИНН, one tick per client and code)
    as the file's new rows: merged as one record; a different record with the same non-reference key (a
    document number) is refused. Loaded once per table (a query per 500 keys)."""

    def __init__(self, s: Session, table_spec: TableSpec, candidates: list[dict[str, Any]], *, marks=None) -> None:
        self.spec = table_spec
        self.marks = marks  # a streamed import: a row an earlier chunk added is the file's own (``match``)
        self.index: dict[tuple[str, ...], dict[tuple, Any]] = {}
        self.pending: dict[tuple[tuple[str, ...], tuple], str] = {}
        t = table_spec.table
        for key_cols in table_spec.natural_keys:
            firsts = sorted({v.get(key_cols[0]) for v in candidates} - {None}, key=str)
            index: dict[tuple, Any] = {}
            for chunk in _chunks(firsts):
                for r in s.execute(select(t).where(t.c[key_cols[0]].in_(chunk))).mappings():
                    index[tuple(r[c] for c in key_cols)] = r
            self.index[key_cols] = index

    def match(self, values: dict[str, Any], labels: _Labels, report: MergeReport, uuid: str):
        from app.exchange.changeset import field_title

        name = self.spec.name
        for key_cols, index in self.index.items():
            key = tuple(values.get(c) for c in key_cols)
            if None in key:
                continue
            found = index.get(key)
            if found is not None and self.marks is not None and self.marks.inserted(name, found):
                raise BundleError(_("The file contains two records for {label}.").format(
                    label=labels.label(name, values)))
            if found is not None:
                if name != "client" and not any(self.spec.column(c).ref_table for c in key_cols):
                    raise BundleError(_("{label} in the file clashes with a different record here with the same "
                                        "{fields}.").format(label=labels.label(name, values),
                                                            fields=", ".join(map(field_title, key_cols))))
                if name == "client":
                    report.matched.append(matched_label(labels, dict(found), values))
                return found
            if (key_cols, key) in self.pending:
                raise BundleError(_("The file contains two records for {label}.").format(
                    label=labels.label(name, values)))
            self.pending[(key_cols, key)] = uuid
        return None


