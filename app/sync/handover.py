"""A client handed to other people leaves the laptop of the one who had it (the trial of 2026-12-01, finding 3).

Row-level security hides a client from a member once it is assigned to someone else, and a hidden row is no
change a pull can read: the client stayed on the old specialist's laptop for ever, in «Мои заказчики», and work
logged on it offline became an «orphan» conflict that never said why. Now the server writes a hand-over
tombstone under the client's *old* logins (app/team/server_triggers.py ``handover_sql``), and:

- at the pull, a laptop that no longer sees the client drops it with its records — unless something of it is
  still this laptop's alone (a change not sent, or a refusal in effect): then it stays, under one
  ``not_yours`` conflict saying it was handed to someone else (app/team/display.py);
- at the push, a record whose client the server hides (not deleted: no tombstone of its deletion) is that
  client's ``not_yours`` refusal, not an ``orphan``: the record stays here quietly with its client
  (app/sync/refused.py), and the client's one conflict says why.
"""

from __future__ import annotations

from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.engine import Connection

from app.persistence.models import Client, SyncBase, SyncConflict, SyncOutbox
from app.sync.refused import LIFTED, NOT_YOURS, open_refusals
from app.sync.rows import TABLES, table
from app.team.server_triggers import HANDED

# the conflict of a client kept here after it was handed away: (kind, field, this laptop, the server, kept)
NOT_YOURS_CONFLICT = (NOT_YOURS, "", "edited", "hidden", "local")


def handed_away(gone: list[tuple[str, str]]) -> list[str]:
    """The UUIDs of the clients among the pulled tombstones ``gone`` ((table, uuid)) that were handed over."""
    return [uuid for name, uuid in gone if name == HANDED]


def _owned(entity, client_uuid: str, client_id: int):
    """Rows of ``entity`` (SyncOutbox or SyncBase: table_name, record_uuid) about the client or its records."""
    clauses = [(entity.table_name == "client") & (entity.record_uuid == client_uuid)]
    for name in TABLES:
        t = table(name)
        if "client_id" in t.c:
            clauses.append((entity.table_name == name) & entity.record_uuid.in_(
                select(t.c.uuid).where(t.c.client_id == client_id)))
    return or_(*clauses)


def unsent_here(lc: Connection, client_uuid: str) -> bool:
    """Whether the client has anything only this laptop holds: a queued change of it or of one of its records,
    or a refusal in effect (its records stayed here with it)."""
    if client_uuid in open_refusals(lc):
        return True
    client_id = lc.execute(select(Client.id).where(Client.uuid == client_uuid)).scalar()
    if client_id is None:
        return False
    return bool(lc.execute(select(exists().where(_owned(SyncOutbox, client_uuid, client_id)))).scalar())


def drop_client(lc: Connection, client_uuid: str) -> bool:
    """Drop a client handed away, with its records (the foreign keys cascade) and their merge bases; its open
    conflicts are closed (the client is no longer here to choose for). Returns whether it was here."""
    client_id = lc.execute(select(Client.id).where(Client.uuid == client_uuid)).scalar()
    if client_id is None:
        return False
    lc.execute(delete(SyncBase).where(_owned(SyncBase, client_uuid, client_id)))
    lc.execute(delete(Client).where(Client.id == client_id))
    # its open conflicts (all settled on the server's side: nothing of it was unsent) have nothing left to choose
    lc.execute(update(SyncConflict).where(SyncConflict.client_uuid == client_uuid, SyncConflict.resolved.is_(False))
               .values(resolved=True))
    return True


def hidden_client(sc: Connection, client_uuid: str) -> bool:
    """Whether the server hides this client from the member without having deleted it (handed to someone else):
    no tombstone of its deletion readable here (``sc``: the member's server connection, inside the push)."""
    from app.persistence.models import SyncTombstone

    if not client_uuid:
        return False
    return sc.execute(select(SyncTombstone.id).where(SyncTombstone.table_name == "client",
                                                     SyncTombstone.record_uuid == client_uuid).limit(1)).first() is None


def let_go(conn: Connection, client_uuid: str) -> None:
    """«sync resolve N --keep server» on a client handed to someone else: this laptop lets it go — its copy and
    the work on it that was never sent are dropped here (the server and the new specialist keep theirs), and its
    refusals close. Written as the sync writes (no outbox: nothing of it is sent). The only way out for a client
    that cannot be deleted here (issued documents: the trial of 2026-12-01, finding 7)."""
    from app.sync.engine import _guard

    _guard(conn, True)
    conn.execute(update(SyncConflict).where(SyncConflict.record_uuid == client_uuid, SyncConflict.resolved.is_(False))
                 .values(resolved=True))
    conn.execute(update(SyncConflict).where(SyncConflict.record_uuid == client_uuid).values(kept=LIFTED))
    client_id = conn.execute(select(Client.id).where(Client.uuid == client_uuid)).scalar()
    if client_id is not None:
        conn.execute(delete(SyncOutbox).where(_owned(SyncOutbox, client_uuid, client_id)))
    drop_client(conn, client_uuid)
    _guard(conn, False)
