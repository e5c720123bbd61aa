"""Who keeps the team administered: a member may not disable themselves, nor anyone the team's last active
administrator (issue 17: `users disable adm` as adm ended its own connection; with the owner's login it left
the team with nobody to add or disable members)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import UserError
from app.i18n import _
from app.persistence.models import TeamUser
from app.team.author import current_login


def refuse_losing_control(session: Session, user: TeamUser) -> None:
    """Raise UserError (nothing changed) when disabling ``user`` would take away the signed-in member's own
    access, or the team's last active administrator. The active administrators' rows are locked (FOR UPDATE)
    until the caller's transaction ends, so that two administrators disabling each other at the same moment
    cannot both succeed: the second one waits, then sees the first one's change."""
    if user.login == current_login(session):
        raise UserError(_("You cannot disable your own login «{login}»: another administrator of the team does "
                          "it. Nothing was changed.").format(login=user.login))
    if user.role != "admin" or not user.active:
        return
    admins = session.scalars(select(TeamUser.login).where(TeamUser.role == "admin", TeamUser.active.is_(True))
                             .order_by(TeamUser.login).with_for_update()).all()
    if not set(admins) - {user.login}:
        raise UserError(_("«{login}» is the team's last active administrator: add another administrator first "
                          "(«users add LOGIN --role admin …»), then disable this one. Nothing was changed.").format(
            login=user.login))
