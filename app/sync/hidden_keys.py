"""A pushed record that breaks a unique key of the team server against a row this member does not see (issue 17,
fix17b): row-level security hides other members' clients and everything they own, so the push's look-ups — the
match of a client by its ИНН (``rows.find_natural``), of a document's number (``_number_taken``) — miss such a
row, and the INSERT breaks the server's unique constraint (SQLSTATE 23505). Before, that stopped every sync at the
record (``refused.StoppedAt``). Now:

- a client new here whose ИНН a hidden client has: one conflict (``refused.OTHERS_INN``), the client and its records
  kept on this laptop (``refused.quiet``), the rest synced; its ИНН given to a client of the server: the server's
  row back (``refused.INN_TAKEN``); its UUID on a hidden row: another member's client (``refused.OTHERS_CLIENT``);
- a document numbered before this computer joined the team, whose number a hidden act has: it keeps its number
  under this installation's series, as it does when the act is visible; when that series holds the number too
  (a number issued twice here), it stays on this laptop with a conflict (``refused.NUMBER_TWICE``) and the rest
  syncs — before, every sync stopped at it for ever (the trial 17j, finding 1).

The other unique keys of synced tables cannot meet a hidden row: a tick's and a lesson's keys hold their client,
whose records are all visible with it; checklist items are read by every member; audit lines and every other
record are matched by their UUID, and one of a hidden client is met as its client's refusal or an ``orphan``."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from app.sync.refused import (
    INN_TAKEN,
    KEPT_BY_SERVER,
    NUMBER_TWICE,
    OTHERS_CONFLICT,
    OTHERS_INN_CONFLICT,
    refused_others_client,
)
from app.team.pg_refusals import CLIENT_INN, UNIQUE_VIOLATION

# the server's unique constraints (models.NAMING) a member's row may break against a row row-level security hides
CLIENT_UUID, DOCUMENT_NUMBER = "uq_client_uuid", "uq_document_number"


def broken_key(exc: BaseException) -> str:
    """The unique constraint a refused write broke (SQLSTATE 23505: «uq_client_inn»), '' for any other error."""
    from app.team.pg_refusals import constraint, sqlstate

    return constraint(exc) if sqlstate(exc) == UNIQUE_VIOLATION else ""


def kept_conflict(name: str, exc: DBAPIError, sent: dict | None, current: tuple | None) -> tuple | None:
    """The conflict of a client, document or work entry the server refused (``exc``, its savepoint rolled back),
    or None when the refusal is none of these (the sync stops at the record: :class:`StoppedAt`). ``sent``: the
    laptop's payload (None: a deletion); ``current``: the server's (version, payload) as this member sees it.

    - another member's client (row-level security, or its UUID on a row this member does not see): OTHERS_CLIENT;
    - a client new here whose ИНН a hidden client has (the push's match by ИНН, ``rows.find_natural``, cannot see
      it, so its INSERT broke the unique ИНН): OTHERS_INN — both kept here, its records quietly with it;
    - a client of the server given here the ИНН of a hidden client: INN_TAKEN, the server's row back;
    - an issued document or billed work changed outside the program (app/team/server_triggers.py): KEPT_BY_SERVER;
    - a document new to the server whose number its series and this installation's both hold: NUMBER_TWICE.
    (A unique key of another table: the module's docstring.)"""
    from app.team.pg_refusals import INSUFFICIENT_PRIVILEGE, KEPT_PREFIXES, primary, sqlstate

    key = broken_key(exc) if name == "client" else ""
    if refused_others_client(name, exc) or (key == CLIENT_UUID and current is None):
        return OTHERS_CONFLICT
    if key == CLIENT_INN and current is None:
        return OTHERS_INN_CONFLICT
    if name == "document" and sent is not None and current is None and broken_key(exc) == DOCUMENT_NUMBER:
        from app.services.documents.register import document_code

        code = document_code(str(sent.get("kind")), int(sent.get("number") or 0), int(sent.get("year") or 0))
        return (NUMBER_TWICE, "", code, "taken", "local")
    if key == CLIENT_INN and sent is not None:
        return (INN_TAKEN, "inn", sent.get("inn"), current[1].get("inn"), "server")  # type: ignore[index]
    if current is not None and sqlstate(exc) == INSUFFICIENT_PRIVILEGE and primary(exc).startswith(KEPT_PREFIXES):
        return (KEPT_BY_SERVER, "", "deleted" if sent is None else "edited", "kept", "server")
    return None


def insert_row(sc: Connection, name: str, values: dict, installation: str) -> None:
    """INSERT a pushed record new to the server. A document issued on this computer before it joined the team
    whose number the team has already given («АУ-1/2026») keeps its number under this installation's series
    («АУ-1/2026 (установка 3f2a)»), as an imported document does — never a duplicate number. The number may be
    taken by a document this member does not see (another member's client's): the server's unique number refuses
    the INSERT (23505), which is then made again under the installation's series, instead of a sync stopped at
    that act for ever."""
    from sqlalchemy import insert

    from app.sync.rows import table

    t = table(name)
    if name == "audit_log":  # no RETURNING: a line of a deleted client is one this member may write, not read
        sc.execute(insert(t).values(**values).inline())
        return
    if name != "document":
        sc.execute(insert(t).values(**values))
        return
    if _number_taken(sc, values):
        values["series"] = installation
    savepoint = sc.begin_nested()
    try:
        sc.execute(insert(t).values(**values))
    except DBAPIError as exc:
        savepoint.rollback()
        if broken_key(exc) != DOCUMENT_NUMBER or values.get("series") == installation:
            raise
        values["series"] = installation
        sc.execute(insert(t).values(**values))
        return
    savepoint.commit()


def _number_taken(sc: Connection, values: dict) -> bool:
    """Whether a document this member sees already has this series, kind, year and number."""
    from app.sync.rows import table

    t = table("document")
    return sc.execute(select(t.c.id).where(t.c.series == values.get("series", ""), t.c.kind == values["kind"],
                                           t.c.year == values["year"], t.c.number == values["number"])
                      .limit(1)).first() is not None
