"""«sync setup»: this laptop connected to the team server, the password kept in the system keyring."""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InterfaceError, OperationalError, ProgrammingError

from app.errors import UserError
from app.i18n import _
from app.persistence.db import Database
from app.sync import engine as sync_engine
from app.sync import unnoted as unnoted_notes
from app.sync.address import url_password, without_password
from app.sync.laptop_settings import _put, _setting_value
from app.sync.refusals import is_address_error, keyring_available, no_keyring, reason, wrong_integer_refusal
from app.sync.rows import TABLES
from app.sync.server_check import _check_server, _connect
from app.sync.status import LAST_ERROR_KEY, LAST_KIND_KEY, URL_KEY
from app.sync.status import read_settings as _settings
from app.sync.team_copy import _copy_members
from app.team.users import LOGIN_KEY

KEYRING_SERVICE = "vnedrenie-team-server"
log = logging.getLogger(__name__)


def keyring_password(url: str) -> str | None:
    """The saved password of ``url`` from the system keyring (None if none is saved or none can be read)."""
    import keyring

    try:
        return keyring.get_password(KEYRING_SERVICE, url)
    except Exception as exc:  # any backend's failure: the sync says the password cannot be read
        log.info("keyring: %s", exc)
        return None


def _moved_password(db: Database, url: str) -> str:
    """The stored server URL without a password: one stored with it by an earlier version is rewritten, its
    password moved to the keyring under the clean URL and the old entry removed. Returns the clean URL."""
    clean = without_password(url)
    if clean == url:
        return url
    import keyring

    password = keyring_password(url) or url_password(url)
    try:
        keyring.set_password(KEYRING_SERVICE, clean, str(password))
        keyring.delete_password(KEYRING_SERVICE, url)
    except Exception as exc:  # any backend's failure: the URL is cleaned anyway, «sync setup» saves it again
        log.info("keyring: %s", exc)
    _put(db, {URL_KEY: clean})
    return clean


def _known_member(db: Database, login: str) -> bool:
    """Whether ``login`` is an active member in this laptop's copy of the team's roster (the last sync's)."""
    from app.persistence.models import TeamUser

    with db.read() as session:
        member = session.get(TeamUser, login)
        return member is not None and bool(member.active)


def setup(db: Database, url: str, password: str) -> str:
    """Connect this laptop to the team server as the user named in ``url``; returns the login.

    Checks the password and the membership by connecting, saves the password in the system keyring (never in
    the database or a config file), remembers the URL without password, and queues every record that has
    never been synced so the first sync sends it. Raises UserError for anything that cannot work, and for a
    laptop that already synced as another member (it holds their data: a database per member)."""
    from app.sync.refusals import require_member_url

    require_member_url(url)  # worded for a laptop: a member's login, not the owner's
    parsed = make_url(url)
    login = parsed.username or ""
    if not login:
        raise UserError(_("The URL must name your login: postgresql+psycopg://LOGIN@host/db."))
    clean = without_password(url)
    if password and url_password(url) and password != url_password(url):  # which one is meant: the trial 17g
        raise UserError(_("The address has a password in it and the password file (or the prompt) gives another: "
                          "give the password once, in the file (or at the prompt), with the address without it; "
                          "nothing was saved."))
    if not keyring_available():  # asked first: a password that cannot be kept is not checked for nothing
        raise no_keyring()
    settings = _settings(db)
    first = not settings.get(URL_KEY)  # never connected: no «next sync» to promise, no changes kept
    bad_integer = wrong_integer_refusal(url, first)  # «?connect_timeout=abc»: the program's own timeout hid it
    if bad_integer is not None:
        raise bad_integer
    before = settings.get(LOGIN_KEY) or ""
    if before and before != login and _setting_value(db, sync_engine.PULLED_KEY):
        # the laptop holds what the server showed another member, with their bases: a second person on it would
        # push one's edits as the other's and never receive their own clients (the trial)
        if not _known_member(db, login):  # the server owner's login, or no member this laptop has heard of
            raise UserError(_("This laptop already syncs with the team as «{before}» and holds that member's data: "
                              "it cannot switch to «{login}», which is not a member of the team here. Each member "
                              "works in a database of their own (another data folder or --db FILE), connected "
                              "with the login the administrator added them with («users add»); the server owner's "
                              "login only prepares the server («server init»). Nothing was changed.")
                            .format(before=before, login=login))
        raise UserError(_("This laptop already syncs with the team as «{before}» and holds that member's data: it "
                          "cannot switch to «{login}». Work as «{login}» in a database of their own (another data "
                          "folder or --db FILE), and connect that one with «sync setup». Nothing was changed.")
                        .format(before=before, login=login))
    server = _connect(clean, password or url_password(url))
    try:
        _check_server(server, login, first)
        _copy_members(server, db)  # the member's role is known here from now on (app/team/rights.py)
    except (OperationalError, InterfaceError, OSError) as exc:
        raise reason(exc, clean, first=first) from None
    except ProgrammingError as exc:
        if not is_address_error(exc):
            raise
        raise reason(exc, clean, first=first) from None
    finally:
        server.dispose()
    import keyring

    try:
        keyring.set_password(KEYRING_SERVICE, clean, password or url_password(url))
    except Exception as exc:  # any backend's failure (D-Bus gone, locked store …): never a plain-text fallback
        log.info("keyring: %s", exc)
        raise no_keyring() from None
    _put(db, {URL_KEY: clean, LOGIN_KEY: login, LAST_ERROR_KEY: None, LAST_KIND_KEY: None})
    unnoted_notes.clear(db)
    with db.engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn, conn.begin():
        for name in TABLES:
            conn.execute(text(
                f"INSERT OR IGNORE INTO sync_outbox(table_name, record_uuid, deleted) SELECT '{name}', uuid, 0 "
                f"FROM {name} WHERE row_version = 0 "  # > 0: came from the server (its own base, app/sync/bases.py)
                f"AND uuid NOT IN (SELECT record_uuid FROM sync_base WHERE table_name = '{name}')"))
    return login
