"""Team members: PostgreSQL login roles (scram-sha-256 passwords) with an app role, and who is signed in.

A member is a row of ``team_user`` plus a PostgreSQL role of the same name that belongs to the group
role ``vnedrenie_team`` (app/team/server.py); the database enforces what they see. On SQLite (a laptop
or a single user) the "signed-in person" is the local profile's name (:func:`current_author`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from app.errors import UserError
from app.i18n import N_, _
from app.persistence.db import Database
from app.persistence.models import Client, Executor, Setting, TeamUser
from app.team.author import LOGIN_KEY as LOGIN_KEY  # re-exported: sync reads it from here
from app.team.author import PROFILE_KEY, current_author
from app.team.author import current_login as current_login  # re-exported
from app.team.server import TEAM_ROLE

ROLES = ("specialist", "manager", "admin")
ROLE_TITLES = {"specialist": N_("specialist"), "manager": N_("manager"), "admin": N_("administrator")}
LOGIN_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
MIN_PASSWORD = 8


@dataclass(frozen=True)
class Member:
    """A team member as listed: login, name, position, app role, their manager's login, active or not."""

    login: str
    full_name: str
    position: str
    role: str
    manager_login: str
    active: bool


# names a member's login may not take: PostgreSQL's own roles and role words, and this program's group roles
RESERVED_LOGINS = frozenset({"postgres", "public", "none", "all", "user", "current_user", "current_role",
                             "session_user", "system_user", TEAM_ROLE})
RESERVED_PREFIXES = ("pg_", "vn_", "vnedrenie")
MAX_TEXT = 200  # characters of a member's full name and position (team_user columns)


def _check_login(login: str) -> str:
    login = (login or "").strip()
    if not LOGIN_RE.match(login):
        raise UserError(_("The login «{login}» is not valid: use 2–40 lowercase Latin letters, digits and «_», "
                          "starting with a letter.").format(login=login))
    if login in RESERVED_LOGINS or login.startswith(RESERVED_PREFIXES):
        raise UserError(_("The login «{login}» is reserved by PostgreSQL or by the program (postgres, pg_…, "
                          "vn_…, vnedrenie…, public, none, current_user …): choose another.").format(login=login))
    return login


def _require_pg(db: Database) -> None:
    if db.engine.dialect.name != "postgresql":
        raise UserError(_("Team members live on the team server: give --database-url of the PostgreSQL "
                          "server (see «server init»)."))


def _member_texts(full_name: str | None, position: str | None) -> tuple[str | None, str | None]:
    """A member's full name and position cleaned (one line, at most 200 characters); None stays None. Raises
    UserError for an empty name or position, line breaks, invisible characters, or an overlong value."""
    from app.domain import validation as v

    name = v.clean_text(full_name, _("Full name"), max_len=MAX_TEXT, paper=True) if full_name is not None else None
    if name is not None and not name:
        raise UserError(_("Give the member's full name (it is printed as the signer of their documents)."))
    post = v.clean_text(position, _("Position"), max_len=MAX_TEXT, paper=True) if position is not None else None
    if post is not None and not post:
        raise UserError(_("Give the member's position: it is printed under the signature of their documents."))
    return name, post


def _may_manage_members(session: Session) -> bool:
    """Whether the connected login may create and change PostgreSQL roles: the server's owner (as «server init»
    connects) or a team administrator (CREATEROLE, app/team/users.py ``add_user``)."""
    row = session.execute(text("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")).first()
    return bool(row and row[0])


def _not_admin_members() -> UserError:
    return UserError(_("Only an administrator of the team may add, enable or disable members."))


def check_new_member(db: Database, login: str, full_name: str, role: str, *, position: str = "",
                     manager: str = "") -> None:
    """Everything ``add_user`` checks before it asks for a password: PostgreSQL, the signed-in person an
    administrator, the login (valid, not reserved, not taken), the role, the name and position (one line, at
    most 200 characters; an empty position is allowed here — the CLI requires it), the manager (an active
    member who is a manager or an administrator, and only for a specialist). Raises
    UserError naming the first problem; changes nothing."""
    _require_pg(db)
    login = _check_login(login)
    if role not in ROLES:
        raise UserError(_("Unknown role «{role}»: use specialist, manager or admin.").format(role=role))
    _member_texts(full_name, position or None)
    with db.read() as session:
        if not _may_manage_members(session):
            raise _not_admin_members()
        if session.execute(text("SELECT 1 FROM pg_get_keywords() WHERE word = :n AND catcode IN ('R', 'T')"),
                           {"n": login}).first():
            raise UserError(_("The login «{login}» is a word PostgreSQL reserves: choose another.").format(
                login=login))
        if manager and role != "specialist":  # specialist → manager: nobody else has a manager in this model
            raise UserError(_("Only a specialist has a manager: drop --manager for the role «{role}».").format(
                role=_(ROLE_TITLES[role])))
        if manager:
            boss = session.get(TeamUser, manager)
            if boss is None or boss.role not in ("manager", "admin"):
                raise UserError(_("«{login}» is not a manager of the team.").format(login=manager))
        exists = session.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": login}).first()
        if exists or session.get(TeamUser, login) is not None:
            raise UserError(_("The login «{login}» is already taken.").format(login=login))


def add_user(db: Database, login: str, full_name: str, role: str, password: str, *,
             position: str = "", manager: str = "") -> Member:
    """Create the login role with a scram-sha-256 password and the ``team_user`` row (one transaction).

    Raises UserError (see :func:`check_new_member`): not PostgreSQL, the signed-in person not an administrator,
    bad or reserved login, unknown role, short password, empty or overlong name or position, an unknown or
    non-manager ``manager``, or the login already taken."""
    check_new_member(db, login, full_name, role, position=position, manager=manager)
    login = _check_login(login)
    name, post = _member_texts(full_name, position or None)
    assert name is not None
    post = post or ""
    if len(password) < MIN_PASSWORD:
        raise UserError(_("The password is too short: at least {n} characters.").format(n=MIN_PASSWORD))
    from psycopg import sql

    try:
        with db.unit() as session:
            driver = session.connection().connection.driver_connection
            assert driver is not None
            driver.execute("SET LOCAL password_encryption = 'scram-sha-256'")
            options = sql.SQL(" CREATEROLE") if role == "admin" else sql.SQL("")
            driver.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}{}").format(
                sql.Identifier(login), sql.Literal(password), sql.Identifier(TEAM_ROLE), options))
            if role == "admin":
                driver.execute(sql.SQL("GRANT {} TO {} WITH ADMIN OPTION").format(
                    sql.Identifier(TEAM_ROLE), sql.Identifier(login)))
            session.add(TeamUser(login=login, full_name=name, position=post, role=role,
                                 manager_login=manager, active=True))
    except Exception as exc:  # the server's own «no» (psycopg's, or SQLAlchemy's around it at commit)
        if _refused_for_rights(exc):
            raise _not_admin_members() from None
        raise
    return Member(login, name, post, role, manager, True)


def _refused_for_rights(exc: BaseException) -> bool:
    """A PostgreSQL «permission denied» or row-level security refusal (SQLSTATE 42501)."""
    from app.team.pg_refusals import INSUFFICIENT_PRIVILEGE, sqlstate

    return sqlstate(exc) == INSUFFICIENT_PRIVILEGE


def list_users(db: Database) -> list[Member]:
    """Every team member, active first, by login (empty on SQLite)."""
    with db.read() as session:
        rows = session.scalars(select(TeamUser).order_by(TeamUser.active.desc(), TeamUser.login)).all()
        return [Member(u.login, u.full_name, u.position, u.role, u.manager_login, u.active) for u in rows]


def member_to_switch(session: Session, login: str) -> tuple[TeamUser, bool]:
    """For ``users disable`` and ``users enable``: the member ``login`` and whether their PostgreSQL role may sign
    in now. Raises UserError when the signed-in person is not an administrator or there is no such member."""
    if not _may_manage_members(session):
        raise _not_admin_members()
    user = session.get(TeamUser, login)
    if user is None:
        raise UserError(_("There is no team member «{login}».").format(login=login))
    can_log_in = session.execute(text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :n"), {"n": login}).scalar()
    return user, bool(can_log_in)


def disable_user(db: Database, login: str) -> Member:
    """Revoke a member: the role can no longer log in (NOLOGIN), open sessions are ended, the row stays
    (their authorship and audit entries keep the name). Raises UserError for an unknown login, when the
    signed-in person is not an administrator, disables themselves, would disable the team's last active
    administrator (app/team/admins.py), or for a member disabled already (as ``users enable`` refuses an active
    one; nothing changed)."""
    _require_pg(db)
    from psycopg import sql

    from app.team.admins import refuse_losing_control

    try:
        with db.unit() as session:
            user, can_log_in = member_to_switch(session, login)
            if not user.active and not can_log_in:  # the same rule as «users enable» of an active member
                raise UserError(_("«{login}» is already disabled: they cannot sign in.").format(login=login))
            refuse_losing_control(session, user)  # not oneself, not the last active administrator
            user.active = False
            driver = session.connection().connection.driver_connection
            assert driver is not None
            driver.execute(sql.SQL("ALTER ROLE {} NOLOGIN").format(sql.Identifier(login)))
            session.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :n "
                                 "AND pid <> pg_backend_pid()"), {"n": login})
            return Member(user.login, user.full_name, user.position, user.role, user.manager_login, False)
    except Exception as exc:  # e.g. an administrator without the right on this particular role
        if _refused_for_rights(exc):
            raise _not_admin_members() from None
        raise


def edit_user(db: Database, login: str, *, full_name: str | None = None, position: str | None = None) -> Member:
    """Change a member's full name and/or position (what their documents print as the signer); None keeps a
    value. An administrator's action on the server (row-level security lets only admins write ``team_user``);
    laptops take the new values at their next sync. Raises UserError: not PostgreSQL, nothing to change, an
    empty or overlong (over 200 characters) name or position, an unknown login, or the signed-in person not an
    administrator."""
    _require_pg(db)
    if full_name is None and position is None:
        raise UserError(_("Give --name or --position (or both)."))
    name, post = _member_texts(full_name, position)
    values = {k: val for k, val in (("full_name", name), ("position", post)) if val is not None}
    try:
        with db.unit() as session:
            user = session.get(TeamUser, login)
            if user is None:
                raise UserError(_("There is no team member «{login}».").format(login=login))
            # row-level security hides the row from a non-admin's UPDATE: 0 rows, no error
            done = session.execute(update(TeamUser).where(TeamUser.login == login).values(**values)
                                   .returning(TeamUser.login)).first()
            if done is None:
                raise _not_admin()
            session.expire(user)
            return Member(user.login, user.full_name, user.position, user.role, user.manager_login, user.active)
    except Exception as exc:
        if _refused_for_rights(exc):
            raise _not_admin() from None
        raise


def _not_admin() -> UserError:
    return UserError(_("Only an administrator of the team may change a member's name or position."))


def assign_client(db: Database, client_ref: str, *, specialist: str | None = None,
                  manager: str | None = None) -> tuple[str, str]:
    """Set a client's responsible specialist and/or manager (logins; '' clears). Returns both logins.

    In a team (the server, or a laptop joined with «sync setup») the logins must be active members with a fitting
    role (the specialist a specialist; the manager a manager or an admin); on the server RLS decides whether the
    signed-in person may change this client at all, on a laptop the same rule on its copy of the roster
    (app/team/assign.py). Raises UserError for unknown clients or members, a member of another role, or a change
    the signed-in person may not make; nothing is written then."""
    from sqlalchemy.exc import ProgrammingError

    from app.team.assign import assign

    try:
        return assign(db, client_ref, specialist, manager)
    except ProgrammingError as exc:
        if "row-level security" not in str(exc.orig):
            raise
        raise UserError(_("You may not hand this client to that person: only their manager or an administrator "
                          "may. Nothing was changed.")) from None


def set_profile_name(db: Database, name: str) -> str:
    """Name the person using this laptop (the author of its changes and audit lines, and outside a team the
    specialist its documents print: :func:`local_profile_name`). Raises UserError for an empty or overlong name,
    or on a team laptop (the name is the team's there)."""
    from app.domain import validation as v

    clean = v.clean_text(name, _("Name"), max_len=200, paper=True)
    if not clean:
        raise UserError(_("Give the name of the person working on this computer."))
    with db.read() as session:  # in a team the author is the login, shown by the member's name
        _refuse_on_a_team_laptop(session, "name")
    with db.unit() as session:
        row = session.get(Setting, PROFILE_KEY)
        if row is None:
            session.add(Setting(key=PROFILE_KEY, value=clean))
        else:
            row.value = clean
    return clean


def _refuse_on_a_team_laptop(session: Session, field: str) -> None:
    """In a team the member's name and position are the team's (``users edit``): refuse a local change."""
    login = current_login(session)
    if not login:
        return
    if field == "name":
        message = _("In a team your name is the team's (it signs your documents): an administrator runs «users "
                    "edit {login} --name …» on the team server; this laptop takes it at its next sync. Nothing was "
                    "changed.")
    else:
        message = _("In a team your position is the team's (it is printed under your signature): an administrator "
                    "runs «users edit {login} --position …» on the team server; this laptop takes it at its next "
                    "sync. Nothing was changed.")
    raise UserError(message.format(login=login))


def set_profile_position(db: Database, position: str) -> str:
    """The position printed under this computer's person's signature when not in a team: the executor's
    specialist position (what single-user documents print; also Settings → Executor details). In a team the
    member's own position signs (``users edit``): refused there. Raises UserError for an empty or bad value."""
    from app.domain import validation as v
    from app.services.documents.executor import update_executor

    clean = v.clean_text(position, _("Position"), max_len=200, paper=True)
    if not clean:
        raise UserError(_("Give the position printed under your signature."))
    with db.read() as session:
        _refuse_on_a_team_laptop(session, "position")
    update_executor(db, specialist_position=clean)
    return clean


def profile_position(db: Database) -> str:
    """The position under this computer's person's signature: the team member's own in a team (as the laptop's
    last sync copied it), else the executor's specialist position ('' when none is set)."""
    with db.read() as session:
        login = current_login(session)
        if login:
            member = session.get(TeamUser, login)
            return member.position if member is not None else ""
        executor = session.scalars(select(Executor).limit(1)).first()
        return executor.specialist_position if executor is not None else ""


def profile_name(db: Database) -> str:
    """Who writes on this computer (see :func:`current_author`), as the history shows them: in a team the
    member's name (the login when the laptop does not know it yet)."""
    with db.read() as session:
        author = current_author(session)
        login = current_login(session)
        member = session.get(TeamUser, login) if login else None
        return member.full_name if member is not None and member.full_name else author


def local_profile_name(session: Session) -> str:
    """The local profile's name (``team profile --name``) on a computer outside any team; '' when it is not set
    or in a team (there the member's own name signs: :func:`team_signer`). Documents print it as the specialist
    (issue 17: «on SQLite the local profile's name»), before the executor's specialist name."""
    if current_login(session):
        return ""
    row = session.get(Setting, PROFILE_KEY)
    return (row.value or "").strip() if row is not None else ""


def signer(session: Session) -> tuple[str, str]:
    """The issuing person's (name, position) for a document's signature: the team member's own in a team;
    otherwise the local profile's name (when set, else the executor's specialist name) with the executor's
    specialist position. Company requisites stay shared. Raises nothing; ('', '') when nothing is set."""
    login = current_login(session)
    if login:
        member = session.get(TeamUser, login)
        if member is not None:
            return member.full_name, member.position
    executor = session.scalars(select(Executor).limit(1)).first()
    name = local_profile_name(session) or (executor.specialist_name if executor is not None else "")
    return name, executor.specialist_position if executor is not None else ""


def team_signer(session: Session) -> tuple[str, str] | None:
    """(name, position) of the signed-in team member for the documents they issue, or None outside a team
    (then the executor's specialist signs, as before). Raises UserError when the member has no position (it is
    printed under the signature): the message names the command that sets it."""
    login = current_login(session)
    if not login:
        return None
    member = session.get(TeamUser, login)
    if member is None or not member.full_name:
        return None
    if not (member.position or "").strip():
        raise UserError(_("Cannot print: your position in the team ({login}) is not set, and it is printed under "
                          "your signature. An administrator runs «users edit {login} --position …» on the team "
                          "server; then sync this laptop and print again.").format(login=login))
    return member.full_name, member.position


def my_client_ids(db: Database) -> set[int]:
    """«Мои заказчики»: ids of the clients whose responsible specialist or manager is the signed-in person
    (on a laptop that is not synced: every client, as there is only one person)."""
    with db.read() as session:
        login = current_login(session)
        query = select(Client.id)
        if login:
            query = query.where((Client.specialist_login == login) | (Client.manager_login == login))
        return set(session.scalars(query))


def team_login(db: Database) -> str:
    """The signed-in person's team login ('' outside a team: a laptop that never ran «sync setup»). The
    window offers «Мои заказчики» only with a login, since otherwise every client is the one person's."""
    with db.read() as session:
        return current_login(session)
