"""Changesets: clients' records as row changes per table keyed by UUID, and their JSON form.

A changeset holds ``RowChange``s (app/exchange/row_change.py) per table, tombstones and the user's checklist
items. Bundles carry one changeset; a later live sync can send the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.exchange.bundle_error import BundleError
from app.exchange.row_change import RowChange, encode_bases
from app.exchange.row_decode import _decode_row
from app.exchange.table_specs import table_specs
from app.i18n import _, format_number

MAX_ROWS = 2_000_000


@dataclass
class Changeset:
    """Row changes per table, in parent-before-child order, and tombstones of deleted or erased records
    (``tombstones.TombstoneChange``)."""

    tables: dict[str, list[RowChange]] = field(default_factory=dict)
    tombstones: list[Any] = field(default_factory=list)
    # the checklist items added by a user there (app/exchange/checklist_items.py), so their ticks land here
    checklist_items: list[dict[str, Any]] = field(default_factory=list)
    # and those of them deleted there ([{"uuid", "bases"}]), so a deletion travels as through the team server
    checklist_deleted: list[dict[str, Any]] = field(default_factory=list)

    def rows(self, table: str) -> list[RowChange]:
        return self.tables.get(table, [])

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.tables.items() if rows}

    def as_json(self) -> dict:
        data: dict[str, Any] = {"tables": {name: [r.as_json() for r in rows] for name, rows in self.tables.items()
                                           if rows}}
        if self.checklist_items:
            data["checklist_template"] = [_item_json(i) for i in self.checklist_items]
        if self.checklist_deleted:
            data["checklist_template_deleted"] = [_item_json(i) for i in self.checklist_deleted]
        if self.tombstones:
            data["tombstones"] = [ts.as_json() for ts in self.tombstones]
        return data

    @classmethod
    def from_json(cls, data: Any, *, consume: bool = False) -> Changeset:
        """Decode and validate every value; any problem refuses the whole changeset. ``consume``: each raw row
        of ``data["tables"]`` is dropped (set to None) once decoded, so the file's JSON and its decoded rows are
        not held whole side by side (the caller's ``data`` is then spent)."""
        if not isinstance(data, dict) or not isinstance(data.get("tables"), dict):
            raise BundleError(_("The file's contents are not in the expected format."))
        known = {s.name: s for s in table_specs()}
        unknown = [name for name in data["tables"] if name not in known]
        if unknown:
            raise BundleError(_("The file contains records of an unknown kind: {names}. It was probably made by "
                                "a newer version of the program.").format(names=", ".join(map(str, unknown))[:200]))
        result = cls()
        total = 0
        for table_spec in table_specs():
            raw_rows = data["tables"].get(table_spec.name) or []
            if not isinstance(raw_rows, list):
                raise BundleError(_("The file's contents are not in the expected format."))
            total += len(raw_rows)
            if total > MAX_ROWS:
                raise BundleError(_("The file has too many records (more than {n}).").format(n=format_number(MAX_ROWS)))
            seen: set[str] = set()
            rows = []
            for index, raw in enumerate(raw_rows):
                row = _decode_row(table_spec, raw)
                if consume:
                    raw_rows[index] = None
                if row.uuid in seen:
                    raise BundleError(_("The file contains the record {uuid} twice.").format(uuid=row.uuid))
                seen.add(row.uuid)
                rows.append(row)
            if rows:
                result.tables[table_spec.name] = rows
        result.decode_head(data, total)
        return result

    def decode_head(self, data: dict, total: int) -> None:
        """Decode the members beside the tables (tombstones, checklist items) of ``data`` into this changeset;
        ``total``: the number of the file's rows. BundleError for anything malformed or too many records."""
        raw_tombstones = data.get("tombstones") or []
        if not isinstance(raw_tombstones, list):
            raise BundleError(_("The file's contents are not in the expected format."))
        if total + len(raw_tombstones) > MAX_ROWS:
            raise BundleError(_("The file has too many records (more than {n}).").format(n=format_number(MAX_ROWS)))
        from app.exchange.tombstones import TombstoneChange

        self.tombstones = [TombstoneChange.from_json(raw) for raw in raw_tombstones]
        from app.exchange.checklist_items import parse, parse_deleted

        self.checklist_items = parse(data.get("checklist_template"))
        self.checklist_deleted = parse_deleted(data.get("checklist_template_deleted"))


def _item_json(item: dict[str, Any]) -> dict[str, Any]:
    """A checklist item entry as the bundle carries it (bases encoded, none left out)."""
    bases = item.get("bases")
    out = {k: v for k, v in item.items() if k != "bases"}
    if bases:
        out["bases"] = bases if all(isinstance(b, dict) for b in bases.values()) else encode_bases(bases)
    return out
