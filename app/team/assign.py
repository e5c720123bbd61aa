"""`team assign`: who is a client's responsible specialist and manager, with the same checks everywhere.

On the team server the target logins are checked against ``team_user`` and row-level security decides whether
the signed-in member may change the client (app/team/server.py ``vn_access`` on ``client``: the member must see
the client both before and after the change). A laptop joined to a team (``sync setup``) writes its own SQLite
file, where no policy runs: it checks the same two things against its copy of the roster (``team_user``, copied
by every sync) before anything is written, so an assignment the server would refuse is refused at once (exit 2,
one Russian sentence) instead of being queued and refused at every sync (issue 17). A computer outside any team
(no login) checks only that the logins are well formed: its one person is its administrator.

Imports the persistence layer and app.team; the client lookup comes from app.services.common at call time."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import UserError
from app.i18n import _
from app.persistence.db import Database
from app.persistence.models import Client, TeamUser
from app.team.author import current_login


def server_sees(login: str, role: str, roster: dict[str, str], spec: str, mgr: str) -> bool:
    """The server's ``vn_sees`` (app/team/server.py ``sees_sql``) for an existing client, on a laptop: whether
    the member ``login`` of app role ``role`` sees a client whose specialist and manager logins are ``spec`` and
    ``mgr``. ``roster`` maps every member's login to their manager's login ('' for none). No insert defaults
    apply (those are app/sync/import_note.py ``_sees``): a client with no specialist is nobody's but its manager's."""
    if role == "admin":
        return True
    if role == "specialist":
        return spec == login
    if role == "manager":
        return login in (mgr, spec) or (spec != "" and roster.get(spec) == login)
    return False


def _fitting_member(session: Session, login: str, as_specialist: bool) -> TeamUser:
    """The active member ``login`` of a role fitting the place (a specialist as a client's specialist; a manager
    or an administrator as its manager); UserError naming the login otherwise."""
    from app.team.users import ROLE_TITLES

    wanted = ("specialist",) if as_specialist else ("manager", "admin")
    member = session.get(TeamUser, login)
    if as_specialist and member is not None and member.active and member.role not in wanted:
        raise UserError(_("«{login}» is not a specialist of the team (their role: {role}): only a "
                          "specialist is made a client's specialist. Nothing was changed.").format(
            login=login, role=_(ROLE_TITLES.get(member.role, member.role))))
    if not as_specialist and member is not None and member.active and member.role not in wanted:  # the trial 17g
        raise UserError(_("«{login}» is neither a manager nor an administrator of the team (their role: {role}): "
                          "only a manager or an administrator is made a client's manager. Nothing was changed.")
                        .format(login=login, role=_(ROLE_TITLES.get(member.role, member.role))))
    if member is None or not member.active or member.role not in wanted:
        raise UserError(_("«{login}» is not an active team member of a fitting role.").format(login=login))
    return member


def _laptop_member(session: Session) -> tuple[str, TeamUser | None] | None:
    """(login, roster row) of the member signed in on a team laptop; None on the server or outside a team."""
    if session.get_bind().dialect.name == "postgresql":
        return None
    login = current_login(session)
    if not login:
        return None
    with session.no_autoflush:
        return login, session.get(TeamUser, login)


def _refuse_on_the_laptop(session: Session, client: Client, spec: str, mgr: str) -> None:
    """Refuse (UserError) on a team laptop a change of ``client``'s logins to (``spec``, ``mgr``) that the
    server's row-level security would refuse its member: the member sees the client neither before nor after.
    An unknown or disabled member here (no roster yet, or access revoked) changes nobody's clients."""
    from app.team.rights import ROLE_NAMES

    found = _laptop_member(session)
    if found is None:
        return
    login, row = found
    if row is not None and row.active:
        if row.role == "admin":
            return
        roster = {u.login: u.manager_login or "" for u in session.scalars(select(TeamUser))}
        before = server_sees(login, row.role, roster, client.specialist_login or "", client.manager_login or "")
        if before and server_sees(login, row.role, roster, spec, mgr):
            return
        who = f"{row.full_name or login} ({_(ROLE_NAMES.get(row.role, row.role))})"
    else:
        who = f"{row.full_name or login} ({_('access revoked')})" if row is not None else login
    raise UserError(_("You may not hand this client to that person: only their manager or an administrator may, "
                      "and you are signed in as {who}. Nothing was changed.").format(who=who))


def assign(db: Database, client_ref: str, specialist: str | None, manager: str | None) -> tuple[str, str]:
    """Set the client ``client_ref``'s specialist and/or manager (logins; None keeps one, '' clears it) in one
    unit of work and return both logins. In a team (the server, or a laptop with a login) each given login must
    be an active member of a fitting role; a specialist given without a manager brings their own manager; on a
    laptop the signed-in member must be allowed the change as the server would allow it. Raises UserError
    (nothing written) for an unknown client, a bad login, a member of no fitting role, or a refused change;
    on the server a row-level security refusal surfaces as SQLAlchemy's ProgrammingError (the caller words it)."""
    from app.services.common import find_client
    from app.team.users import _check_login

    with db.unit() as session:
        client = find_client(session, client_ref)
        in_team = db.engine.dialect.name == "postgresql" or bool(current_login(session))
        spec, mgr = client.specialist_login or "", client.manager_login or ""
        if specialist is not None:
            spec = _check_login(specialist) if specialist else ""
        if manager is not None:
            mgr = _check_login(manager) if manager else ""
        if in_team:
            if spec and specialist:
                member = _fitting_member(session, spec, as_specialist=True)
                if manager is None and member.manager_login:
                    mgr = member.manager_login
            if mgr and manager:
                _fitting_member(session, mgr, as_specialist=False)
            _refuse_on_the_laptop(session, client, spec, mgr)
        if spec != (client.specialist_login or ""):
            client.specialist_login = spec
        if mgr != (client.manager_login or ""):
            client.manager_login = mgr
        return spec, mgr
