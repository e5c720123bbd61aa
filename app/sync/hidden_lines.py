"""The audit lines of a push batch whose client the team server does not show this member: they stay here."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.engine import Connection


class HiddenLines:
    """The audit lines of one push batch (``lines``: uuid -> (version, payload)) whose client the server does not
    show this member (handed to someone else, another member's from a bundle): the write each describes was
    refused or kept on this laptop, so the line stays here only — the server's trail never gets a line without
    the change it describes (docs/sync.md «Team-wide data»). Asked once per batch, after its clients were sent.
    A client the server does not show because it was deleted (``deleted_clients``: its deletion perhaps sent in
    this very batch), and that this laptop no longer holds either (``here``), is no such case: its lines — «удалено» among them — go up, so that the team's trail says who
    deleted it, also when an edit elsewhere brings it back (trial 17c, finding 3)."""

    def __init__(self, lines: dict, here: Iterable[str] = ()) -> None:
        self.lines = lines
        self.here = set(here)  # the lines' clients this laptop still holds
        self.visible: set[str] | None = None
        self.deleted: set[str] = set()

    def client_of(self, uuid: str) -> str:
        """The client UUID of the line ``uuid`` ('' for none)."""
        return str(self.lines[uuid][1].get("client_uuid") or "") if uuid in self.lines else ""

    def hidden(self, sc: Connection, uuid: str, adopted: dict[str, str]) -> bool:
        """Whether the line ``uuid`` stays on this laptop (``adopted``: clients that took the server's UUID)."""
        if uuid not in self.lines:
            return False
        line = self.lines[uuid][1]
        client = adopted.get(line.get("client_uuid"), line.get("client_uuid"))
        if not client:
            return False
        if self.visible is None:  # the audit lines come last: this batch's clients are in already
            self.visible = visible_clients(sc, self.lines.values(), adopted)
            # deleted there and here: this laptop's own deletion (one elsewhere, met by changes still here, leaves
            # those changes kept back on the laptop — their lines with them)
            self.deleted = deleted_clients(sc, {adopted.get(d.get("client_uuid"), d.get("client_uuid"))
                                                for _v, d in self.lines.values()}
                                           - self.visible - self.here - {None, ""})
        return client not in self.visible and client not in self.deleted


def clients_here(lc: Connection, rows: dict) -> set[str]:
    """The UUIDs of the clients of these rows (uuid -> (version, payload): audit lines or a batch's records, by
    their ``client_uuid``) that this laptop holds. One query per 500."""
    from app.sync.rows import table

    t = table("client")
    wanted = sorted({str(d.get("client_uuid")) for _v, d in rows.values() if d.get("client_uuid")})
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        found.update(lc.execute(select(t.c.uuid).where(t.c.uuid.in_(wanted[start:start + 500]))).scalars())
    return found


def deleted_clients(sc: Connection, uuids: set[str]) -> set[str]:
    """The UUIDs among ``uuids`` (clients the server does not show this member) that were deleted on the server,
    as a tombstone this member reads says, and never handed to other people (``client_handed``: the records of
    such a client stayed on this laptop, app/sync/handover.py). One query per 500."""
    from app.persistence.models import SyncTombstone
    from app.team.server_triggers import HANDED

    wanted = sorted(uuids)
    found: dict[str, set[str]] = {}
    for start in range(0, len(wanted), 500):
        for name, uuid in sc.execute(select(SyncTombstone.table_name, SyncTombstone.record_uuid).where(
                SyncTombstone.table_name.in_(("client", HANDED)),
                SyncTombstone.record_uuid.in_(wanted[start:start + 500]))):
            found.setdefault(str(uuid), set()).add(str(name))
    return {uuid for uuid, kinds in found.items() if kinds == {"client"}}


def visible_clients(sc: Connection, lines: Iterable, adopted: dict[str, str]) -> set[str]:
    """The UUIDs among these audit lines' clients that the server shows this member (one query per 500)."""
    from app.sync.rows import table

    t = table("client")
    wanted = sorted({adopted.get(d.get("client_uuid"), d.get("client_uuid")) for _v, d in lines} - {None, ""})
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        found.update(sc.execute(select(t.c.uuid).where(t.c.uuid.in_(wanted[start:start + 500]))).scalars())
    return found
