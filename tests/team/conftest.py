"""Fixtures of the team server tests: a fresh PostgreSQL database initialised by ``init_server``, and the two
worlds (two laptops joined to it; two laptops exchanging bundles) that compare the server with a USB stick."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from app.persistence.db import Database
from tests.conftest import PG_URL, _fresh_pg_url

PASSWORD = "correct horse 42"
# `sync status` on a laptop never set up: the state, and the command that sets it up (brief fix17a)
NOT_SET_UP = "Ноутбук не подключён к серверу команды: подключите его командой «sync setup --database-url …»."


@pytest.fixture
def server_url() -> str:
    if not PG_URL:
        pytest.fail("VNEDRENIE_TEST_PG_URL is not set: the team tests need PostgreSQL (scripts/test.sh starts one)")
    return _fresh_pg_url()


@pytest.fixture
def server(server_url):
    from app.team.server import init_server

    db = init_server(server_url)
    yield db
    db.dispose()


@pytest.fixture
def login_of():
    """Unique role names: PostgreSQL roles are cluster-wide, shared by every test database. Twelve hex digits: with
    six, one run's ~1 500 suffixes collided now and then («Логин «boss_6f4dd2» уже занят.», 2026-12-05)."""
    suffix = uuid.uuid4().hex[:12]
    return lambda name: f"{name}_{suffix}"


def member_url(server_url: str, login: str, password: str = PASSWORD) -> str:
    return make_url(server_url).set(username=login, password=password).render_as_string(hide_password=False)


@pytest.fixture(autouse=True)
def memory_keyring():
    import keyring
    from keyring.backend import KeyringBackend

    class Backend(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            super().__init__()
            self.store: dict[tuple[str, str], str] = {}

        def get_password(self, service, username):
            return self.store.get((service, username))

        def set_password(self, service, username, password):
            self.store[(service, username)] = password

        def delete_password(self, service, username):
            self.store.pop((service, username), None)

    previous = keyring.get_keyring()
    backend = Backend()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def signs_in(server_url: str, login: str, password: str = PASSWORD) -> bool:
    """Whether ``login`` can connect to the team server with ``password`` now."""
    from sqlalchemy import create_engine, text

    engine = create_engine(member_url(server_url, login, password))
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT current_user")).scalar() == login
    except Exception:
        return False
    finally:
        engine.dispose()


def plain_url(server_url: str, login: str) -> str:
    return make_url(server_url).set(username=login, password=None).render_as_string(hide_password=False)


def sql_rows(db: Database, query: str, **params) -> list:
    """The rows of one SQL query (bound ``params``) on ``db``'s engine, outside any session."""
    from sqlalchemy import text

    with db.engine.connect() as conn:
        return list(conn.execute(text(query), params).all())


def join_laptop(path: Path, server_url: str, login: str, opened: list[Database] | None = None) -> Database:
    """A laptop's SQLite file at ``path``, joined to the team server as ``login`` (``PASSWORD``) and synced once;
    appended to ``opened`` (for the caller to close) before anything can fail."""
    from app.persistence.db import open_database
    from app.sync.service import sync_once
    from app.sync.sync_setup import setup

    db = open_database(f"sqlite:///{path}")
    if opened is not None:
        opened.append(db)
    setup(db, plain_url(server_url, login), PASSWORD)
    sync_once(db)
    return db


MEMBERS = {"a": "Иванова Анна", "b": "Петрова Мария"}  # laptop a: a specialist; b: her manager


@dataclass
class Worlds:
    """The same two laptops in two worlds, to show that a USB stick and the team server never disagree.

    World 1 (``team``): the PostgreSQL team server and laptops «a» (specialist Иванова Анна) and «b» (her
    manager Петрова Мария), joined with «sync setup» and synced once. World 2 (``usb``): two laptops with no
    network, each with its person's profile name; «a» made the same start and gave «b» a copy in a bundle.
    ``who`` maps a login or a profile name to «a» or «b»."""

    server: Database
    team: tuple[Database, Database]
    usb: tuple[Database, Database]
    who: dict[str, str]
    folder: Path
    files: itertools.count = field(default_factory=lambda: itertools.count(1))

    def carry(self, src: Database, dst: Database):
        """Export everything from ``src`` into a new bundle file and import it into ``dst``; the import's report."""
        from app.exchange.bundle_export import export_bundle
        from app.exchange.bundle_import import import_bundle

        path = self.folder / f"bundle-{next(self.files)}.zip"
        export_bundle(src, None, path)
        return import_bundle(dst, path, backup=False).report

    def exchange(self) -> None:
        """A's changes reach the others first in both worlds: A, B, A sync; A's file goes to B, then B's to A."""
        from app.sync.service import sync_once

        ta, tb = self.team
        sync_once(ta)
        sync_once(tb)
        sync_once(ta)
        self.carry(self.usb[0], self.usb[1])
        self.carry(self.usb[1], self.usb[0])


@pytest.fixture
def two_worlds(server, server_url, login_of, tmp_path):
    """``make(client, prepare=None) -> Worlds`` (see :class:`Worlds`): ``client`` (a ClientInput) is made on the
    server, assigned to «a», and made on USB laptop «a»; ``prepare(db)`` runs on the server before the laptops
    join and on USB laptop «a» before its first bundle (the common start). Every database is closed after."""
    from app.persistence.db import open_database
    from app.persistence.models import Setting
    from app.services.clients import add_client
    from app.team.users import PROFILE_KEY, add_user, assign_client

    opened: list[Database] = []

    def make(client, prepare: Callable[[Database], object] | None = None) -> Worlds:
        ann, boss = login_of("ann"), login_of("boss")
        add_user(server, boss, MEMBERS["b"], "manager", PASSWORD)
        add_user(server, ann, MEMBERS["a"], "specialist", PASSWORD, manager=boss)
        add_client(server, client)
        assign_client(server, client.inn, specialist=ann)
        if prepare is not None:
            prepare(server)
        team = []
        for name, login in (("a", ann), ("b", boss)):
            team.append(join_laptop(tmp_path / f"{name}-team.sqlite3", server_url, login, opened))
        usb = []
        for name in ("a", "b"):
            db = open_database(f"sqlite:///{tmp_path / (name + '-usb.sqlite3')}")
            opened.append(db)
            with db.unit() as s:
                s.add(Setting(key=PROFILE_KEY, value=MEMBERS[name]))
            usb.append(db)
        add_client(usb[0], client)
        if prepare is not None:
            prepare(usb[0])
        worlds = Worlds(server, (team[0], team[1]), (usb[0], usb[1]),
                        {ann: "a", boss: "b", MEMBERS["a"]: "a", MEMBERS["b"]: "b"}, tmp_path)
        worlds.carry(usb[0], usb[1])
        return worlds

    yield make
    for db in opened:
        db.dispose()


@pytest.fixture
def entry_pair(server, server_url, login_of, tmp_path):
    """(a, b, ann, boss): laptop «a» of specialist ann and «b» of her manager boss, both synced once, holding the
    client ООО «Ромашка» (ИНН 7707083893) and its work entry «E» (02.03.2026, a 60-minute conference)."""
    from datetime import date

    from app.services.clients import ClientInput, add_client
    from app.services.worklog import EntryInput, add_entry
    from app.team.users import add_user, assign_client

    ann, boss = login_of("ann"), login_of("boss")
    add_user(server, boss, "Петрова Мария", "manager", PASSWORD)
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD, manager=boss)
    add_client(server, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    assign_client(server, "7707083893", specialist=ann)
    add_entry(server, "7707083893", EntryInput(kind="conference", on_date=date(2026, 3, 2), minutes=60, note="E"))
    opened: list[Database] = []
    for name, login in (("a", ann), ("b", boss)):
        join_laptop(tmp_path / f"{name}.sqlite3", server_url, login, opened)
    yield opened[0], opened[1], ann, boss
    for db in opened:
        db.dispose()
