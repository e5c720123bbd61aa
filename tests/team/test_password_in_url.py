"""A password typed inside the server's address («postgresql+psycopg://ann:secret@host/db») never stays in plain
text (the trial 17d: `sync setup` kept it in the laptop's settings and in the keyring entry's name, because
SQLAlchemy's ``URL.set(password=None)`` leaves the password as it is): the address is kept without it, the
password in the keyring only; an address an earlier version stored with it is cleaned at the next sync."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from app.cli import run
from app.persistence.db import open_database
from app.sync.laptop_settings import _put
from app.sync.service import URL_KEY, sync_once
from app.sync.sync_setup import KEYRING_SERVICE
from app.team.users import add_user
from tests.team.conftest import PASSWORD, member_url, plain_url

pytestmark = pytest.mark.postgres


def _leaks(path: Path) -> list[str]:
    """The files of the laptop's database that hold the password, in any of its spellings."""
    forms = {PASSWORD, quote(PASSWORD), quote(PASSWORD, safe="").replace("%20", "+"), "key-secret"}
    found = []
    for file in path.parent.glob(path.name + "*"):
        data = file.read_bytes()
        found += [f"{file.name}: {form}" for form in forms if form.encode() in data]
    return found


@pytest.mark.parametrize("form", ["user", "query"])
def test_a_password_in_the_address_is_kept_in_the_keyring_only(server, server_url, login_of, tmp_path,
                                                              memory_keyring, capsys, form):
    ann = login_of("ann")
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD)
    path, secret = tmp_path / "laptop.sqlite3", tmp_path / "password.txt"
    secret.write_text(PASSWORD, encoding="utf-8")
    # «ann:secret@host» or «…/db?password=secret» (libpq's parameter, the trial 17e)
    address = member_url(server_url, ann) if form == "user" else (
        f"{plain_url(server_url, ann)}?password={quote(PASSWORD)}&sslpassword=key-secret")
    status = run(["--db", str(path), "sync", "setup", "--database-url", address, "--password-file", str(secret)])
    assert status == 0, capsys.readouterr().err
    assert run(["--db", str(path), "sync"]) == 0, capsys.readouterr().err
    assert _leaks(path) == []
    assert list(memory_keyring.store) == [(KEYRING_SERVICE, plain_url(server_url, ann))]
    assert list(memory_keyring.store.values()) == [PASSWORD]


def test_an_address_stored_with_its_password_is_cleaned_at_the_next_sync(server, server_url, login_of, tmp_path,
                                                                        memory_keyring):
    from tests.team.conftest import join_laptop

    ann = login_of("ann")
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD)
    path = tmp_path / "laptop.sqlite3"
    db = join_laptop(path, server_url, ann)
    try:
        old = member_url(server_url, ann)  # as the earlier version stored it, keyring entry included
        _put(db, {URL_KEY: old})
        memory_keyring.store.clear()
        memory_keyring.store[(KEYRING_SERVICE, old)] = PASSWORD
        sync_once(db)
    finally:
        db.dispose()
    assert list(memory_keyring.store) == [(KEYRING_SERVICE, plain_url(server_url, ann))]
    db = open_database(f"sqlite:///{path}")
    try:
        sync_once(db)  # the clean address and the moved password work
        from app.persistence.models import Setting

        with db.read() as s:
            assert s.get(Setting, URL_KEY).value == plain_url(server_url, ann)
    finally:
        db.dispose()


def test_the_password_in_the_address_is_used_without_a_terminal(server, server_url, login_of, tmp_path,
                                                                memory_keyring, capsys, monkeypatch):
    """The trial 17f: «sync setup --database-url postgresql+psycopg://ann:secret@…» with no terminal asked for
    --password-file although the password was given; it is taken from the address (and kept in the keyring)."""
    import io

    ann = login_of("ann")
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD)
    path = tmp_path / "laptop.sqlite3"
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    status = run(["--db", str(path), "sync", "setup", "--database-url", member_url(server_url, ann)])
    assert status == 0, capsys.readouterr().err
    assert list(memory_keyring.store.values()) == [PASSWORD] and _leaks(path) == []
