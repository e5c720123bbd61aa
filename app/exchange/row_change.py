"""One row's change (``RowChange``) and its JSON form, with the merge bases it carries.

The unit of exchange is a ``RowChange`` (table, op, uuid, updated_at, values). References between
client-owned rows travel as UUIDs (``client_id`` becomes ``client_uuid``), so a changeset means the same
on every installation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.exchange.table_specs import spec
from app.exchange.value_codec import _enc_datetime, encode


@dataclass(frozen=True, slots=True)  # slots: a large file holds hundreds of thousands of these
class RowChange:
    """One row's change: ``values`` are typed Python values keyed as in the changeset (refs as UUIDs)."""

    table: str
    op: str
    uuid: str
    updated_at: datetime
    values: dict[str, Any] = field(default_factory=dict)
    # format 2: the common ancestors the exporter knows, peer installation -> (its export number, the fields of
    # the record as that export had them where they differ from ``values``, JSON-encoded); see app/exchange/versioned.py
    # (None instead of the fields: that export had the record deleted)
    bases: dict[str, tuple[int, dict[str, Any] | None]] = field(default_factory=dict)

    def as_json(self) -> dict:
        data: dict[str, Any] = {"op": self.op, "uuid": self.uuid, "updated_at": _enc_datetime(self.updated_at)}
        if self.op == "upsert":
            cols = {c.key: c for c in spec(self.table).columns}
            data["values"] = {k: encode(cols[k].kind, v) for k, v in self.values.items()}
        if self.bases:
            data["bases"] = encode_bases(self.bases)
        return data


def encode_bases(bases: dict[str, tuple[int, dict[str, Any] | None]]) -> dict[str, dict[str, Any]]:
    """``bases`` as a bundle carries them: {peer: {"version": n, "values": {...}} or {"version": n, "deleted": true}}."""
    return {peer: {"version": v, "deleted": True} if values is None else {"version": v, "values": values}
            for peer, (v, values) in bases.items()}
