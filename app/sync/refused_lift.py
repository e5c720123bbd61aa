"""Clients held here by a refusal that the team server shows this member now: lifted before a push, or taken
over by ИНН in a pull."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection

from app.persistence.models import SyncConflict
from app.sync.refused import OTHERS_INN, _in_effect, lift
from app.sync.visible import adopt_uuid


def adopt_by_inn(lc: Connection, items: list) -> None:
    """In a pulled page of clients (``items``: (uuid, version, payload)), one new here whose ИНН this laptop's own
    client holds under a refusal in effect (``OTHERS_INN``: the hidden client, handed to this member since the
    push of this sync): the laptop's client takes the server's UUID (its records follow by id), its refusal is
    lifted and its records are queued again, and the pulled row then applies to it — instead of a second client of
    one ИНН, which this laptop's unique ИНН refuses."""
    from sqlalchemy import update

    from app.persistence.models import Client

    by_inn = {str(d.get("inn") or ""): u for u, _v, d in items if d.get("inn")}
    if not by_inn:
        return
    held = lc.execute(select(SyncConflict.record_uuid, Client.inn).join(
        Client, Client.uuid == SyncConflict.record_uuid).where(_in_effect(), SyncConflict.kind == OTHERS_INN,
                                                               Client.inn.in_(sorted(by_inn)))).all()
    for uuid, inn in held:
        if by_inn[inn] == uuid:
            continue
        lift(lc, uuid)
        lc.execute(update(Client).where(Client.uuid == uuid).values(uuid=by_inn[inn]))
        adopt_uuid(lc, uuid, by_inn[inn])  # its trail and conflicts follow; its older records come (app/sync/visible.py)


def lift_visible(db, server) -> None:
    """Before a push: the clients held here by a refusal in effect that the server shows this member now (handed to
    them by a manager or the administrator; for ``OTHERS_INN``, the client of the server with its ИНН) are sent
    again with their records (``lift``): the push then merges such a client into the server's (met by its UUID, or
    by its ИНН: ``rows.find_natural``) instead of holding it here for ever. Two small reads when there is none."""
    from app.persistence.models import Client
    from app.sync.rows import table

    with db.engine.connect() as lc:
        rows = lc.execute(select(SyncConflict.record_uuid, Client.inn, SyncConflict.kind).join(
            Client, Client.uuid == SyncConflict.record_uuid).where(_in_effect())).all()
    if not rows:
        return
    held = [(u, i) for u, i, _k in rows]
    t = table("client")
    uuids, inns = sorted({u for u, _i in held}), sorted({i for _u, i in held})
    with server.connect() as sc:
        seen = set(sc.execute(select(t.c.uuid).where(t.c.uuid.in_(uuids))).scalars())
        seen_inns = set(sc.execute(select(t.c.inn).where(t.c.inn.in_(inns))).scalars())
        # a hidden colleague's client of that ИНН deleted since: the ИНН is free, the client goes up as new
        free = {inn for inn in {i for _u, i, k in rows if k == OTHERS_INN} - seen_inns if inn_free(sc, inn)}
    back = {u for u, inn in held if u in seen or inn in seen_inns or inn in free}
    if back:
        with db.engine.connect().execution_options(sqlite_begin="IMMEDIATE") as lc, lc.begin():
            for uuid in sorted(back):
                lift(lc, uuid, with_client=True)


def inn_free(sc: Connection, inn: str) -> bool:
    """Whether no client of the team server, visible to this member or not, has this ИНН (``vn_inn_free``, a
    security-definer function of ``server init``: says yes or no of one ИНН, nothing more — the unique ИНН's
    refusal says as much). False when the server has no such function yet (an older ``server init``)."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    try:
        with sc.begin_nested():
            return bool(sc.execute(text("SELECT vn_inn_free(:inn)"), {"inn": inn}).scalar())
    except DBAPIError:
        return False
