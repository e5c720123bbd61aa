"""A team member's new password (`users password`): set by an administrator, or by the member for their own login."""

from __future__ import annotations

from app.errors import UserError
from app.i18n import _
from app.persistence.db import Database
from app.persistence.models import TeamUser
from app.team.author import current_login


def set_password(db: Database, login: str, password: str):
    """Give ``login``'s PostgreSQL role a new scram-sha-256 password (one transaction); returns the member
    (app/team/users.py ``Member``). Their laptops are then refused at the next sync until «sync setup» is run
    again with the new password (app/sync/refusals.py: «Сервер команды не принял пароль»).

    Raises UserError (nothing changed): not PostgreSQL, a password shorter than ``users.MIN_PASSWORD``, an unknown
    login, or someone else's login when the signed-in person is not an administrator (a member may change their
    own). The rule that a role may change its own password and an administrator (CREATEROLE) another's is
    PostgreSQL's (ALTER ROLE)."""
    from psycopg import sql

    from app.team.users import (
        MIN_PASSWORD,
        Member,
        _may_manage_members,
        _not_admin_members,
        _refused_for_rights,
        _require_pg,
        member_to_switch,
    )

    _require_pg(db)
    if len(password) < MIN_PASSWORD:
        raise UserError(_("The password is too short: at least {n} characters.").format(n=MIN_PASSWORD))
    try:
        with db.unit() as session:
            if login == current_login(session):
                user = session.get(TeamUser, login)
                if user is None:  # the server's owner: not a member, its password is the database's affair
                    raise UserError(_("«{login}» is not a team member: change its password in PostgreSQL.").format(
                        login=login))
            else:
                if not _may_manage_members(session):
                    raise UserError(_("Only a team administrator gives another member a new password; a member "
                                      "changes their own («users password YOUR_LOGIN»)."))
                user, _can_log_in = member_to_switch(session, login)  # an administrator's, for another member
            driver = session.connection().connection.driver_connection
            assert driver is not None
            driver.execute("SET LOCAL password_encryption = 'scram-sha-256'")
            driver.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(login), sql.Literal(password)))
            return Member(user.login, user.full_name, user.position, user.role, user.manager_login, user.active)
    except Exception as exc:  # the server's own «no» (e.g. an administrator without the right on this role)
        if _refused_for_rights(exc):
            raise _not_admin_members() from None
        raise
