"""Tombstones in bundles, and the import guard that never brings back what was deleted or erased here.

A tombstone says «record U of table T was deleted» or «…had its personal data erased», with when and
whose (the client's UUID). Export carries the tombstones of the exported clients (all of them with
--all); import first applies the file's tombstones (a deletion newer than our version deletes it here
too; an erasure always wins), then ``Guard.refusal`` turns away every record that

- was deleted here (a tombstone), or belongs to a record turned away;
- is a contact or employee whose personal data were erased here, or was added to an erased client
  before the erasure (the client's signer is kept as erased);
- is dated after the file was made or after now (a laptop whose clock ran ahead must not win).

What was turned away is listed in the import report with the reason; nothing is silently dropped.
A format-2 bundle (version-based merge, app/exchange/versioned.py) uses the guard only for erasures and for
records whose parent was turned away: no stamp is compared with a clock (validate.check_changeset refuses
only dates later than both computers' clocks), and whether a record deleted here comes back is the version
merge's decision (a delete against an edit).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from app.exchange.bundle_error import BundleError
from app.exchange.row_change import RowChange
from app.exchange.table_specs import spec, table_specs
from app.exchange.value_codec import decode
from app.i18n import _

KINDS = ("delete", "erase")
PERSONAL = ("contact", "employee")  # rows that are personal data as a whole
CLIENT_PERSONAL = ("signer_name",)  # the client's own personal fields, blanked by an erasure
CLOCK_SLACK = timedelta(seconds=1)  # the manifest's time may be cut to whole seconds


@dataclass(frozen=True)
class TombstoneChange:
    """One tombstone as it travels: the record's table and UUID, delete or erase, when, and whose."""

    table: str
    uuid: str
    kind: str
    at: datetime
    client_uuid: str = ""
    # format 2: the record as the exporter's peers last had it, peer -> (export number, JSON values); the
    # importer compares its own copy with these to tell a delete against an edit (app/exchange/versioned_deletions.py)
    bases: dict[str, tuple[int, dict[str, Any] | None]] = field(default_factory=dict, compare=False)

    def as_json(self) -> dict:
        data: dict[str, Any] = {"table": self.table, "uuid": self.uuid, "kind": self.kind,
                                "at": self.at.isoformat(timespec="microseconds"), "client_uuid": self.client_uuid}
        if self.bases:
            from app.exchange.row_change import encode_bases

            data["bases"] = encode_bases(self.bases)
        return data

    @classmethod
    def from_json(cls, raw: Any) -> TombstoneChange:
        """Decode one tombstone; BundleError naming the problem for anything malformed."""
        bad = BundleError(_("The file contains an invalid deletion record: {value}.").format(value=repr(raw)[:80]))
        if not isinstance(raw, dict):
            raise bad
        known = {s.name for s in table_specs()}
        try:
            table, kind = raw.get("table"), raw.get("kind")
            if table not in known or kind not in KINDS:
                raise ValueError
            client = raw.get("client_uuid") or ""
            uuid = decode("uuid", raw.get("uuid"))
            at = decode("datetime", raw.get("at"))
            client_uuid = decode("uuid", client) if client else ""
        except (ValueError, TypeError, OverflowError):
            raise bad from None
        from app.exchange.row_decode import decode_bases

        return cls(table=str(table), uuid=uuid, kind=str(kind), at=at, client_uuid=client_uuid,
                   bases=decode_bases(str(table), uuid, raw.get("bases")))


def _table() -> Table:
    from app.persistence.models import Tombstone

    return Tombstone.__table__  # type: ignore[return-value]


def collect_tombstones(s: Session, client_uuids: list[str] | None) -> list[TombstoneChange]:
    """Tombstones to export: all of them (``client_uuids`` None) or those of the given clients."""
    t = _table()
    # the deleted checklist items travel in their own member (app/exchange/checklist_items.py)
    query = select(t.c.table_name, t.c.uuid, t.c.kind, t.c.at, t.c.client_uuid).where(
        t.c.table_name != "checklist_template").order_by(t.c.id)
    if client_uuids is None:
        rows = list(s.execute(query))
    else:
        rows = []
        for start in range(0, len(client_uuids), 500):
            rows.extend(s.execute(query.where(t.c.client_uuid.in_(client_uuids[start:start + 500]))))
    back = _back(s, rows)
    return [TombstoneChange(table=r[0], uuid=r[1], kind=r[2], at=r[3], client_uuid=r[4]) for r in rows
            if r[2] != "delete" or (r[0], r[1]) not in back]  # an erasure's record stays, anonymised: it travels


def _back(s: Session, rows: list) -> set[tuple[str, str]]:
    """The tombstoned records that are here again (a deletion a sync or an import undid: delete against edit):
    their tombstones must not travel — a file carrying a record and its own tombstone was refused everywhere,
    even by an empty database (the trial of 2026-12-01)."""
    from app.persistence.models import Base

    by_table: dict[str, list[str]] = {}
    for r in rows:
        if r[2] == "delete":
            by_table.setdefault(str(r[0]), []).append(str(r[1]))
    back: set[tuple[str, str]] = set()
    for name, uuids in by_table.items():
        table = Base.metadata.tables.get(name)
        if table is None or "uuid" not in table.c:
            continue
        for start in range(0, len(uuids), 500):
            back.update((name, u) for u in s.execute(select(table.c.uuid).where(
                table.c.uuid.in_(uuids[start:start + 500]))).scalars())
    return back


@dataclass(frozen=True)
class Refusal:
    """A record of the file that was not brought in, and why (for the report)."""

    table: str
    uuid: str
    label: str
    reason: str


@dataclass
class Guard:
    """What this database remembers as deleted or erased, and the file's times, for one merge."""

    made_at: datetime | None
    now: datetime | None  # None: the file is merged by versions, our clock decides nothing (format 2)
    deleted: dict[str, datetime] = field(default_factory=dict)  # uuid -> when deleted here
    erased: dict[str, datetime] = field(default_factory=dict)  # uuid -> when erased here
    incoming_erase: dict[str, datetime] = field(default_factory=dict)  # erased by the file's installation
    refused: set[str] = field(default_factory=set)
    # format 2: the clients deleted here that the file brings back (delete against edit): the records deleted here
    # with them come back with them (app/exchange/versioned_table.py)
    came_back: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, s: Session, uuids: set[str], *, made_at: datetime | None, now: datetime | None) -> Guard:
        guard = cls(made_at=made_at, now=now)
        t = _table()
        items = sorted(uuids)
        for start in range(0, len(items), 500):
            for uuid, kind, at in s.execute(select(t.c.uuid, t.c.kind, t.c.at).where(
                    t.c.uuid.in_(items[start:start + 500]))):
                (guard.deleted if kind == "delete" else guard.erased)[uuid] = at
        return guard

    def load_more(self, s: Session, uuids: set[str], upto: int | None) -> None:
        """What this database remembered of more records before the import (a streamed import's next chunk: the
        tombstones with ids up to ``upto``, the highest before; None: there were none); what the guard knows
        already (the file's tombstones among it) stays as it is."""
        if upto is None:
            return
        t = _table()
        items = sorted(uuids - self.deleted.keys() - self.erased.keys())
        for start in range(0, len(items), 500):
            for uuid, kind, at in s.execute(select(t.c.uuid, t.c.kind, t.c.at).where(
                    t.c.uuid.in_(items[start:start + 500]), t.c.id <= upto)):
                (self.deleted if kind == "delete" else self.erased).setdefault(uuid, at)

    def refusal(self, change: RowChange) -> str | None:
        """Why this upsert must not come in, or None; ``self.refused`` grows with every refused UUID."""
        reason = self._reason(change)
        if reason is not None:
            self.refused.add(change.uuid)
        return reason

    def _reason(self, change: RowChange) -> str | None:
        stamp = change.updated_at
        if change.uuid in self.deleted and self.now is not None:  # (format 2: the version merge decides)
            return _("it was deleted here on {when}").format(when=_day(self.deleted[change.uuid]))
        for col in spec(change.table).refs:
            parent = change.values.get(col.key)
            if parent in self.refused:
                return _("the record it belongs to was not brought in either")
        if self.made_at is not None and stamp > self.made_at + CLOCK_SLACK:
            return _("it is dated {when}, after the file was made ({made})").format(
                when=_stamp(stamp), made=_stamp(self.made_at))
        if self.now is not None and stamp > self.now + CLOCK_SLACK:
            return _("it is dated {when}, later than now (the other computer's clock is probably ahead)").format(
                when=_stamp(stamp))
        if change.table in PERSONAL:
            if change.uuid in self.erased and change.uuid not in self.incoming_erase:
                return _("its personal data were erased here on {when}").format(when=_day(self.erased[change.uuid]))
            client = change.values.get("client_uuid")
            erased_at = self.erased.get(client) if isinstance(client, str) else None
            if erased_at is not None and change.uuid not in self.erased and stamp <= erased_at \
                    and client not in self.incoming_erase:
                return _("it dates from before the personal data of its client were erased here on {when}").format(
                    when=_day(erased_at))
        return None

    def deleted_reason(self, uuid: str) -> str:
        """«it was deleted on D, and this computer holds that deletion» for a record this database remembers as
        deleted — by a deletion made here or one an earlier file brought (a tombstone does not say which: «удалено
        здесь» was untrue of the other computer's deletion, tester L, item 12)."""
        when = self.deleted.get(uuid)
        return _("it was deleted on {when}, and this computer holds that deletion").format(
            when=_day(when) if when else "—")

    def keep_erased(self, change: RowChange) -> RowChange:
        """A client erased here keeps its erased personal fields whatever the file says."""
        if change.table != "client" or change.uuid not in self.erased or change.uuid in self.incoming_erase:
            return change
        values = {k: v for k, v in change.values.items() if k not in CLIENT_PERSONAL}
        return RowChange(change.table, change.op, change.uuid, change.updated_at, values, change.bases)

    def forced(self, change: RowChange) -> bool:
        """The file erased this record's personal data: its (anonymised) version wins whatever the stamps."""
        return change.uuid in self.incoming_erase


def _day(value: datetime) -> str:
    return value.strftime("%d.%m.%Y")


def _stamp(value: datetime) -> str:
    return value.strftime("%d.%m.%Y %H:%M")


def apply_incoming(s: Session, tombstones: list[TombstoneChange], guard: Guard, report) -> None:
    """Apply the file's tombstones before its records: deletions newer than our version delete the record
    here (with everything a client owns) and are remembered; erasures are remembered and win."""
    from app.persistence.tracking import client_record_uuids, record_tombstones

    connection = s.connection()
    order = {s.name: n for n, s in enumerate(table_specs())}
    # children before their parents: every deleted record is counted once, whatever the file's order
    for ts in sorted(tombstones, key=lambda ts: (-order[ts.table], ts.at, ts.uuid)):
        table = spec(ts.table).table
        local = connection.execute(select(table.c.id, table.c.updated_at).where(table.c.uuid == ts.uuid)).first()
        if ts.kind == "erase":
            record_tombstones(connection, [(ts.uuid, ts.table)], "erase", ts.at, ts.client_uuid)
            guard.incoming_erase[ts.uuid] = ts.at
            guard.erased.setdefault(ts.uuid, ts.at)
            if ts.table == "client" and local is not None:
                connection.execute(table.update().where(table.c.id == local[0]).values(signer_name=""))
            continue
        if local is not None and local[1] > ts.at:
            report.kept_deleted.append(ts)  # our version is newer than their deletion: it stays
            continue
        if local is not None:
            rows = (client_record_uuids(connection, local[0]) if ts.table == "client"
                    else [(ts.uuid, ts.table)])
            record_tombstones(connection, rows, "delete", ts.at, ts.client_uuid or ts.uuid)
            connection.execute(table.delete().where(table.c.id == local[0]))
            report.deleted[ts.table] += 1
        else:
            record_tombstones(connection, [(ts.uuid, ts.table)], "delete", ts.at, ts.client_uuid)
        guard.deleted.setdefault(ts.uuid, ts.at)
