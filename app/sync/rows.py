"""Synced rows as plain JSON dicts keyed by UUID: foreign keys travel as the parent's UUID, never a local id.

``read_rows``/``write_row`` work on any connection (the laptop's SQLite or the server); ids differ between
the two, UUIDs do not. Values: dates and times ISO text, money as text («1234.50»), booleans as booleans."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Table, func, select
from sqlalchemy.engine import Connection

from app.persistence.models import Base

# In dependency order: parents before children (pull applies in this order, deletions in reverse); a
# work-log entry refers to the act that billed it, so documents come before the work log. User-added checklist
# items (only those: the shipped ones have no uuid and never travel — see TRAVELS) come last: a tick names its
# item by code, not by a foreign key, so the order between them does not matter (one sync brings both).
TABLES = ("client", "contact", "employee", "stage_event", "checklist_state", "lesson_progress", "estimate",
          "document", "work_log", "planned_event", "question", "audit_log", "checklist_template")
# column -> (parent table, payload key)
FOREIGN = {"client_id": ("client", "client_uuid"), "entry_id": ("work_log", "entry_uuid"),
           "billed_by_document_id": ("document", "billed_by_document_uuid")}
LOCAL_ONLY = frozenset({"id", "row_version"})
# per table, columns that are each installation's own: a checklist item's place in its stage's list
LOCAL_COLUMNS = {"checklist_template": frozenset({"position"})}
# rows of a table that travel at all (SQL, true for a row that does); other rows are never read by a sync
TRAVELS = {"checklist_template": "uuid IS NOT NULL"}
# natural keys: two laptops creating "the same" record offline meet on the server as one record
NATURAL_KEYS = {"client": ("inn",), "checklist_state": ("client_uuid", "code"),
                "lesson_progress": ("client_uuid", "lesson_code", "employee_uuid"),
                # the UUID is derived from the code (models.template_uuid); the code still matches a row made
                # by hand on the server with another UUID
                "checklist_template": ("code",)}


def table(name: str) -> Table:
    return Base.metadata.tables[name]


def to_json(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


_KINDS: dict[object, object] = {}


def _kind(column):
    kind = _KINDS.get(column)
    if kind is None:
        try:
            kind = column.type.python_type
        except NotImplementedError:
            kind = object
        _KINDS[column] = kind
    return kind


def from_json(column, value):
    if value is None:
        return None
    kind = _kind(column)
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    if kind is Decimal:
        return Decimal(str(value))
    if kind is bool:
        return bool(value)
    if kind is int:
        return int(value)
    return value


class IdMap:
    """UUID <-> id of the parents on one connection (cached; ``remember`` after an insert)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._by_uuid: dict[str, dict[str, int]] = {}
        self._by_id: dict[str, dict[int, str]] = {}
        self._positions: dict[int, int] = {}

    def _load(self, parent: str, uuids: list[str] | None = None, ids: list[int] | None = None) -> None:
        t = table(parent)
        query = select(t.c.id, t.c.uuid)
        if uuids is not None:
            query = query.where(t.c.uuid.in_(uuids))
        if ids is not None:
            query = query.where(t.c.id.in_(ids))
        for row_id, uuid in self.conn.execute(query):
            self.remember(parent, uuid, row_id)

    def remember(self, parent: str, uuid: str, row_id: int) -> None:
        self._by_uuid.setdefault(parent, {})[uuid] = row_id
        self._by_id.setdefault(parent, {})[row_id] = uuid

    def forget(self, parent: str, uuid: str) -> None:
        row_id = self._by_uuid.get(parent, {}).pop(uuid, None)
        if row_id is not None:
            self._by_id.get(parent, {}).pop(row_id, None)

    def id_of(self, parent: str, uuid: str) -> int | None:
        if uuid not in self._by_uuid.get(parent, {}):
            self._load(parent, uuids=[uuid])
        return self._by_uuid.get(parent, {}).get(uuid)

    def uuid_of(self, parent: str, row_id: int) -> str | None:
        if row_id not in self._by_id.get(parent, {}):
            self._load(parent, ids=[row_id])
        return self._by_id.get(parent, {}).get(row_id)

    def next_position(self, stage: int) -> int:
        """The place at the end of ``stage``'s checklist for an item arriving here (counts the arrivals of
        this map's transaction, so several items in one batch keep their order)."""
        if stage not in self._positions:
            t = table("checklist_template")
            last = self.conn.execute(select(func.max(t.c.position)).where(t.c.stage == stage)).scalar()
            self._positions[stage] = int(last or 0)
        self._positions[stage] += 1
        return self._positions[stage]

    def preload(self, parent: str) -> None:
        self._load(parent)

    def load_ids(self, parent: str, ids) -> None:
        """Fetch the UUIDs of these ids in chunks (one query per 500, not one per row)."""
        wanted = [i for i in ids if i is not None and i not in self._by_id.get(parent, {})]
        for start in range(0, len(wanted), 500):
            self._load(parent, ids=wanted[start:start + 500])

    def load_uuids(self, parent: str, uuids) -> None:
        """Fetch the ids of these UUIDs in chunks."""
        wanted = [u for u in uuids if u and u not in self._by_uuid.get(parent, {})]
        for start in range(0, len(wanted), 500):
            self._load(parent, uuids=wanted[start:start + 500])


def payload(name: str, row, ids: IdMap) -> dict:
    """A row (mapping) as its sync payload (no id, no row_version; foreign ids as UUIDs)."""
    out = {}
    local = LOCAL_COLUMNS.get(name, frozenset())
    for key, value in row.items():
        if key in LOCAL_ONLY or key in local:
            continue
        if key in FOREIGN:
            parent, field = FOREIGN[key]
            out[field] = ids.uuid_of(parent, value) if value is not None else None
            continue
        out[key] = to_json(value)
    return out


def values_for(name: str, data: dict, ids: IdMap) -> dict | None:
    """Column values for ``data`` on this connection; None when a parent is not there (not visible/deleted)."""
    t = table(name)
    values: dict[str, object] = {}
    local = LOCAL_COLUMNS.get(name, frozenset())
    for column in t.columns:
        key = column.key
        if key in LOCAL_ONLY or key in local:
            continue
        if key in FOREIGN:
            parent, field = FOREIGN[key]
            uuid = data.get(field)
            if uuid is None:
                values[key] = None
                continue
            parent_id = ids.id_of(parent, uuid)
            if parent_id is None:
                if key == "client_id":
                    return None
                values[key] = None  # e.g. the work-log entry of a planned event is gone: keep the event
                continue
            values[key] = parent_id
            continue
        if key in data:
            values[key] = from_json(column, data[key])
    if name == "checklist_template" and "stage" in values:
        # an item new here goes to the end of its stage's list; a known one keeps its place
        known = ids.conn.execute(select(t.c.id).where(t.c.code == values.get("code"))).first()
        if known is None:
            values["position"] = ids.next_position(int(values["stage"]))  # type: ignore[call-overload]
    return values


def read_rows(conn: Connection, name: str, uuids: list[str], ids: IdMap, *, lock: bool = False) -> dict[str, tuple]:
    """uuid -> (row_version, payload) for the rows of ``uuids`` that exist (FOR UPDATE when ``lock``)."""
    t = table(name)
    out: dict[str, tuple] = {}
    for start in range(0, len(uuids), 500):
        query = select(t).where(t.c.uuid.in_(uuids[start:start + 500]))
        if lock:
            query = query.with_for_update()
        for row in conn.execute(query).mappings():
            out[row["uuid"]] = (int(row["row_version"] or 0), payload(name, row, ids))
    return out


def find_natural(conn: Connection, name: str, data: dict, ids: IdMap) -> str | None:
    """The UUID of a row with the same natural key as ``data`` (see NATURAL_KEYS), or None."""
    keys = NATURAL_KEYS.get(name)
    if not keys:
        return None
    t = table(name)
    query = select(t.c.uuid)
    for key in keys:
        if key == "client_uuid":
            client_id = ids.id_of("client", data.get("client_uuid") or "")
            if client_id is None:
                return None
            query = query.where(t.c.client_id == client_id)
        else:
            query = query.where(t.c[key] == data.get(key))
    return conn.execute(query.limit(1)).scalar()
