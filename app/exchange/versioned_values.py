"""A record's values in the version-based merge (app/exchange/versioned.py): as a bundle's JSON, in the changeset's keys.

Also the helpers the merge's modules share: a table by name, and lookups 500 keys at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from app.exchange.table_specs import TableSpec, spec
from app.exchange.value_codec import ENCODERS, decode
from app.sync.merge import BOOKKEEPING

LOCAL_ONLY = frozenset({"row_version"})  # the team server's version of the row: this computer's bookkeeping
IGNORED = BOOKKEEPING | LOCAL_ONLY
_CHUNK = 500

JsonRow = dict[str, Any]


def _t(name: str) -> Table:
    from app.persistence.models import Base

    return Base.metadata.tables[name]


def as_json(table: str, values: dict[str, Any]) -> JsonRow:
    """Typed changeset values (references as UUIDs) as the JSON values a bundle carries."""
    columns, encoders = _json_encoders(table)
    # only money, dates and times change when encoded: the rest are taken as they are (issue 15: per row)
    return {k: v if v is None or (encoder := encoders.get(k)) is None else encoder(v) for k, v in values.items()
            if k in columns}


@cache
def _json_encoders(table: str) -> tuple[frozenset[str], dict[str, Any]]:
    """The changeset keys of ``table``, and those whose JSON form differs from the Python value with the
    function giving it (``value_codec.ENCODERS``)."""
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
