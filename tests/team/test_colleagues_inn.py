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
from tests.team.conftest import PASSWORD, join_laptop, sql_rows

pytestmark = pytest.mark.postgres

BETA, MINE = "7710000382", "7707083893"



def _colleagues(server, login_of) -> tuple[str, str, str]:
    """(boss, spec1, spec2): manager boss and his specialists on the server; spec2 holds «Бета»."""
    boss, spec1, spec2 = login_of("boss"), login_of("spec1"), login_of("spec2")
    add_user(server, boss, "Петрова Мария", "manager", PASSWORD)
    add_user(server, spec1, "Иванова Анна", "specialist", PASSWORD, manager=boss)
    add_user(server, spec2, "Сидоров Олег", "specialist", PASSWORD, manager=boss)
    add_client(server, ClientInput(name="Бета", inn=BETA, approach="remote"))
    assign_client(server, BETA, specialist=spec2)
    return boss, spec1, spec2


@pytest.fixture
def team(server, server_url, login_of, tmp_path):
    """spec1's laptop (synced once) and the logins (spec1, spec2); spec2 holds «Бета» on the server."""
    _boss, spec1, spec2 = _colleagues(server, login_of)
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
    assert sql_rows(server, "SELECT note, updated_by FROM work_log ORDER BY note") == [("моё", spec1)]
    assert sql_rows(server, "SELECT name, specialist_login FROM client ORDER BY name") == [
        ("Бета", spec2), ("ООО «Моё»", spec1)]
    with laptop.read() as s:
        assert [(c.table_name, c.kind) for c in s.scalars(select(SyncConflict))] == [("client", "others_inn")]
    [line] = conflict_lines(laptop)
    assert line.text().split("\t")[1:] == [
        "ООО «Бета своя»", CONFLICT_TEXT, "здесь: только на этом ноутбуке",
        "на сервере: ИНН у заказчика другого участника", "оставлено: здешнее"]
    assert sql_rows(laptop, "SELECT note FROM work_log ORDER BY note") == [("бета",), ("моё",)]
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
    assert sql_rows(server, "SELECT count(*) FROM work_log") == [(0,)]
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


def test_once_the_colleagues_client_is_assigned_to_her_the_copy_joins_it_with_its_records(team, server):
    laptop, spec1, _spec2 = team
    add_client(laptop, ClientInput(name="ООО «Бета своя»", inn=BETA, approach="remote"))
    add_entry(laptop, BETA, EntryInput(kind="conference", on_date=date(2026, 11, 12), minutes=30, note="бета"))
    sync_once(laptop)
    assign_client(server, BETA, specialist=spec1)  # the manager hands «Бета» to her

    report = sync_once(laptop)
    assert report.not_taken == 0
    # one client of that ИНН on both sides, under the server's UUID; her entry is on the server, under it
    assert sql_rows(server, "SELECT c.specialist_login, w.note, w.updated_by FROM work_log w JOIN client c "
                        "ON c.id = w.client_id") == [(spec1, "бета", spec1)]
    server_uuid = sql_rows(server, "SELECT uuid FROM client WHERE inn = :inn", inn=BETA)
    assert sql_rows(laptop, "SELECT uuid FROM client WHERE inn = :inn", inn=BETA) == server_uuid
    with laptop.read() as s:  # the refusal is lifted: closed, no longer holding her records back
        assert [(c.kind, c.resolved) for c in s.scalars(select(SyncConflict).where(SyncConflict.kind == "others_inn"))
                ] == [("others_inn", True)]
    assert pending_count(laptop) == 0


def test_her_clients_inn_changed_to_a_colleagues_gets_the_servers_back_and_the_sync_goes_on(team, server, capsys):
    laptop, spec1, _spec2 = team
    with laptop.unit() as s:
        from app.persistence.models import Client

        s.scalar(select(Client).where(Client.inn == MINE)).inn = BETA
    add_entry(laptop, BETA, EntryInput(kind="conference", on_date=date(2026, 11, 12), minutes=45, note="моё"))

    status, out, err = _cli(laptop, capsys, "sync")
    assert (status, err) == (0, "")
    assert out.splitlines()[:2] == ["Отправлено: 1, получено: 0, новых конфликтов: 1.",
                                    "Не принято сервером: 1 (см. «sync conflicts»)."]
    assert sql_rows(server, "SELECT name, inn FROM client ORDER BY name") == [("Бета", BETA), ("ООО «Моё»", MINE)]
    assert sql_rows(server, "SELECT note, updated_by FROM work_log") == [("моё", spec1)]  # her entry went
    assert sql_rows(laptop, "SELECT inn FROM client") == [(MINE,)]  # the server's ИНН is back here
    [line] = conflict_lines(laptop)
    assert line.text().split("\t")[1:] == [
        "ООО «Моё»",
        "Карточка: введённый здесь ИНН — у заказчика другого участника команды на сервере (вам он не виден), а сервер "
        "хранит одного заказчика на ИНН: здесь снова ИНН с сервера. Если вы работаете именно с этим заказчиком, "
        "попросите руководителя или администратора назначить его вам. Закройте конфликт с «--keep server»",
        f"здесь: {BETA}", f"на сервере: {MINE}", "оставлено: с сервера"]
    status, _out, err = _cli(laptop, capsys, "sync", "resolve", str(line.id), "--keep", "local")
    assert (status, err) == (2, "На сервере команды уже есть заказчик другого участника с введённым здесь ИНН, а "
                                "сервер хранит одного заказчика на ИНН: снова действует ИНН с сервера; закройте "
                                "конфликт с «--keep server».\n")
    assert _cli(laptop, capsys, "sync", "resolve", str(line.id), "--keep", "server")[0] == 0
    assert sync_once(laptop).conflicts == 0


def test_an_act_issued_before_joining_whose_number_a_hidden_act_has_goes_under_the_installations_series(
        server, server_url, login_of, tmp_path):
    """A laptop's act issued before it joined the team has number 1 of the year; the team already gave number 1
    to an act of a colleague's client, hidden from this member: the server's unique number refused the INSERT and
    the sync stopped at that act for ever. Now it keeps its number under this installation's series."""
    from app.persistence.db import open_database
    from tests.exchange.test_shared_marks_bundles import bill, code

    _boss, spec1, _spec2 = _colleagues(server, login_of)
    add_entry(server, BETA, EntryInput(kind="conference", on_date=date(2026, 3, 2), minutes=60, note="T"))
    team_act = bill(server, "T")
    path = tmp_path / "spec1.sqlite3"
    before = open_database(f"sqlite:///{path}")  # her computer before it joined the team
    add_client(before, ClientInput(name="ООО «Моё»", inn=MINE, approach="remote"))
    add_entry(before, MINE, EntryInput(kind="conference", on_date=date(2026, 3, 3), minutes=30, note="E"))
    own_act = bill(before, "E")
    assert code(before, own_act) == code(server, team_act)  # the same «АУ-1/…»
    before.dispose()
    opened: list = []
    try:
        laptop = join_laptop(path, server_url, spec1, opened)  # joins and syncs: no stop at her act
        with laptop.read() as s:
            installation = s.execute(text("SELECT value FROM setting WHERE key = 'installation_id'")).scalar()
        assert sql_rows(server, "SELECT uuid, series FROM document ORDER BY series") == [
            (team_act, ""), (own_act, installation)]
        assert pending_count(laptop) == 0 and conflict_lines(laptop) == []
    finally:
        for db in opened:
            db.dispose()


def test_clients_delete_follows_the_advice_and_the_refusal_closes_with_the_client(team, server, capsys):
    laptop, _spec1, _spec2 = team
    add_client(laptop, ClientInput(name="ООО «Бета своя»", inn=BETA, approach="remote"))
    add_entry(laptop, BETA, EntryInput(kind="conference", on_date=date(2026, 11, 12), minutes=30, note="бета"))
    sync_once(laptop)
    assert _cli(laptop, capsys, "clients", "delete", BETA) == (
        0, "Заказчик «ООО „Бета своя“» удалён вместе с его записями.\n", "")
    report = sync_once(laptop)
    assert (report.conflicts, report.not_taken) == (0, 0)
    assert conflict_lines(laptop) == []  # the refusal went with the client: nothing left to look at
    assert sql_rows(server, "SELECT name FROM client ORDER BY name") == [("Бета",), ("ООО «Моё»",)]
    assert pending_count(laptop) == 0


def test_clients_delete_refuses_a_client_with_issued_documents_to_a_specialist(team, server, capsys):
    from tests.exchange.test_shared_marks_bundles import bill

    laptop, _spec1, _spec2 = team
    add_entry(laptop, MINE, EntryInput(kind="conference", on_date=date(2026, 3, 3), minutes=30, note="E"))
    bill(laptop, "E")
    before = sql_rows(laptop, "SELECT count(*) FROM client")
    assert _cli(laptop, capsys, "clients", "delete", MINE) == (
        2, "", "Заказчик с выданными документами хранится командой: его документы никогда не удаляются, поэтому "
               "такого заказчика удаляет только администратор команды. Ничего не изменено.\n")
    assert sql_rows(laptop, "SELECT count(*) FROM client") == before == [(1,)]


def test_adding_a_colleagues_inn_straight_on_the_server_is_one_russian_sentence(team, server, server_url, capsys):
    """The same hidden ИНН met by `clients add` run on the server itself as the member (``--database-url``): the
    service's own check reads through row-level security, so the server's unique ИНН refuses — in words."""
    from tests.team.conftest import member_url

    _laptop, spec1, _spec2 = team
    status = run(["--database-url", member_url(server_url, spec1), "clients", "add", "--name", "ООО «Бета своя»",
                  "--inn", BETA, "--approach", "remote"])
    captured = capsys.readouterr()
    assert (status, captured.out, captured.err) == (
        2, "", "На сервере команды уже есть заказчик с этим ИНН, и его ведёт другой участник команды (вам он не "
               "виден): попросите руководителя или администратора назначить его вам. Ничего не изменено.\n")
    assert sql_rows(server, "SELECT name FROM client ORDER BY name") == [("Бета",), ("ООО «Моё»",)]


def test_assigned_between_the_push_and_the_pull_the_pulled_client_takes_in_her_copy(team, server, monkeypatch):
    """The colleague's client handed to her after this sync's push looked (``lift_visible``): the pull brings it,
    and her copy of that ИНН takes its UUID instead of the laptop's unique ИНН refusing a second client."""
    import app.sync.service as service

    laptop, spec1, _spec2 = team
    add_client(laptop, ClientInput(name="ООО «Бета своя»", inn=BETA, approach="remote"))
    add_entry(laptop, BETA, EntryInput(kind="conference", on_date=date(2026, 11, 12), minutes=30, note="бета"))
    sync_once(laptop)
    assign_client(server, BETA, specialist=spec1)
    monkeypatch.setattr(service, "lift_visible", lambda db, server: None)  # as if assigned after the push looked
    assert sync_once(laptop).conflicts == 0
    server_uuid = sql_rows(server, "SELECT uuid FROM client WHERE inn = :inn", inn=BETA)
    assert sql_rows(laptop, "SELECT uuid, name FROM client WHERE inn = :inn", inn=BETA) == [(server_uuid[0][0], "Бета")]
    monkeypatch.undo()
    sync_once(laptop)  # her entry, queued again with its client, goes now
    assert sql_rows(server, "SELECT note, updated_by FROM work_log") == [("бета", spec1)]
    assert pending_count(laptop) == 0 and conflict_lines(laptop) == []


def test_the_colleagues_client_handed_to_her_brings_its_older_records_and_history(team, server):
    """Its acts, work, stage moves and trail were written on the server before her laptop's last pull: the copy
    merged by ИНН, but none of them arrived (the trial of 2026-12-01, finding 2), since a pull reads only rows
    numbered after its watermark. The merged client now brings them, as a client newly assigned does."""
    from app.services.clients import get_client
    from app.services.progress import move_stage
    from app.team.audit import client_history
    from tests.exchange.test_shared_marks_bundles import bill

    laptop, spec1, _spec2 = team
    add_entry(server, BETA, EntryInput(kind="conference", on_date=date(2026, 11, 2), minutes=60, note="их"))
    act = bill(server, "их")
    move_stage(server, BETA, 1, force=True, reason="договор подписан")
    add_client(laptop, ClientInput(name="ООО «Бета своя»", inn=BETA, approach="remote"))
    add_entry(laptop, BETA, EntryInput(kind="conference", on_date=date(2026, 11, 12), minutes=30, note="бета"))
    sync_once(laptop)  # held: another member's ИНН; her watermark passes the server's records of «Бета»
    assign_client(server, BETA, specialist=spec1)

    sync_once(laptop)
    assert sql_rows(laptop, "SELECT w.note, d.uuid FROM work_log w LEFT JOIN document d "
                            "ON d.id = w.billed_by_document_id ORDER BY w.note") == [("бета", None), ("их", act)]
    card = get_client(laptop, BETA)
    assert (card.stage, [(e.from_stage, e.to_stage) for e in card.history]) == (1, [(0, 1)])
    server_card = get_client(server, BETA)  # the server's stage is its last move too, not her copy's 0
    assert (server_card.stage, server_card.history[-1].to_stage) == (1, 1)
    server_trail = sql_rows(server, "SELECT uuid FROM audit_log WHERE client_uuid = "
                                    "(SELECT uuid FROM client WHERE inn = :inn)", inn=BETA)
    laptop_trail = {u for (u,) in sql_rows(laptop, "SELECT uuid FROM audit_log")}
    assert server_trail and {u for (u,) in server_trail} <= laptop_trail
    # the card's history has the server's stage move of «Бета» (0 → 1), not only her own lines
    assert any(e.field == "stage" and (e.old, e.new) == ("0", "1") for e in client_history(laptop, BETA))
    again = sync_once(laptop)
    assert (again.pushed, again.pulled, again.conflicts) == (0, 0, 0)


def test_her_copys_own_move_merged_by_inn_is_the_last_one_on_the_server_too(team, server):
    """Her copy was moved offline (0 → 1 → 2) while the server's client stood at 1: her moves reach the team last,
    so the client stands at 2 everywhere — the server's row too, which the merge by ИНН had left at 1."""
    from app.services.clients import get_client
    from app.services.progress import move_stage

    laptop, spec1, _spec2 = team
    move_stage(server, BETA, 1, force=True, reason="договор подписан")
    add_client(laptop, ClientInput(name="ООО «Бета своя»", inn=BETA, approach="remote"))
    move_stage(laptop, BETA, 1, force=True, reason="свой договор")
    move_stage(laptop, BETA, 2, force=True, reason="уроки")
    sync_once(laptop)
    assign_client(server, BETA, specialist=spec1)
    sync_once(laptop)
    for db in (laptop, server):
        card = get_client(db, BETA)
        assert (card.stage, card.history[-1].to_stage) == (2, 2)
    assert sync_once(laptop).pushed == 0


def test_once_the_colleagues_client_is_deleted_her_copy_and_work_go_up(team, server, capsys):
    """The trial: the colleague deleted «Бета»; her copy stayed «только на этом ноутбуке» at every sync, its work
    never sent, and nothing said what to do. The ИНН is free now: the copy goes to the server as a new client."""
    from app.services.clients import delete_client, get_client

    laptop, spec1, _spec2 = team
    add_client(laptop, ClientInput(name="ООО «Бета своя»", inn=BETA, approach="remote"))
    add_entry(laptop, BETA, EntryInput(kind="conference", on_date=date(2026, 11, 12), minutes=30, note="бета"))
    sync_once(laptop)
    [line] = conflict_lines(laptop)
    assert _cli(laptop, capsys, "sync", "resolve", str(line.id), "--keep", "local")[0] == 0
    delete_client(server, get_client(server, BETA).id)

    report = sync_once(laptop)
    assert (report.not_taken, report.notes) == (0, ())
    assert sql_rows(server, "SELECT c.name, c.specialist_login, w.note FROM client c JOIN work_log w "
                            "ON w.client_id = c.id WHERE c.inn = :inn", inn=BETA) == [("ООО «Бета своя»", spec1, "бета")]
    assert pending_count(laptop) == 0 and conflict_lines(laptop) == []
    assert sync_once(laptop).conflicts == 0


def test_a_number_the_team_holds_twice_already_is_one_conflict_and_the_sync_goes_on(
        server, server_url, login_of, tmp_path, capsys):
    """The trial 17j, finding 1: a laptop that issued «АУ-1/2026» a third time (the team's, its own under its
    series, and this one) stopped every sync at that act for ever (uq_document_number), and nothing else of it
    reached the server. The act is now one conflict that says what to do, and the rest syncs."""
    import sqlite3
    import uuid as uuid_module

    from app.persistence.db import open_database
    from app.sync.refused import NUMBER_TWICE
    from tests.exchange.test_shared_marks_bundles import bill

    _boss, spec1, _spec2 = _colleagues(server, login_of)
    add_entry(server, BETA, EntryInput(kind="conference", on_date=date(2026, 3, 2), minutes=60, note="T"))
    bill(server, "T")
    path = tmp_path / "spec1.sqlite3"
    before = open_database(f"sqlite:///{path}")
    add_client(before, ClientInput(name="ООО «Моё»", inn=MINE, approach="remote"))
    add_entry(before, MINE, EntryInput(kind="conference", on_date=date(2026, 3, 3), minutes=30, note="E"))
    own_act = bill(before, "E")
    before.dispose()
    opened: list = []
    try:
        laptop = join_laptop(path, server_url, spec1, opened)  # АУ-1 under this installation's series
        con = sqlite3.connect(path)
        con.row_factory = sqlite3.Row
        with con:  # the same number issued here once more (a number given twice: what the trial's laptop did)
            row = dict(con.execute("SELECT * FROM document WHERE uuid = ?", (own_act,)).fetchone())
            row.update(id=None, uuid=str(uuid_module.uuid4()), series="", row_version=0)
            con.execute(f"INSERT INTO document ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                        list(row.values()))
        con.close()
        add_entry(laptop, MINE, EntryInput(kind="control", on_date=date(2026, 3, 4), minutes=15, note="после"))
        sync_once(laptop)  # no stop at the act
        assert sql_rows(server, "SELECT count(*) FROM work_log WHERE note = 'после'") == [(1,)]
        [line] = [line for line in conflict_lines(laptop) if line.kind == NUMBER_TWICE]
        assert "номер АУ-1/2026 в команде уже выдан дважды" in line.what
        # the window names its menu and the dialog's button, the command line the commands
        assert "(«Документы ▸ Реестр документов…», кнопка «Аннулировать…»)" in line.what and "--" not in line.what
        assert "documents void \"АУ-1/2026\" --reason" in line.cli_what and "«--keep local»" in line.cli_what
        assert pending_count(laptop) == 0
        sync_once(laptop)  # nothing new recorded at the next sync
        assert len([x for x in conflict_lines(laptop) if x.kind == NUMBER_TWICE]) == 1
        status, _out, err = _cli(laptop, capsys, "sync", "resolve", str(line.id), "--keep", "local")
        assert status == 0, err
    finally:
        for db in opened:
            db.dispose()
