"""A change the server refuses at push because the client is no longer the member's (handed to another
specialist while the laptop was offline): the sync finishes, the refused row and its audit lines stay off the
server, and the refusal is a conflict to look at — before, the push failed on a duplicate key at every sync."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from app.persistence.db import open_database
from app.persistence.models import Client, Contact
from app.services.clients import ClientInput, add_client
from app.sync.service import conflict_lines, conflicts, pending_count, sync_once
from app.sync.sync_setup import setup
from app.team.users import add_user, assign_client
from tests.team.conftest import PASSWORD, plain_url

pytestmark = pytest.mark.postgres

INN = "7707083893"


def _sql(db, query: str):
    with db.engine.connect() as conn:
        return conn.execute(text(query)).all()


def test_an_edit_of_a_client_handed_to_another_specialist_is_refused_with_its_audit_lines(
        server, server_url, login_of, tmp_path):
    ann, bob = login_of("ann"), login_of("bob")
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD, position="Специалист")
    add_user(server, bob, "Бобров Борис", "specialist", PASSWORD, position="Специалист")
    add_client(server, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
    assign_client(server, INN, specialist=ann)
    db = open_database(f"sqlite:///{tmp_path / 'ann.sqlite3'}")
    try:
        setup(db, plain_url(server_url, ann), PASSWORD)
        sync_once(db)
        with db.unit() as s:  # offline: the card and a new contact
            client = s.scalar(select(Client))
            client.city = "Клин"
            s.add(Contact(client_id=client.id, name="Петров Пётр", position="", phone="", email=""))
        assign_client(server, INN, specialist=bob)  # meanwhile the client goes to Bob
        report = sync_once(db)  # finishes instead of failing on the hidden row's key
        assert _sql(server, "SELECT city, specialist_login FROM client") == [("", bob)]
        assert _sql(server, "SELECT count(*) FROM contact") == [(0,)]
        assert _sql(server, "SELECT count(*) FROM audit_log WHERE field = 'city' OR table_name = 'contact'") == [(0,)]
        # one conflict naming the client; its new contact stays behind with it quietly (no «orphan» of its own)
        kinds = sorted(c.kind for c in conflicts(db))
        assert kinds == ["not_yours"] and report.conflicts == 1
        assert (report.pushed, report.not_taken) == (0, 1)  # nothing taken: the refused card counted apart
        assert _sql(db, "SELECT name FROM contact") == [("Петров Пётр",)]
        [line] = [x for x in conflict_lines(db) if "больше не показывает" in x.what]
        assert line.text().split("\t")[1:] == [
            "ООО «Ромашка»", "Карточка: сервер команды больше не показывает вам этого заказчика (он передан другому): "
            "изменение с этого ноутбука не отправлено. Чтобы убрать заказчика и неотправленные изменения с этого "
        "ноутбука, закройте конфликт с «--keep server»; чтобы оставить его здесь — с «--keep local»", "здесь: изменено", "на сервере: вам не показан",
            "оставлено: здешнее"]
        assert pending_count(db) == 0 and _sql(db, "SELECT count(*) FROM sync_outbox") == [(0,)]
        assert _sql(db, "SELECT city FROM client") == [("Клин",)]  # kept here, said in the conflict
        assert sync_once(db).conflicts == 0  # the next sync does not fail or repeat it
    finally:
        db.dispose()
