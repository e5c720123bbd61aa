"""What a sync says of the clients the team server refused: their names in its sentences."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.engine import Connection

from app.domain.quotes import quoted
from app.sync.refused import open_refusals


def client_names(conn: Connection, uuids: Iterable[str]) -> dict[str, str]:
    """uuid -> name of these clients on this connection (those not here left out)."""
    from app.persistence.models import Client

    wanted = sorted(set(uuids) - {""})
    return dict(conn.execute(select(Client.uuid, Client.name).where(Client.uuid.in_(wanted))).all()) if wanted else {}


def others_note(db, uuids: list[str]) -> str:
    """What a sync says of other members' clients the server did not take from this member ('' for none): their
    names, that they and their records stay on this laptop only, and where to look («sync conflicts»)."""
    from app.i18n import _

    if not uuids:
        return ""
    with db.engine.connect() as conn:
        names = client_names(conn, uuids)
    shown = ", ".join(quoted(names.get(u) or u) for u in uuids)
    return _("The team server does not take from you the clients of other members of the team (they came in a "
             "bundle): {names} — they and their records stay on this laptop only (see «sync conflicts»).").format(
        names=shown)


def held_here(db) -> list[str]:
    """The names of the clients this laptop holds for itself because the team server refuses them (a refusal in
    effect: its conflict open, or closed with «--keep local»), sorted; their records are not sent."""
    with db.engine.connect() as conn:
        return sorted(client_names(conn, open_refusals(conn)).values())


def held_note(db, uuids: list[str]) -> str:
    """What a sync says of clients it did not send again because their refusal is in effect ('' for none): their
    names, that their changes stay on this laptop, and why (the server still does not take them)."""
    from app.i18n import _

    if not uuids:
        return ""
    with db.engine.connect() as conn:
        names = client_names(conn, uuids)
    shown = ", ".join(quoted(names.get(u) or u) for u in dict.fromkeys(uuids))
    return _("Not sent: the team server still does not take these clients from you, so their changes stay on this "
             "laptop only: {names} (see «sync status»).").format(names=shown)
