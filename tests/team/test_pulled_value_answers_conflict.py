"""A field's conflict on a laptop is answered by the team's later value of that field arriving by a sync (its pull,
or the server's merged values its push takes), as by a later file or an edit here (app/sync/answered.py): before,
it stayed listed, still naming the value kept here, and «sync resolve» refused it."""

from __future__ import annotations

import pytest

from app.errors import UserError
from app.sync.service import conflicts, resolve_conflict, status_text, sync_once
from tests.team.conftest import sql_rows
from tests.team.test_sync import _edit, laptop, team  # noqa: F401  (two laptops of one team, one client)

pytestmark = pytest.mark.postgres


def _conflict_on_b(laptop, team):  # noqa: F811
    """Laptops a and b; b holds a conflict on the client's city (here Химки, on the server Подольск, kept)."""
    a, b = laptop("a", team["ann"]), laptop("b", team["boss"])
    _edit(a, city="Подольск")
    _edit(b, city="Химки")
    sync_once(a)
    sync_once(b)
    [conflict] = conflicts(b)
    assert (conflict.field, conflict.local_value, conflict.server_value) == ("city", "Химки", "Подольск")
    return a, b, conflict


def test_a_pulled_later_value_of_the_field_closes_its_conflict(laptop, team, server):  # noqa: F811
    a, b, conflict = _conflict_on_b(laptop, team)
    _edit(a, city="Клин")  # decided elsewhere: a third value
    sync_once(a)
    report = sync_once(b)  # the pull brings it
    assert sql_rows(b, "SELECT city FROM client") == [("Клин",)]
    assert conflicts(b) == []  # no longer listed as «оставлено: с сервера Подольск»
    assert report.conflicts == 0 and "конфликт" not in status_text(b)
    assert report.answered == 1  # and the sync says so (CLI and window print the report's notes)
    assert "Закрыто конфликтов: 1 — их поле с тех пор изменено в команде, здесь действует новое значение." in (
        report.notes)
    with pytest.raises(UserError):  # closed: nothing to choose, the later value stays
        resolve_conflict(b, conflict.id, keep="local")
    assert sql_rows(b, "SELECT city FROM client") == [("Клин",)]


def test_the_other_value_chosen_elsewhere_closes_the_conflict_here(laptop, team, server):  # noqa: F811
    a, b, _conflict = _conflict_on_b(laptop, team)
    _edit(a, city="Химки")  # a takes b's value after all
    sync_once(a)
    sync_once(b)
    assert sql_rows(b, "SELECT city FROM client") == [("Химки",)]
    assert conflicts(b) == []


def test_the_servers_later_value_taken_by_a_push_closes_the_conflict(laptop, team, server):  # noqa: F811
    a, b, _conflict = _conflict_on_b(laptop, team)
    _edit(a, city="Клин")
    sync_once(a)
    _edit(b, notes="Звонить после обеда")  # b sends the same record: the push's merge takes the server's city
    from app.sync import engine as sync_engine
    from app.sync import pushing

    counts = sync_engine.Counts()
    from app.sync.server_check import _connect
    from app.sync.status import URL_KEY, read_settings
    from app.sync.sync_setup import keyring_password

    url = read_settings(b)[URL_KEY]
    engine = _connect(url, keyring_password(url) or "")
    try:
        pushing.push(b, engine, counts)  # the push alone, no pull after it
    finally:
        engine.dispose()
    assert counts.pushed == 1
    assert sql_rows(b, "SELECT city, notes FROM client") == [("Клин", "Звонить после обеда")]
    assert conflicts(b) == []


def test_a_pull_that_leaves_the_field_as_it_is_keeps_the_conflict(laptop, team, server):  # noqa: F811
    a, b, conflict = _conflict_on_b(laptop, team)
    _edit(a, notes="Звонить после обеда")  # another field of the same record
    sync_once(a)
    report = sync_once(b)
    assert report.answered == 0 and report.notes == ()
    assert sql_rows(b, "SELECT city, notes FROM client") == [("Подольск", "Звонить после обеда")]
    assert [c.id for c in conflicts(b)] == [conflict.id]  # still the word on the city: the choice stays possible
    resolve_conflict(b, conflict.id, keep="local")
    assert sql_rows(b, "SELECT city FROM client") == [("Химки",)]


def test_a_later_value_from_a_file_closes_the_servers_conflict_too(laptop, team, server, tmp_path):  # noqa: F811
    """The neighbour the other way: a team laptop that also takes files (the network down, a colleague's USB
    stick). A file that changes the field answers the server's conflict as it answers a bundle's."""
    from app.exchange.bundle_export import export_bundle
    from app.exchange.bundle_import import import_bundle

    a, b, _conflict = _conflict_on_b(laptop, team)
    sync_once(a)  # a holds what b pushed (the city kept: Подольск)
    _edit(a, city="Клин")
    path = tmp_path / "a.zip"
    export_bundle(a, None, path)
    report = import_bundle(b, path, backup=False).report
    assert report.conflicts == []
    assert sql_rows(b, "SELECT city FROM client") == [("Клин",)]
    assert conflicts(b) == []
