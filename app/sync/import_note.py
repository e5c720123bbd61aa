"""The import's note naming the clients of a bundle the team server will not take from the signed-in member."""

from __future__ import annotations

from sqlalchemy import select

from app.domain.quotes import quoted


def _sees(login: str, role: str, roster: dict[str, str], spec: str, mgr: str) -> bool:
    """The server's ``vn_sees`` (app/team/server.py) with its client defaults, on the laptop's copy of the roster
    (``roster``: login -> that member's manager): whether the server takes a client with these logins from
    ``login``. A client with no specialist is a specialist's own (the server assigns it); with no manager either,
    a manager's own."""
    if role == "admin":
        return True
    if role == "specialist":
        return spec in ("", login)
    if role == "manager":
        return login in (spec, mgr) or (spec == "" and mgr == "") or (spec != "" and roster.get(spec) == login)
    return False


def others_in_file(s, changeset) -> list[str]:
    """On a team laptop, the sentence naming the clients of a bundle that are new here and that the team server
    will not take from the signed-in member (another member's: a manager's «export --all» imported by a
    specialist), for the import's report; [] outside a team, on the server, or when this member's role is not
    known here yet (the roster comes with the first sync). Read before the merge."""
    return others_sentence(others_names(s, changeset.rows("client")))


def others_names(s, rows: list) -> list[str]:
    """``others_in_file`` for one chunk of the file's clients (read before they are merged): the names of those
    new here that the team server will not take from the signed-in member; [] where the sentence is never said."""
    from app.persistence.models import Client, TeamUser
    from app.team.rights import member

    if s.get_bind().dialect.name != "sqlite":
        return []
    found = member(s)
    if found is None or found[1] is None or not found[1].active:
        return []
    login, row = found[0], found[1]
    incoming = [r for r in rows if r.op == "upsert"]
    if not incoming:
        return []
    here = set(s.scalars(select(Client.uuid).where(Client.uuid.in_([r.uuid for r in incoming]))))
    roster = {u.login: u.manager_login or "" for u in s.scalars(select(TeamUser))}
    return [str(r.values.get("name") or "") for r in incoming if r.uuid not in here and not _sees(
        login, row.role, roster, str(r.values.get("specialist_login") or ""), str(r.values.get("manager_login") or ""))]


def others_sentence(names: list[str]) -> list[str]:
    """The report's sentence naming other members' clients (``others_names``), as a list of 0 or 1 sentences."""
    from app.i18n import _

    if not names:
        return []
    return [_("Clients of other members of the team: {names} — the team server does not take them from you, so "
              "they and their records stay on this laptop only (the sync names them in «sync conflicts»).").format(
        names=", ".join(quoted(n) for n in names))]
