"""Who keeps the team administered: a member may not disable themselves, nor anyone the team's last active
administrator (issue 17: `users disable adm` as adm ended its own connection; with the owner's login it left
the team with nobody to add or disable members); a disabled member is switched on again by `users enable`."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import UserError
from app.i18n import _
from app.persistence.db import Database
from app.persistence.models import TeamUser
from app.team.author import current_login


def refuse_losing_control(session: Session, user: TeamUser) -> None:
    """Raise UserError (nothing changed) when disabling ``user`` would take away the signed-in member's own
    access, or the team's last active administrator. The active administrators' rows are locked (FOR UPDATE)
    until the caller's transaction ends, so that two administrators disabling each other at the same moment
    cannot both succeed: the second one waits, then sees the first one's change."""
    if user.login == current_login(session):
        raise UserError(_("You cannot disable your own login «{login}»: another administrator of the team does "
                          "it.").format(login=user.login))
    if user.role != "admin" or not user.active:
        return
    admins = session.scalars(select(TeamUser.login).where(TeamUser.role == "admin", TeamUser.active.is_(True))
                             .order_by(TeamUser.login).with_for_update()).all()
    if not set(admins) - {user.login}:
        raise UserError(_("«{login}» cannot be disabled while they are the team's last active administrator: add "
                          "another administrator first («users add LOGIN --role admin …»).").format(
            login=user.login))


def enable_user(db: Database, login: str):
    """Switch a disabled member on again (``users enable``): their PostgreSQL role may log in again (LOGIN) and
    their ``team_user`` row is active, in one transaction; laptops take the roster at their next sync. Returns
    the member (app/team/users.py ``Member``). Raises UserError (nothing changed): not PostgreSQL, the
    signed-in person not an administrator, an unknown login, or a member who is active already."""
    from psycopg import sql

    from app.team.users import Member, _not_admin_members, _refused_for_rights, _require_pg, member_to_switch

    _require_pg(db)
    try:
        with db.unit() as session:
            user, can_log_in = member_to_switch(session, login)
            if user.active and can_log_in:
                raise UserError(_("«{login}» is not disabled: they can already sign in.").format(login=login))
            user.active = True
            driver = session.connection().connection.driver_connection
            assert driver is not None
            driver.execute(sql.SQL("ALTER ROLE {} LOGIN").format(sql.Identifier(login)))
            return Member(user.login, user.full_name, user.position, user.role, user.manager_login, True)
    except Exception as exc:  # e.g. an administrator without the right on this particular role
        if _refused_for_rights(exc):
            raise _not_admin_members() from None
        raise
