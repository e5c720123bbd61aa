"""A client whose ИНН is a colleague's client on the team server no longer stops a laptop's sync (issue 17,
fix17b #1, #2).

Specialist spec1 adds «ООО «Бета своя»» with the ИНН of spec2's client «Бета», which row-level security hides
from spec1. The push's match by ИНН (rows.find_natural) cannot see the hidden row, so its INSERT broke the server's
unique ИНН (23505) and every sync stopped at that client. Now the client is one conflict naming it and saying the
ИНН is another member's client's, its records stay on the laptop, the rest syncs, and a later sync records
nothing new — also after the conflict was closed with «--keep local»."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.cli import run
from app.persistence.models import SyncConflict
from app.services.clients import ClientInput, add_client
from app.services.worklog import EntryInput, add_entry
from app.sync.service import conflict_lines, pending_count, sync_once
from app.team.users import add_user, assign_client
from tests.team.conftest import PASSWORD, join_laptop

pytestmark = pytest.mark.postgres

BETA, MINE = "7710000382", "7707083893"


def _sql(db, query: str, **params):
    with db.engine.connect() as conn:
        return conn.execute(text(query), params).all()


@pytest.fixture
def team(server, server_url, login_of, tmp_path):
    """spec1's laptop (synced once) and the logins (spec1, spec2); spec2 holds «Бета» on the server."""
    boss, spec1, spec2 = login_of("boss"), login_of("spec1"), login_of("spec2")
    add_user(server, boss, "Петрова Мария", "manager", PASSWORD)
    add_user(server, spec1, "Иванова Анна", "specialist", PASSWORD, manager=boss)
    add_user(server, spec2, "Сидоров Олег", "specialist", PASSWORD, manager=boss)
    add_client(server, ClientInput(name="Бета", inn=BETA, approach="remote"))
    assign_client(server, BETA, specialist=spec2)
    add_client(server, ClientInput(name="ООО «Моё»", inn=MINE, approach="remote"))
    assign_client(server, MINE, specialist=spec1)
    opened: list = []
    join_laptop(tmp_path / "spec1.sqlite3", server_url, spec1, opened)
    yield opened[0], spec1, spec2
    for db in opened:
        db.dispose()


def _cli(db, capsys, *argv: str) -> tuple[int, str, str]:
    status = run(["--db", str(Path(db.engine.url.database)), *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


CONFLICT_TEXT = (
    "Карточка: на сервере команды уже есть заказчик с этим ИНН, и его ведёт другой участник команды (вам он не "
    "виден), поэтому второго заказчика с тем же ИНН сервер от вас не принимает: этот заказчик и его записи остаются "
    "только на этом ноутбуке и не отправляются. Если это та же организация и вам нужно её вести, попросите "
    "руководителя или администратора назначить того заказчика вам: следующая синхронизация объединит с ним эту "
    "копию. Если нет, удалите его здесь («clients delete ИНН»). Закройте конфликт с «--keep local»: заказчик "
    "останется только на этом ноутбуке и попадёт на сервер, когда его назначат вам")


def test_a_client_with_a_colleagues_inn_is_one_conflict_and_the_rest_syncs(team, server, capsys):
    laptop, spec1, spec2 = team
    add_client(laptop, ClientInput(name="ООО «Бета своя»", inn=BETA, approach="remote"))
    add_entry(laptop, BETA, EntryInput(kind="conference", on_date=date(2026, 11, 12), minutes=30, note="бета"))
    add_entry(laptop, MINE, EntryInput(kind="conference", on_date=date(2026, 11, 12), minutes=45, note="моё"))

    status, out, err = _cli(laptop, capsys, "sync")
    assert (status, err) == (0, "")
    assert out.splitlines()[:2] == ["Отправлено: 1, получено: 0, новых конфликтов: 1.",
                                    "Не принято сервером: 1 (см. «sync conflicts»)."]
    # her work on her own client reached the server; «Бета» is spec2's as it was, nothing of spec1's copy there
    assert _sql(server, "SELECT note, updated_by FROM work_log ORDER BY note") == [("моё", spec1)]
    assert _sql(server, "SELECT name, specialist_login FROM client ORDER BY name") == [
        ("Бета", spec2), ("ООО «Моё»", spec1)]
    with laptop.read() as s:
        assert [(c.table_name, c.kind) for c in s.scalars(select(SyncConflict))] == [("client", "others_inn")]
    [line] = conflict_lines(laptop)
    assert line.text().split("\t")[1:] == [
        "ООО «Бета своя»", CONFLICT_TEXT, "здесь: только на этом ноутбуке",
        "на сервере: ИНН у заказчика другого участника", "оставлено: здешнее"]
    assert _sql(laptop, "SELECT note FROM work_log ORDER BY note") == [("бета",), ("моё",)]
    assert pending_count(laptop) == 0

    again = sync_once(laptop)  # nothing more sent, nothing new recorded
    assert (again.pushed, again.not_taken, again.conflicts, again.notes) == (0, 0, 0, ())
    with laptop.read() as s:
        assert len(list(s.scalars(select(SyncConflict)))) == 1


def test_after_keep_local_new_records_of_the_refused_client_stay_under_one_conflict(team, server, capsys):
    laptop, _spec1, _spec2 = team
    add_client(laptop, ClientInput(name="ООО «Бета своя»", inn=BETA, approach="remote"))
    sync_once(laptop)
    [line] = conflict_lines(laptop)
    status, _out, err = _cli(laptop, capsys, "sync", "resolve", str(line.id), "--keep", "local")
    assert (status, err) == (0, "")
    add_entry(laptop, BETA, EntryInput(kind="conference", on_date=date(2026, 11, 12), minutes=30, note="позже"))
    add_entry(laptop, BETA, EntryInput(kind="conference", on_date=date(2026, 11, 13), minutes=30, note="ещё"))
    report = sync_once(laptop)
    # no conflict per record: the client's one conflict stays closed, its records stay here
    assert (report.pushed, report.conflicts) == (0, 0)
    assert _sql(server, "SELECT count(*) FROM work_log") == [(0,)]
    with laptop.read() as s:
        assert [(c.kind, c.resolved) for c in s.scalars(select(SyncConflict))] == [("others_inn", True)]
    assert pending_count(laptop) == 0
    with laptop.unit() as s:  # the client edited again: still no new conflict
        from app.persistence.models import Client

        s.scalar(select(Client).where(Client.inn == BETA)).city = "Клин"
    again = sync_once(laptop)
    assert (again.pushed, again.conflicts) == (0, 0)
    with laptop.read() as s:
        assert [(c.kind, c.resolved) for c in s.scalars(select(SyncConflict))] == [("others_inn", True)]
