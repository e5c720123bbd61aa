"""The merge bases an installation holds and an export carries (app/exchange/versioned.py «Bases»)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.exchange.changeset import Changeset
from app.exchange.row_change import RowChange
from app.exchange.table_specs import spec, table_specs
from app.exchange.versioned_values import IGNORED, JsonRow, _chunks, _t, as_json, from_json

if TYPE_CHECKING:
    from app.exchange.tombstones import TombstoneChange


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
