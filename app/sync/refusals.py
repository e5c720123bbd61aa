"""Why a sync could not use the team server, in one Russian sentence each (issue 17): the driver's English goes
to the log only; ``SyncRefused.kind`` tells the status line which state to show («Сервер новее программы:
обновите программу — …», «Нет связи с сервером — …»). Also the system keyring's presence: the password of the
server is kept there or nowhere."""

from __future__ import annotations

import logging
import re

from sqlalchemy.engine import make_url

from app.domain.quotes import in_quotes
from app.errors import UserError
from app.i18n import N_, _

log = logging.getLogger(__name__)


class SyncRefused(UserError):
    """A sync (or ``sync setup``) that could not use the server, in one Russian sentence. ``kind`` says why,
    for the status line: 'offline' (no connection), 'password', 'revoked', 'not_member' (a login of the server
    that is no team member, e.g. its owner's), 'not_allowed' (pg_hba.conf), 'unknown_user', 'no_database',
    'not_team' (a database without the team schema), 'schema_newer', 'schema_older', 'keyring', 'no_password'."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


KEPT = N_("your changes are kept on this laptop")
# the tail of a refusal of the first «sync setup» of a laptop (never connected: it has no changes kept for a
# server — the trial 17g heard «ваши изменения сохранены на ноутбуке» on a brand-new file)
NOT_YET = N_("the laptop is not connected yet, nothing was saved")


def kept_words(first: bool = False) -> str:
    """The tail of a refusal: «ваши изменения сохранены на ноутбуке», or for the first «sync setup» of a laptop
    never connected (``first``) that nothing was saved."""
    return _(NOT_YET) if first else _(KEPT)


def _found(pattern: str, message: str) -> tuple[str, ...] | None:
    found = re.search(pattern, message)
    return found.groups() if found else None


def address_problem(message: str) -> str | None:
    """What is wrong in the server's address, read from a driver's (English) ``message``, as a Russian clause
    («у параметра «sslmode» неверное значение «bogus»»); None when the message is not about the address. Covers
    libpq's «invalid sslmode value», «invalid integer value … for connection option», psycopg's «bad value for
    connect_timeout» and the server's FATAL answers to «?options=-c…» (a setting it does not know or whose value
    is wrong): the server answered or nothing was sent, so never «no connection» (the trial 17g)."""
    value = (_found(r'invalid integer value "([^"]*)" for connection option "([^"]*)"', message) or ())[::-1] \
        or _found(r'invalid "?([A-Za-z_]+)"? value: "([^"]*)"', message) \
        or _found(r"bad value for ([A-Za-z_]+): '([^']*)'", message) \
        or _found(r'([A-Za-z_]+) value "([^"]*)" invalid', message)
    if value:
        return _("the parameter «{name}» has a wrong value «{value}»").format(name=value[0], value=value[1])
    setting = _found(r'invalid value for parameter "([^"]*)": "([^"]*)"', message)
    if setting:
        return _("the server setting «{name}» (the parameter «options») has a wrong value «{value}»").format(
            name=setting[0], value=setting[1])
    setting = _found(r'unrecognized configuration parameter "([^"]*)"', message)
    if setting:
        return _("PostgreSQL has no server setting «{name}» (the parameter «options»)").format(name=setting[0])
    setting = _found(r'parameter "([^"]*)" cannot be (?:changed|set)', message) \
        or _found(r'permission denied to set parameter "([^"]*)"', message)
    if setting:
        return _("the server does not let the address set «{name}» (the parameter «options»)").format(
            name=setting[0])
    return None


def is_address_error(exc: BaseException) -> bool:
    """Whether the driver's error ``exc`` is about the address (an unknown parameter, a wrong value)."""
    message = str(getattr(exc, "orig", None) or exc)
    return "invalid connection option" in message or address_problem(message) is not None


def wrong_address(problem: str, first: bool = False) -> SyncRefused:
    """The refusal of an address ``problem`` (a clause of :func:`address_problem`), kind 'bad_address'."""
    return SyncRefused("bad_address", _("Wrong address of the team server: {problem}; correct the address («sync "
                                        "setup --database-url …»); {kept}.").format(problem=problem,
                                                                                   kept=kept_words(first)))


def wrong_integer_refusal(url: str, first: bool = False) -> SyncRefused | None:
    """The refusal of an address whose integer parameter is no integer (app/sync/address.py), None if none."""
    from app.sync.address import wrong_integer

    found = wrong_integer(url)
    if found is None:
        return None
    return wrong_address(_("the parameter «{name}» has a wrong value «{value}»").format(name=found[0],
                                                                                       value=found[1]), first)


def _quoted(message: str, before: str) -> str:
    """The first double-quoted name after ``before`` in a driver message ('' if none)."""
    found = re.search(re.escape(before) + r'\s*"([^"]*)"', message)
    return found.group(1) if found else ""


# PostgreSQL's FATAL answers that pass by themselves (too many connections, starting up, shutting down, recovering)
BUSY_SERVER = ("too many clients", "remaining connection slots", "the database system is starting up",
               "the database system is shutting down", "the database system is in recovery mode",
               "the database system is not yet accepting connections")


def reason(exc: Exception, url: str = "", *, first: bool = False) -> SyncRefused:
    """The one Russian sentence for a failure to reach or use the server; the driver's own (English) text
    goes to the log only. ``url`` (without password) names the host and the database. ``first``: the «sync
    setup» of a laptop never connected, which has no «next sync» to promise — it is told to run the setup again."""
    message = str(getattr(exc, "orig", None) or exc)
    log.info("team server %s: %s", url, message.replace("\n", " ").strip())
    parsed = make_url(url) if url else None
    host = (parsed.host or "localhost") if parsed is not None else "?"
    port = (parsed.port or 5432) if parsed is not None else 5432
    kept = kept_words(first)
    option = _quoted(message, "invalid connection option")
    if option:  # «?bogus=1» in the address (the trial 17f: «Внутренняя ошибка: ProgrammingError …», exit 1)
        return SyncRefused("bad_address", _("The server's address has a parameter PostgreSQL does not know: «{name}»; "
                                            "correct the address («sync setup --database-url …»); {kept}.").format(
            name=option, kept=kept))
    problem = address_problem(message)
    if problem:
        return wrong_address(problem, first)
    if "password authentication failed" in message:
        return SyncRefused("password", _("The team server refused the password: run «sync setup» again with the "
                                         "right one; {kept}.").format(kept=kept))
    if "not permitted to log in" in message:
        return SyncRefused("revoked", _("Your access to the team server has been revoked (ask the administrator); "
                                        "{kept}.").format(kept=kept))
    role = _quoted(message, "role")
    if role and "does not exist" in message:
        return SyncRefused("unknown_user", _("The team server has no member «{login}»: check the login in the "
                                             "address or ask the administrator; {kept}.").format(login=role,
                                                                                                kept=kept))
    database = _quoted(message, "database")
    if database and "does not exist" in message:
        return SyncRefused("no_database", _("The team server {host} has no database «{db}»: check the address "
                                            "(«sync setup --database-url …»); {kept}.").format(
            host=host, db=database, kept=kept))
    if "no pg_hba.conf entry" in message:
        return SyncRefused("not_allowed", _("The team server {host} does not let this login in from this computer (ask "
                                        "the administrator); {kept}.").format(host=host, kept=kept))
    if any(words in message for words in BUSY_SERVER):  # it answers, but cannot take this login just now
        if first:
            return SyncRefused("offline", _("The team server {host} is busy or restarting and does not take the "
                                            "connection now; the laptop is not connected yet — run «sync setup» "
                                            "again in a few minutes.").format(host=host))
        return SyncRefused("offline", _("The team server {host} is busy or restarting and does not take the "
                                        "connection now; {kept} and will be sent at the next sync.").format(
            host=host, kept=kept))
    if "FATAL:" in message:  # the server answered, and refused: never «no connection» (the trial 17g)
        return SyncRefused("refused_login", _("The team server {host} answered but refused the connection: check "
                                              "the address and the login, or ask the administrator; {kept}.").format(
            host=host, kept=kept))
    if first and ("resolve host" in message or "Name or service not known" in message
                  or "nodename nor servname" in message):
        return SyncRefused("offline", _("No connection to the team server: the name {host} is not found (check the "
                                        "network or the address); the laptop is not connected yet — run «sync "
                                        "setup» again when the server answers.").format(host=host))
    if first and "Connection refused" in message:
        return SyncRefused("offline", _("No connection to the team server: nothing answers at {host}, port {port} "
                                        "(check the address and the port); the laptop is not connected yet — run "
                                        "«sync setup» again when the server answers.").format(host=host, port=port))
    if first:
        return SyncRefused("offline", _("No connection to the team server {host}; the laptop is not connected yet — "
                                        "run «sync setup» again when the server answers.").format(host=host))
    if "resolve host" in message or "Name or service not known" in message or "nodename nor servname" in message:
        return SyncRefused("offline", _("No connection to the team server: the name {host} is not found (check "
                                        "the network or the address); {kept} and will be sent at the next "
                                        "sync.").format(host=host, kept=kept))
    if "Connection refused" in message:
        return SyncRefused("offline", _("No connection to the team server: nothing answers at {host}, port "
                                        "{port} (check the address and the port); {kept} and will be sent at "
                                        "the next sync.").format(host=host, port=port, kept=kept))
    return SyncRefused("offline", _("No connection to the team server {host}; {kept} and will be sent at the "
                                    "next sync.").format(host=host, kept=kept))


def require_member_url(url: str) -> None:
    """Refuse (UserError) a ``sync setup`` address that is not PostgreSQL, in the words of a laptop's command: the
    team server is PostgreSQL and a laptop connects with its member's login (not the owner's, which prepares the
    server with «server init»)."""
    from app.team.server import is_postgres, require_psycopg

    if not is_postgres(url):
        raise UserError(_("The team server is a PostgreSQL database: give its address with your login as a team "
                          "member, e.g. «sync setup --database-url postgresql+psycopg://LOGIN@host/dbname» (the "
                          "login the administrator added you with, «users add»); nothing was changed."))
    require_psycopg(url)


def no_active_member(conn, login: str, first: bool = False) -> SyncRefused:
    """Why a login that connected has no app role on the team server (``vn_app_role()`` is NULL), read with its
    own connection ``conn`` (None: it may not read the team's tables at all, so it is no member): a member switched off (their row in ``team_user`` inactive) is «revoked»; any other
    login of the server — its owner's, who prepared it with «server init», or a role that is no member — is told
    that a laptop connects as a member added by «users add» (issue 17 trial: the owner's login heard «Ваш доступ
    к серверу команды отозван»)."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    try:
        row = None if conn is None else conn.execute(text(
            "SELECT active FROM team_user WHERE login = current_user::text")).first()
    except DBAPIError:  # a login that may not even read the roster: no member either
        row = None
    if row is not None:
        return SyncRefused("revoked", _("Your access to the team server has been revoked (ask the administrator); "
                                        "{kept}.").format(kept=kept_words(first)))
    return SyncRefused("not_member", _("«{login}» is not a member of the team on this server: a laptop connects "
                                       "with the login of a member the administrator added with «users add» (the "
                                       "server owner's login only prepares the server, «server init»); "
                                       "{kept}.").format(login=login, kept=kept_words(first)))


def server_refused(exc: Exception) -> SyncRefused:
    """A sync the server stopped by refusing what this laptop sent (a trigger of app/team/server_triggers.py, a
    member's right, a constraint): kind ``server_refused``, one Russian sentence with the server's reason
    (app/team/pg_refusals.py), the driver's text to the log only. Nothing here is lost: the changes stay queued."""

    from app.team.pg_refusals import READ_ONLY, sqlstate

    why = after_colon(_refusal_words(exc))
    if sqlstate(exc) == READ_ONLY:  # the one refusal that passes by itself: the changes go at a later sync
        return SyncRefused("server_refused", _("The sync stopped: {why} Your changes not sent yet are kept on this "
                                               "laptop and are sent at the next sync.").format(why=why))
    # any other refusal comes back at every sync until someone resolves it: no promise of «the next sync»
    return SyncRefused("server_refused", _("The sync stopped: {why} It stops again at every sync until this is "
                                           "resolved (ask the team's administrator); your changes are kept on this "
                                           "laptop.").format(why=why))


def _refusal_words(exc: Exception) -> str:
    """The server's reason for refusing ``exc`` in one Russian sentence (app/team/pg_refusals.py), without its
    «Nothing was changed.»; the driver's text goes to the log only."""
    from app.sync.refused import Stuck
    from app.team.pg_refusals import server_refusal

    if isinstance(exc, Stuck):
        return _("This laptop cannot send the change: it stays in the queue after every attempt.")
    refusal = server_refusal(exc)
    if refusal is None:
        log.info("team server refused the sync: %s", str(getattr(exc, "orig", None) or exc).replace("\n", " ").strip())
        return _("The team server refused a change sent by this laptop.")
    return refusal.full_text().replace(_("Nothing was changed."), "").strip()


def is_local(exc: BaseException) -> bool:
    """Whether a database error of a sync came from this laptop's SQLite file, not from the team server."""
    import sqlite3

    return isinstance(getattr(exc, "orig", exc), sqlite3.Error)


def local_failure(exc: BaseException) -> SyncRefused:
    """A sync stopped by this laptop's own database (``exc``: a SQLAlchemy DBAPIError over sqlite3): kind
    ``local``, one Russian sentence with the reason (a full disk, a read-only file, a file busy in another program,
    app/errors.py), never said as the server's refusal; the driver's text goes to the log. What this laptop
    took from the server is rolled back with its transaction and taken again at the next sync (a disk that is
    full or read-only: app/errors.py says which)."""
    import sqlite3

    from app.errors import sqlite_error_text

    orig = getattr(exc, "orig", exc)
    log.info("the laptop's database stopped the sync: %s", str(orig).replace("\n", " "))
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF == 8:  # SQLITE_READONLY: the file (its permissions), not the disk
        why = _("the database file is read-only")
    else:
        why = sqlite_error_text(orig) if isinstance(orig, sqlite3.Error) else _("database error")
    return SyncRefused("local", _("The sync stopped on this laptop, not on the server — its database did not take "
                                  "the changes: {why}. What was already synchronised is kept; sync again once the "
                                  "database takes changes.").format(why=why.rstrip(".")))


def stopped(db, exc) -> SyncRefused:
    """The sentence of a sync stopped at one record (app/sync/refused.py ``StoppedAt`` ``exc``): the record as the
    conflicts name it («Журнал работ (03.03.2026, Конференция)»), its client's name, the server's reason."""
    from app.sync.refused_notes import client_names
    from app.team import display

    with db.read() as s:
        name = client_names(s.connection(), [exc.client_uuid]).get(exc.client_uuid, "")
        labels = display.record_labels(s, {(exc.table, exc.uuid)})
    return stopped_at(exc.cause, name, display.describe(labels, exc.table, exc.uuid, ""), issued=exc.table == "document")


def stopped_at(cause: Exception, client: str, record: str, *, issued: bool = False) -> SyncRefused:
    """A sync the server stopped by refusing one record (app/sync/refused.py ``StoppedAt``): the sentence names
    the record (``record``: «Контакт», «Запись журнала работ») and its client (``client``: its name, '' for a
    record of no client), says why, and that the sync stops there again until the record is resolved — never
    that it «will be sent at the next sync»; an ``issued`` document's sentence leaves out «correct or delete it» (the
    trial 17j: no way to follow it). Kind ``server_refused`` (a read-only server: as ``server_refused``)."""
    from app.team.pg_refusals import READ_ONLY, sqlstate

    if sqlstate(cause) == READ_ONLY:
        return server_refused(cause)
    why = after_colon(_refusal_words(cause))
    where = _("«{record}» of the client «{client}»").format(record=in_quotes(record), client=in_quotes(client)) \
        if client else _("«{record}»").format(record=in_quotes(record))
    if issued:  # an issued document is neither changed nor deleted (docs/sync.md): no advice the user cannot follow
        return SyncRefused("server_refused", _(
            "The sync stopped at the record {where}: {why} The sync stops at this record every time until it is "
            "resolved: an issued document is neither changed nor deleted, so send this message to the team's "
            "administrator. The rest of your changes is kept on this laptop.").format(where=where, why=why))
    return SyncRefused("server_refused", _(
        "The sync stopped at the record {where}: {why} The sync stops at this record every time until it is "
        "resolved: correct or delete it on this laptop, or ask the team's administrator. The rest of your "
        "changes is kept on this laptop.").format(where=where, why=why))


def wrong_integer_problem(url: str) -> None:
    """Refuse (UserError) for «server init» an address whose integer parameter is no integer
    (app/sync/address.py ``wrong_integer``), in the words of :func:`connection_problem`."""
    from app.sync.address import wrong_integer

    found = wrong_integer(url)
    if found is not None:
        problem = _("the parameter «{name}» has a wrong value «{value}»").format(name=found[0], value=found[1])
        raise UserError(_("Cannot open the team database: {problem}.").format(
            problem=_("wrong address — {problem}").format(problem=problem)))


def connection_problem(exc: Exception, url: str) -> UserError:
    """A failure to open a team database for an administrator's command (``server init``): one Russian sentence
    naming what is wrong (password, user, database, host, port), the driver's text to the log only."""
    message = str(getattr(exc, "orig", None) or exc)
    log.info("team database %s: %s", url, message.replace("\n", " ").strip())
    parsed = make_url(url)
    host, port, login, database = parsed.host or "localhost", parsed.port or 5432, parsed.username or "", \
        parsed.database or ""
    option = _quoted(message, "invalid connection option")
    if option:  # «?bogus=1» in the address
        problem = _("the address has a parameter PostgreSQL does not know: «{name}»").format(name=option)
    elif address_problem(message):
        problem = _("wrong address — {problem}").format(problem=address_problem(message))
    elif "password authentication failed" in message:
        problem = _("the server refused the password of «{login}»").format(login=login)
    elif "not permitted to log in" in message:
        problem = _("the user «{login}» may not log in").format(login=login)
    elif _quoted(message, "role") and "does not exist" in message:
        problem = _("the server has no user «{login}»").format(login=_quoted(message, "role"))
    elif _quoted(message, "database") and "does not exist" in message:
        problem = _("the server {host} has no database «{db}» (create it first)").format(host=host, db=database)
    elif "resolve host" in message or "Name or service not known" in message:
        problem = _("the name {host} is not found").format(host=host)
    elif "Connection refused" in message:
        problem = _("nothing answers at {host}, port {port}").format(host=host, port=port)
    elif "FATAL:" in message:  # the server answered: never «does not answer» (the trial 17g)
        problem = _("the server {host} answered but refused the connection (check the address and the login)"
                    ).format(host=host)
    else:
        problem = _("the server {host} does not answer").format(host=host)
    return UserError(_("Cannot open the team database: {problem}.").format(problem=problem))


def keyring_available() -> bool:
    """Whether a system password store is there (on a headless machine keyring falls back to its «fail»
    backend, which refuses everything; a plain-text backend is never installed by this program)."""
    import keyring
    from keyring.backends import fail

    try:
        return not isinstance(keyring.get_keyring(), fail.Keyring)
    except Exception:
        return False


def no_keyring() -> SyncRefused:
    return SyncRefused("keyring", _("There is no system password store (keyring) on this computer, and the "
                                    "password of the team server is never kept in plain text: set up the "
                                    "desktop's password store, then run «sync setup» again."))


def after_colon(sentence: str) -> str:
    """``sentence`` as it reads after a colon: its first letter lower-case, unless it opens an abbreviation
    («ИНН …») — «Синхронизация остановлена: командный сервер отказал…» (the trial 17e)."""
    if len(sentence) > 1 and sentence[1].isupper():
        return sentence
    return sentence[:1].lower() + sentence[1:]


def capitalised(sentence: str) -> str:
    """``sentence`` with its first letter upper-case («ваши изменения …» opening a sentence of its own)."""
    return sentence[:1].upper() + sentence[1:]


def server_went_back(server_high: int | None = None, seen: int | None = None) -> SyncRefused:
    """The team server is back at an older state than this laptop has already synced with: its versions are below
    what this laptop took (``server_high`` < ``seen``), or it no longer holds the witness of this laptop's last
    sync (app/sync/witness.py; no figures then). A sync then would drift silently — changes this laptop sent
    since would never be sent again, and changes others send would be numbered below its watermark and never
    reach it (the trials of 2026-12-01) — so it stops here, everything kept (README «Командная работа»)."""
    figures = "" if server_high is None or seen is None else " " + _(
        "(its last version is {high}, this laptop has taken up to {seen})").format(high=server_high, seen=seen)
    return SyncRefused("server_back", _(
        "The team server is back at an older state than this laptop has already synchronised with{figures}: it "
        "was probably restored from a backup. Nothing was sent or received, so that no change is lost; ask the "
        "team's administrator (what to do: README, section «Командная работа», «Сервер восстановлен из копии»). "
        "{kept}.").format(figures=figures, kept=capitalised(_(KEPT))))


# the status line's first half after a refusal other than «no connection» (SyncRefused.kind)
STOPPED = {
    "password": N_("The server refused the password: run «sync setup»"),
    "revoked": N_("Access to the server has been revoked"),
    "not_member": N_("This login is not a member of the team"),
    "not_allowed": N_("The server does not let this login in from this computer"),
    "unknown_user": N_("The server does not know this login"),
    "no_database": N_("The server has no such database"),
    "not_team": N_("The database on the server is not prepared for the team"),
    "schema_newer": N_("The server is newer than this program: update the program"),
    "schema_older": N_("The server is older than this program: the administrator runs «server init»"),
    "keyring": N_("No system password store: the server's password cannot be read"),
    "no_password": N_("No saved password: run «sync setup»"),
    "server_refused": N_("The server refused a change of this laptop, the sync stopped"),
    "local": N_("The sync stopped on this laptop: its database did not take the changes"),
    "server_back": N_("The team server is back at an older state: ask the administrator"),
    "bad_address": N_("The server's address is wrong: run «sync setup»"),
    "refused_login": N_("The server refused the connection"),
}
# the status line's first half after a failed sync of any other kind (an error the server gave mid-sync): its
# sentence is the status bar's tooltip and the second line of `sync status`
UNFINISHED = N_("The last sync did not finish")
