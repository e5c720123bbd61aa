"""Who is writing: the author every unit of work records (issue 17), read in the writing session.

Its own module, below ``app.team.users``, because the session hook (``app.team.hooks``) that
``app.persistence.db`` installs needs it: it imports only the persistence layer, so opening a database never
pulls in the services (issue 11 §4: the ``layers`` contract holds with no exceptions)."""

from __future__ import annotations

import getpass
from collections.abc import Iterable
from functools import lru_cache

from sqlalchemy import Select, select, text
from sqlalchemy.orm import Session

from app.persistence.models import Executor, Setting, TeamUser

PROFILE_KEY = "team.profile_name"  # setting: the local profile's name on a laptop
LOGIN_KEY = "team.login"  # setting: the team login a laptop syncs as (sync setup)


def current_login(session: Session) -> str:
    """The signed-in person's login on the team server, or the login a laptop syncs as ('' if none)."""
    if session.get_bind().dialect.name == "postgresql":
        return str(session.execute(text("SELECT current_user")).scalar() or "")
    value = session.get(Setting, LOGIN_KEY)
    return value.value if value is not None else ""


def current_author(session: Session) -> str:
    """Who is writing: the team login on PostgreSQL (or a synced laptop); otherwise the local profile's
    name (setting ``team.profile_name``, else the executor's specialist — either also when only being saved
    in this session — else the OS user name)."""
    if session.get_bind().dialect.name != "postgresql" and not _held(session):
        login, profile_name, specialist = session.execute(_sources()).one()  # one statement, not three
        if login:
            return str(login)
        if (profile_name or "").strip():
            return str(profile_name).strip()
        if (specialist or "").strip():
            return str(specialist).strip()
        return _os_user()
    login = current_login(session)
    if login:
        return login
    # rows being written in this very unit count (they are not flushed yet when the session hook asks): the
    # first save of the requisites, or of the profile, is authored by the name it saves, not the OS user
    pending = list(session.new)
    profile = next((o for o in pending if isinstance(o, Setting) and o.key == PROFILE_KEY), None) \
        or session.get(Setting, PROFILE_KEY)
    if profile is not None and (profile.value or "").strip():
        return profile.value.strip()
    executor = next((o for o in pending if isinstance(o, Executor)), None) \
        or session.scalars(select(Executor).limit(1)).first()
    if executor is not None and (executor.specialist_name or "").strip():
        return executor.specialist_name.strip()
    return _os_user()


def writer_names(session: Session) -> frozenset[str]:
    """Every name the person writing in ``session`` records as an author (``updated_by``): on PostgreSQL the login
    (``current_author``); on a laptop also the other names this computer's user has written under — the team
    login it syncs as, the local profile's name, the executor's specialist, the OS user — since naming the
    profile later changes the author of new rows, not of the person's earlier ones."""
    names = {current_author(session)}
    if session.get_bind().dialect.name != "postgresql":
        with session.no_autoflush:
            names.update(str(v) for v in session.execute(_sources()).one() if v)
        names.add(_os_user())
    return frozenset(n.strip() for n in names if n and n.strip())


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return ""


def _held(session: Session) -> bool:
    """Whether the session holds a setting or an executor the author is read from (new, or loaded and perhaps
    changed but not flushed): then the ORM reads them, which sees those objects, and not the database."""
    if any(isinstance(o, Setting | Executor) for o in session.new):
        return True
    return any(issubclass(cls, Executor) or (issubclass(cls, Setting) and pk[0] in (LOGIN_KEY, PROFILE_KEY))
               for cls, pk, *_token in session.identity_map.keys())


@lru_cache(maxsize=1)
def _sources() -> Select:
    """The login, the profile's name and the first executor's specialist in one row (SQLite: one statement where
    ``current_login`` + ``session.get`` + the executor's select sent three on every write)."""
    s, e = Setting.__table__.c, Executor.__table__.c

    def setting(key: str):
        return select(s.value).where(s.key == key).scalar_subquery()

    first = select(e.specialist_name).order_by(e.id).limit(1).scalar_subquery()
    return select(setting(LOGIN_KEY), setting(PROFILE_KEY), first)


def login_part(author: str) -> str:
    """«ivanova (Иванова А.)» (a line sent from a laptop before it joined the team) → «ivanova»; anything else as
    it is."""
    head, sep, _rest = author.partition(" (")
    return head if sep and author.endswith(")") and head and " " not in head else author


def member_names(session: Session, authors: Iterable[str]) -> dict[str, str]:
    """Team logins → full names, for those of ``authors`` the roster here knows (a laptop keeps the team's roster
    from its last sync); an author of the form «login (local name)» is looked up by its login. Other authors
    (a local profile's name) are not in the result. One query; {} when there is nothing to look up."""
    wanted = {login_part(login) for login in authors if login}
    if not wanted:
        return {}
    rows = session.execute(select(TeamUser.login, TeamUser.full_name).where(TeamUser.login.in_(wanted)))
    return {login: name for login, name in rows if name}


def shown_name(names: dict[str, str], author: str) -> str:
    """The one form of a person on every computer: the member's full name when ``names`` (from
    :func:`member_names`) knows the login, else what was recorded; '' stays ''."""
    return names.get(login_part(author)) or author
