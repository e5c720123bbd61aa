"""Who may change the team-wide data (tariffs, rates, the executor's requisites, VAT, team settings) here.

On the team server only an administrator writes them (row-level security, app/team/server.py ``TEAM_WIDE``).
A laptop joined to a team (``sync setup``) knows the signed-in member's role from the roster the sync copies
(``team_user``, also copied by ``sync setup``), so a specialist's or a manager's change is refused at the
service edge with one Russian sentence — nothing is written locally, no audit line — instead of being
accepted here and lost at the next sync (issue 17). A computer that is not in a team (no login) changes
nothing: its one person is its administrator.

Imports only the persistence layer (the session hook of app/team/hooks.py asks it too)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from app.errors import UserError
from app.i18n import N_, _
from app.persistence.models import ExchangeRate, Executor, Setting, Tariff, TeamUser, VatRate
from app.team.author import current_login

# ``setting`` keys that are the team's: they change money on documents, so every laptop must bill alike —
# copied from the server at each sync, pushed by an administrator's laptop, refused to others.
TEAM_SETTINGS = frozenset({
    "billing_rounding_min",  # app/services/entry_rounding.py ROUNDING_KEY: billing rounding per entry
    "hours_per_day",  # app/services/estimates.py HOURS_PER_DAY_KEY: hours of an on-site working day
    "billing_rounding_reason",  # app/services/entry_rounding.py ROUNDING_REASON_KEY: why it changed over billed work
})
# Every other key is this computer's own and stays editable by anyone, in a team or not: the reminder
# thresholds (``stalled_days``, ``unreturned_act_days``), the conference timer (``conference_timer``), the demo
# mark (``demo_database``), ``installation_id`` and ``file.*`` (app/sync/file_home.py), the profile and login
# (``team.*``), the sync's and the bundles' bookkeeping (``sync.*``, ``exchange.*``). Window layout and language
# are Qt settings, not in the database.

# what a refusal names, by kind of data
TARIFFS, RATES, REQUISITES, VAT, SETTINGS = "tariffs", "rates", "requisites", "vat", "settings"
_REFUSALS = {
    TARIFFS: N_("Tariffs are changed only by the team's administrator, and you are signed in as {who}: "
                "nothing was changed."),
    RATES: N_("Exchange rates are changed only by the team's administrator, and you are signed in as {who}: "
              "nothing was changed."),
    REQUISITES: N_("The executor's requisites are changed only by the team's administrator, and you are signed "
                   "in as {who}: nothing was changed."),
    VAT: N_("VAT is changed only by the team's administrator, and you are signed in as {who}: nothing was "
            "changed."),
    SETTINGS: N_("The team's billing settings (rounding, hours per working day) are changed only by the team's "
                 "administrator, and you are signed in as {who}: nothing was changed."),
}
ROLE_NAMES = {"specialist": N_("specialist"), "manager": N_("manager"), "admin": N_("administrator")}


def team_setting(key: str) -> bool:
    """Whether the ``setting`` row ``key`` is team-wide (:data:`TEAM_SETTINGS`) rather than this computer's."""
    return key in TEAM_SETTINGS


def kind_of(obj: object) -> str | None:
    """Which team-wide data an ORM object is (TARIFFS … SETTINGS), None for anything else (a local setting)."""
    if isinstance(obj, Tariff):
        return TARIFFS
    if isinstance(obj, ExchangeRate):
        return RATES
    if isinstance(obj, Executor):
        return REQUISITES
    if isinstance(obj, VatRate):
        return VAT
    if isinstance(obj, Setting) and team_setting(obj.key):
        return SETTINGS
    return None


def member(session: Session) -> tuple[str, TeamUser | None] | None:
    """(login, the roster's row) of the signed-in team member, None when this computer is not in a team (no
    login: plain SQLite) or the login is not a member (a PostgreSQL owner's own connection). On a laptop a
    login with no roster row yet gives (login, None): its rights are unknown, so not an administrator's."""
    login = current_login(session)
    if not login:
        return None
    with session.no_autoflush:
        row = session.get(TeamUser, login)
    if row is None and session.get_bind().dialect.name == "postgresql":
        return None  # not a member: the database's owner (server init, bench) is not subject to the team's rules
    return login, row


def is_admin(session: Session) -> bool:
    """Whether the signed-in person may change team-wide data here (True outside a team)."""
    found = member(session)
    if found is None:
        return True
    row = found[1]
    return row is not None and row.active and row.role == "admin"


def refusal(session: Session, kind: str) -> UserError:
    """The one Russian sentence refusing a change of ``kind`` to the signed-in member: «Тарифы меняет только
    администратор команды, а вы вошли как Иванова Анна (специалист): ничего не изменено.»"""
    found = member(session)
    login, row = found if found is not None else ("", None)
    if row is not None:
        role = _(ROLE_NAMES[row.role]) if row.role in ROLE_NAMES else row.role
        if not row.active:
            role = _("access revoked")
        who = f"{row.full_name or login} ({role})"
    else:
        who = login
    return UserError(_(_REFUSALS[kind]).format(who=who))


def require_admin(session: Session, kind: str) -> None:
    """Refuse (UserError, one Russian sentence) a change of team-wide data of ``kind`` (TARIFFS, RATES,
    REQUISITES, VAT, SETTINGS) unless the signed-in person is the team's administrator or the computer is not
    in a team. Call it at the start of the writing service, before anything is written."""
    if not is_admin(session):
        raise refusal(session, kind)


def require_admin_db(db, kind: str) -> None:
    """:func:`require_admin` in a read session of ``db`` (``app.persistence.db.Database``)."""
    with db.read() as session:
        require_admin(session, kind)


def admin_on_laptop(session: Session) -> bool:
    """Whether this is a team laptop (SQLite with a login) whose signed-in member is an administrator: its
    team-wide changes are queued for the server (``sync_outbox``) like any record."""
    if session.get_bind().dialect.name == "postgresql":
        return False
    return member(session) is not None and is_admin(session)


# the team-wide tables a laptop's administrator pushes (``sync_outbox`` entries named by :func:`record_key`)
TEAM_TABLES = ("tariff", "exchange_rate", "vat_rate", "executor", "setting")
KIND_OF_TABLE = {"tariff": TARIFFS, "exchange_rate": RATES, "vat_rate": VAT, "executor": REQUISITES,
                 "setting": SETTINGS}


def record_key(table: str, value: Callable[[str], Any]) -> str:
    """The name of a team-wide record (they have no UUID): «remote_hour:2024-07-01» for a tariff, «USD:…» for
    a rate, the date for a VAT rule, «executor» for the one row of requisites, the key for a setting.
    ``value(column)`` reads the record (an object's attribute or a row's column). The audit trail names the
    record the same way (app/team/hooks.py)."""
    if table == "tariff":
        return f"{value('kind')}:{value('valid_from')}"
    if table == "exchange_rate":
        return f"{value('currency')}:{value('valid_from')}"
    if table == "vat_rate":
        return str(value("valid_from"))
    if table == "executor":
        return "executor"
    return str(value("key"))


def require_client_deletable(session: Session, client_id: int) -> None:
    """Refuse (UserError, app/team/pg_refusals.py ``kept_client``) deleting a client that has issued documents
    (in force or voided) on a team laptop whose signed-in member is not the team's administrator: the server
    never deletes them for such a member (app/team/server_triggers.py vn_client_kept), so the deletion would
    only fail at every sync. Outside a team, and for an administrator, nothing is refused."""
    from sqlalchemy import select

    from app.persistence.models import Document
    from app.team.pg_refusals import kept_client

    if is_admin(session):
        return
    if session.scalar(select(Document.id).where(Document.client_id == client_id).limit(1)) is not None:
        raise kept_client()
