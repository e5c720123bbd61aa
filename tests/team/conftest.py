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
