"""«История изменений» is the same on every laptop and the server: the order the changes reached the server
(never a laptop's clock, here a year ahead), and each author by the member's name (issue 17 trial, point 6)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.persistence import models
from app.persistence.models import Client
from app.services.clients import ClientInput, add_client, update_client
from app.sync.service import sync_once
from app.team.audit import client_history_lines
from app.team.users import add_user, assign_client
from tests.team.conftest import PASSWORD, join_laptop

pytestmark = pytest.mark.postgres

INN = "7707083893"


def _rename(db, name: str) -> None:
    with db.read() as s:
        client_id = s.scalar(select(Client.id).where(Client.inn == INN))
    update_client(db, client_id, ClientInput(name=name, inn=INN, approach="remote"))


def _history(db) -> list[tuple[str, str, str]]:
    return [(line.author, line.what, line.new) for line in client_history_lines(db, INN)]


def test_a_laptop_a_year_ahead_sorts_by_arrival_and_authors_read_alike_everywhere(server, server_url, login_of,
                                                                                   tmp_path, monkeypatch):
    ann, boss = login_of("ann"), login_of("boss")
    add_user(server, boss, "Петрова Мария", "manager", PASSWORD, position="Руководитель")
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD, position="Специалист", manager=boss)
    add_client(server, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
    assign_client(server, INN, specialist=ann)
    laptops = []
    try:
        for name, login in (("a", ann), ("b", boss)):
            join_laptop(tmp_path / f"{name}.sqlite3", server_url, login, laptops)
        a, b = laptops
        real = models.utcnow
        monkeypatch.setattr(models, "utcnow", lambda: real() + timedelta(days=365))  # laptop A's clock
        _rename(a, "ООО «Ромашка-А»")
        sync_once(a)
        monkeypatch.setattr(models, "utcnow", real)
        _rename(b, "ООО «Ромашка-Б»")  # later, on a laptop with the right time
        sync_once(b)
        sync_once(a)
        # B's rename lost to A's (the same field; the server's value kept): the newest line says so (issue 17)
        expected = [("Петрова Мария", "Карточка · наименование/ФИО", "ООО «Ромашка-А»"),
                    ("Петрова Мария", "Карточка · наименование/ФИО", "ООО «Ромашка-Б»"),
                    ("Иванова Анна", "Карточка · наименование/ФИО", "ООО «Ромашка-А»")]
        for db in (a, b, server):
            names = [h for h in _history(db) if h[1] == "Карточка · наименование/ФИО"]
            assert names == expected
        assert [line.text() for line in client_history_lines(a, INN)] == [
            line.text() for line in client_history_lines(b, INN)]  # the same lines on both laptops
        assert client_history_lines(a, INN)[2].at[6:10] == str(real().year + 1)  # A's own clock, shown as is
    finally:
        for db in laptops:
            db.dispose()


def test_a_client_assigned_later_brings_its_whole_history(server, server_url, login_of, tmp_path):
    """The trial's laptop listed only some of a client's 160+ changes: the lines written before the client was
    handed to this person never came (the pull takes a newly visible client's older records, not its trail)."""
    ann, bob = login_of("ann"), login_of("bob")
    for login, name in ((ann, "Иванова Анна"), (bob, "Бобров Борис")):
        add_user(server, login, name, "specialist", PASSWORD, position="Специалист")
    add_client(server, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
    assign_client(server, INN, specialist=bob)
    laptops = []
    try:
        for name, login in (("a", ann), ("b", bob)):
            join_laptop(tmp_path / f"{name}.sqlite3", server_url, login, laptops)
        a, b = laptops
        for i in range(1, 166):
            _rename(b, f"ООО «Ромашка {i}»")
        sync_once(b)
        sync_once(a)  # Anna's laptop cannot see the client yet
        assign_client(server, INN, specialist=ann)
        sync_once(a)
        on_server = client_history_lines(server, INN)
        assert len(on_server) > 165
        assert [line.text() for line in client_history_lines(a, INN)] == [line.text() for line in on_server]
        sync_once(a)  # nothing twice
        assert len(client_history_lines(a, INN)) == len(on_server)
    finally:
        for db in laptops:
            db.dispose()
