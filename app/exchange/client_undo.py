"""Deleting a client so that the deletion can be undone: the client's records are kept as a changeset.

The window's undo history holds the copy; undo merges it back with the same UUIDs and, where still free,
the same local ids (undo steps recorded before the deletion name records by local id), redo deletes the
client again by its UUID. Nothing is kept on disk: a copy lives as long as the undo step."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, select

from app.domain.quotes import in_quotes
from app.errors import UserError
from app.exchange.apply import apply
from app.exchange.changeset import Changeset
from app.exchange.collect import collect
from app.exchange.merge_rows import KEEP_IDS
from app.exchange.table_specs import spec
from app.i18n import _
from app.persistence.db import Database
from app.persistence.models import Client, Tombstone
from app.services.changes import Changes
from app.services.common import find_client


@dataclass(frozen=True)
class DeletedClient:
    """What a deletion removed: the client's UUID and name, every record it owned (``changeset``) and
    their local ids (``local_ids``: table -> UUID -> id)."""

    uuid: str
    name: str
    changeset: Changeset
    local_ids: dict[str, dict[str, int]] = field(default_factory=dict)


def delete_client(db: Database, client_id: int) -> tuple[DeletedClient, Changes]:
    """Delete the client with its checklist, lessons, work log and documents, in one transaction, keeping
    a copy for undo. UserError when the client does not exist, or on a team laptop when it has issued documents
    and the signed-in member is not the team's administrator (app/team/rights.py)."""
    from app.sync.refused_delete import require_deletable

    with db.unit() as s:
        client = find_client(s, client_id)
        require_deletable(s, client)
        changeset = collect(s, [client.id])
        copy = DeletedClient(client.uuid, client.name, changeset, _local_ids(s, changeset))
        s.delete(client)
    return copy, Changes(clients=True, client_ids=frozenset({client_id}))


def _local_ids(s, changeset: Changeset) -> dict[str, dict[str, int]]:
    ids: dict[str, dict[str, int]] = {}
    for name, rows in changeset.tables.items():
        t = spec(name).table
        uuids = [r.uuid for r in rows]
        for start in range(0, len(uuids), 500):
            ids.setdefault(name, {}).update(
                {u: i for i, u in s.execute(select(t.c.id, t.c.uuid).where(t.c.uuid.in_(uuids[start:start + 500])))})
    return ids


def restore_client(db: Database, copy: DeletedClient) -> Changes:
    """Bring a deleted client back from its copy (undo). UserError when a client with its UUID exists again."""
    with db.unit() as s:
        if s.execute(select(Client.id).where(Client.uuid == copy.uuid)).first() is not None:
            raise UserError(_("«{client}» exists again: nothing to restore.").format(client=in_quotes(copy.name)))
        # the deletion left tombstones (issue 12) that would refuse the records coming back: undo lifts them
        uuids = [row.uuid for rows in copy.changeset.tables.values() for row in rows]
        for start in range(0, len(uuids), 500):
            s.execute(delete(Tombstone).where(Tombstone.kind == "delete",
                                              Tombstone.uuid.in_(uuids[start:start + 500])))
        s.info[KEEP_IDS] = copy.local_ids
        try:
            apply(s, copy.changeset)
        finally:
            s.info.pop(KEEP_IDS, None)
        new_id = s.execute(select(Client.id).where(Client.uuid == copy.uuid)).scalar_one()
    return Changes(clients=True, stage=True, checklist=True, lessons=True, worklog=True, estimates=True,
                   documents=True, client_ids=frozenset({new_id}))


def delete_again(db: Database, copy: DeletedClient) -> Changes:
    """Redo of a deletion: delete the client with the copy's UUID (whatever its local id is now); refused like
    :func:`delete_client`."""
    from app.sync.refused_delete import require_deletable

    with db.unit() as s:
        client = s.execute(select(Client).where(Client.uuid == copy.uuid)).scalar_one_or_none()
        if client is None:
            raise UserError(_("The client no longer exists: nothing to delete."))
        client_id = client.id
        require_deletable(s, client)
        s.delete(client)
    return Changes(clients=True, client_ids=frozenset({client_id}))
