"""Fixtures of the team server tests: a fresh PostgreSQL database initialised by ``init_server``."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import PG_URL, _fresh_pg_url

PASSWORD = "correct horse 42"


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
    """Unique role names: PostgreSQL roles are cluster-wide, shared by every test database."""
    suffix = uuid.uuid4().hex[:6]
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


def plain_url(server_url: str, login: str) -> str:
    return make_url(server_url).set(username=login, password=None).render_as_string(hide_password=False)
