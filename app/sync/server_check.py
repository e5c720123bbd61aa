"""The team server reached, and checked before a sync sends anything: its schema, the member, its versions."""

from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ProgrammingError

from app.i18n import _
from app.persistence.db import Database
from app.sync import engine as sync_engine
from app.sync import witness
from app.sync.laptop_settings import _setting_value
from app.sync.refusals import SyncRefused, server_went_back

CONNECT_TIMEOUT_S = 5


def _connect(url: str, password: str) -> Engine:
    full = make_url(url).set(password=password)
    return create_engine(full, pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT_S})


def _check_server(server: Engine, login: str, first: bool = False) -> int:
    """Schema and membership checks; returns the server's current year. Raises SyncRefused (``first``: for the
    first «sync setup» of a laptop, which has no changes to keep)."""
    from app.persistence.migrate import head_revision
    from app.sync.refusals import kept_words

    with server.connect() as conn:
        try:
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except ProgrammingError as exc:
            from app.sync.refusals import no_active_member
            from app.team.pg_refusals import INSUFFICIENT_PRIVILEGE, sqlstate

            if sqlstate(exc) == INSUFFICIENT_PRIVILEGE:  # a login of the server that may not read the team's data
                raise no_active_member(None, login, first) from None
            revision = None
        if revision is None or not _has_team_schema(conn):
            raise SyncRefused("not_team", _("The database «{db}» is not a team database (the administrator runs "
                                            "«server init» on it); {kept}.").format(
                db=server.url.database or "", kept=kept_words(first)))
        if revision == head_revision() and conn.execute(text("SELECT to_regclass('sync_witness')")).scalar() is None:
            revision = "witness"  # prepared by an older «server init» (no sync_witness): run it again
        if revision != head_revision():
            from app.persistence.migrate import versions_dir

            known = {p.name.split("_", 1)[0] for p in versions_dir().glob("*.py")}
            if revision not in known and revision != "witness":
                raise SyncRefused("schema_newer", _("The team server has a newer version of the data ({rev}) than "
                                                    "this program: update the program, then sync; {kept}.").format(
                    rev=revision, kept=kept_words(first)))
            raise SyncRefused("schema_older", _("The team server has an older version of the data: the "
                                                "administrator runs «server init» with this version of the program; "
                                                "{kept}.").format(kept=kept_words(first)))
        role = conn.execute(text("SELECT vn_app_role()")).scalar()
        if role is None:  # a member switched off, or a login of the server that is no member (its owner's)
            from app.sync.refusals import no_active_member

            raise no_active_member(conn, login, first)
        return int(conn.execute(text("SELECT extract(year FROM now())::int")).scalar_one())


def _has_team_schema(conn) -> bool:
    """Whether ``server init`` prepared this database (its function ``vn_app_role`` exists)."""
    return bool(conn.execute(text("SELECT count(*) FROM pg_proc WHERE proname = 'vn_app_role'")).scalar())


def _check_not_behind(db: Database, server: Engine) -> None:
    """Stop before anything is sent when the server's version sequence is below this laptop's watermark, or the
    server no longer holds the witness of this laptop's last sync (``refusals.server_went_back``: restored from
    an older dump; app/sync/witness.py)."""
    seen = int(_setting_value(db, sync_engine.PULLED_KEY) or 0)
    if not seen:
        return
    with server.connect() as sc:
        high = int(sc.execute(text("SELECT last_value FROM vn_row_version")).scalar() or 0)
    if high < seen:
        raise server_went_back(high, seen)
    if witness.server_went_back(db, server):  # restored, and others have drawn the sequence past us since
        raise server_went_back()
