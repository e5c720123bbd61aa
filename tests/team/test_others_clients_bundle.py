"""A bundle holding a colleague's client no longer blocks a laptop's sync (issue 17, eng17 #1).

A manager exports every client (some are other specialists'); a specialist imports the file on their team laptop.
The server's row-level security refuses the colleague's client from this member (42501). Before, that rolled back
the whole push at every sync with «… будут отправлены при следующей синхронизации» and no conflict. Now the client
is one conflict naming it, its records stay on the laptop without a conflict each, the rest syncs, «отправлено»
counts only what the server took, and the next sync sends nothing more."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cli import run
from app.exchange.bundle_export import export_bundle
from app.exchange.bundle_import import import_bundle
from app.persistence.models import Client, Contact, SyncConflict
from app.services.clients import ClientInput, add_client
from app.services.worklog import EntryInput, add_entry
from app.sync.service import conflict_lines, pending_count, sync_once
from app.team.users import add_user, assign_client
from tests.team.conftest import PASSWORD, join_laptop, sql_rows

pytestmark = pytest.mark.postgres

OWN, OTHERS = "7707083893", "7736050003"



@pytest.fixture
def team(server, server_url, login_of, tmp_path):
    """(boss, ann): the laptops of manager «boss» and of specialist «ann»; specialist «carl» (boss's too) holds
    ООО «Чужой» with a work entry and a contact; ann holds ООО «Свой». Both laptops synced once."""
    boss, ann, carl = login_of("boss"), login_of("ann"), login_of("carl")
    add_user(server, boss, "Петрова Мария", "manager", PASSWORD)
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD, manager=boss)
    add_user(server, carl, "Карлов Карл", "specialist", PASSWORD, manager=boss)
    add_client(server, ClientInput(name="ООО «Свой»", inn=OWN, approach="remote"))
    assign_client(server, OWN, specialist=ann)
    add_client(server, ClientInput(name="ООО «Чужой»", inn=OTHERS, approach="remote"))
    assign_client(server, OTHERS, specialist=carl)
    add_entry(server, OTHERS, EntryInput(kind="conference", on_date=date(2026, 3, 2), minutes=60, note="К"))
    with server.unit() as s:
        client = s.scalar(select(Client).where(Client.inn == OTHERS))
        s.add(Contact(client_id=client.id, name="Сидоров Сидор", position="", phone="", email=""))
    opened: list = []
    for name, login in (("boss", boss), ("ann", ann)):
        join_laptop(tmp_path / f"{name}.sqlite3", server_url, login, opened)
    yield opened[0], opened[1], ann, carl
    for db in opened:
        db.dispose()


def _cli(db, capsys, *argv: str) -> tuple[int, str, str]:
    status = run(["--db", str(Path(db.engine.url.database)), *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_a_colleagues_client_from_a_managers_bundle_is_one_conflict_and_the_rest_syncs(team, server, tmp_path,
                                                                                       capsys):
    boss, ann_db, ann, carl = team
    path = tmp_path / "all.zip"
    export_bundle(boss, None, path)  # «export --all» of the manager: ann's and carl's clients
    report = import_bundle(ann_db, path, backup=False).report
    # the import already says which clients will not reach the server (ann's own one is not named)
    assert report.lines()[-1] == (
        "Заказчики других участников команды: «ООО „Чужой“» — сервер команды не примет их от вас, поэтому они и их "
        "записи останутся только на этом ноутбуке (синхронизация назовёт их в «sync conflicts»).")
    assert {name for (name,) in sql_rows(ann_db, "SELECT name FROM client")} == {"ООО «Свой»", "ООО «Чужой»"}
    add_entry(ann_db, OWN, EntryInput(kind="conference", on_date=date(2026, 3, 3), minutes=30, note="своё"))
    before = sql_rows(server, "SELECT count(*) FROM audit_log")

    status, out, err = _cli(ann_db, capsys, "sync")
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Отправлено: 1, получено: 0, новых конфликтов: 1."  # her entry; the colleague's client apart
    assert lines[1] == "Не принято сервером: 1 (см. «sync conflicts»)."
    assert lines[2] == ("Сервер команды не принимает от вас заказчиков других участников команды (они пришли в файле "
                        "обмена): «ООО „Чужой“» — они и их записи остаются только на этом ноутбуке (см. «sync "
                        "conflicts»).")
    # her own change reached the server; the colleague's client is as carl left it, nothing of it under ann
    assert sql_rows(server, "SELECT note, updated_by FROM work_log ORDER BY note") == [("К", "vnedrenie"), ("своё", ann)]
    assert sql_rows(server, "SELECT name, specialist_login FROM client ORDER BY name") == [
        ("ООО «Свой»", ann), ("ООО «Чужой»", carl)]
    assert sql_rows(server, "SELECT count(*) FROM contact") == [(1,)]
    assert sql_rows(server, "SELECT count(*) FROM audit_log WHERE client_uuid IN (SELECT uuid FROM client WHERE inn = "
                        ":inn) AND author LIKE :a", inn=OTHERS, a=f"{ann}%") == [(0,)]
    assert sql_rows(server, "SELECT count(*) FROM audit_log")[0][0] > before[0][0]  # her entry's line went
    # one conflict, naming the client; its contact and work entry stay here without one each
    with ann_db.read() as s:
        kinds = [(c.table_name, c.kind) for c in s.scalars(select(SyncConflict))]
    assert kinds == [("client", "others_client")]
    [line] = conflict_lines(ann_db)
    assert line.text().split("\t")[1:] == [
        "ООО «Чужой»",
        "Карточка: этот заказчик ведётся другим участником команды (он пришёл в файле обмена), и сервер команды не "
        "принимает его от вас: он и его записи остаются только на этом ноутбуке и не отправляются. Если вам нужно "
        "его вести, попросите руководителя назначить его вам; если нет, удалите его здесь («clients delete ИНН»): "
        "сервер команды хранит его и его документы у его специалиста. Закройте конфликт с "
        "«--keep local»: заказчик останется только на этом ноутбуке и попадёт на сервер, когда его назначат вам",
        "здесь: только на этом ноутбуке", "на сервере: заказчик другого участника", "оставлено: здешнее"]
    assert sql_rows(ann_db, "SELECT count(*) FROM contact") == [(1,)] and pending_count(ann_db) == 0
    assert sql_rows(ann_db, "SELECT count(*) FROM sync_outbox") == [(0,)]

    again = sync_once(ann_db)  # nothing more is sent, nothing new recorded
    assert (again.pushed, again.not_taken, again.conflicts, again.notes) == (0, 0, 0, ())
    with ann_db.read() as s:
        assert len(list(s.scalars(select(SyncConflict)))) == 1


def test_records_added_later_to_a_refused_client_stay_quietly_and_its_refusal_is_not_repeated(team, server,
                                                                                             tmp_path):
    boss, ann_db, _ann, carl = team
    path = tmp_path / "all.zip"
    export_bundle(boss, None, path)
    import_bundle(ann_db, path, backup=False)
    sync_once(ann_db)
    add_entry(ann_db, OTHERS, EntryInput(kind="conference", on_date=date(2026, 3, 4), minutes=15, note="позже"))
    with ann_db.unit() as s:
        s.scalar(select(Client).where(Client.inn == OTHERS)).city = "Клин"
    report = sync_once(ann_db)  # the card is refused again: said by name, not as a new «не принято» to look up
    assert (report.pushed, report.not_taken, report.conflicts) == (0, 0, 0)
    assert report.notes == ("Не отправлено: сервер команды по-прежнему не принимает от вас этих заказчиков, их "
                            "изменения остаются только на этом ноутбуке: «ООО „Чужой“» (см. «sync status»).",)
    assert sql_rows(server, "SELECT count(*) FROM work_log WHERE note = 'позже'") == [(0,)]
    assert sql_rows(server, "SELECT city, specialist_login FROM client WHERE inn = :inn", inn=OTHERS) == [("", carl)]
    with ann_db.read() as s:
        assert [c.kind for c in s.scalars(select(SyncConflict))] == ["others_client"]
    assert pending_count(ann_db) == 0


def test_a_manager_importing_a_file_of_his_specialists_clients_is_not_warned(team, server, tmp_path):
    boss, ann_db, _ann, _carl = team
    path = tmp_path / "ann.zip"
    add_client(ann_db, ClientInput(name="ООО «Новый»", inn="7728168971", approach="remote"))
    sync_once(ann_db)  # assigned to ann by the server, her manager boss sees it
    export_bundle(ann_db, None, path)
    report = import_bundle(boss, path, backup=False).report  # boss has not synced since: new on his laptop
    assert report.lines() == ["Добавлено: 1; изменено по файлу: 0; конфликтов: 0; без изменений: 1.",
                              "  + Заказчик: 1"]
    assert sync_once(boss).not_taken == 0


def test_after_keep_local_a_refused_clients_changes_are_said_held_here_not_refused_to_look_up(team, tmp_path,
                                                                                               capsys):
    """The re-trial: after «sync resolve N --keep local» a card change printed «Не принято сервером: 1 (см.
    «sync conflicts»)» while «sync conflicts» listed nothing, and «sync status» said only «Синхронизировано»."""
    from app.sync.service import conflicts

    boss, ann_db, _ann, _carl = team
    path = tmp_path / "all.zip"
    export_bundle(boss, None, path)
    import_bundle(ann_db, path, backup=False)
    sync_once(ann_db)
    [conflict] = conflicts(ann_db)
    assert _cli(ann_db, capsys, "sync", "resolve", str(conflict.id), "--keep", "local")[0] == 0
    with ann_db.unit() as s:
        s.scalar(select(Client).where(Client.inn == OTHERS)).city = "Клин"
    status, out, _err = _cli(ann_db, capsys, "sync")
    assert status == 0 and "Не принято сервером" not in out
    assert "остаются только на этом ноутбуке: «ООО „Чужой“»" in out and conflicts(ann_db) == []
    status, out, _err = _cli(ann_db, capsys, "sync", "status")
    assert status == 0 and "Только на этом ноутбуке (сервер команды не принимает их от вас): «ООО „Чужой“»." in out


def test_a_colleagues_client_with_acts_from_a_bundle_is_deleted_here_as_its_conflict_advises(team, server, tmp_path,
                                                                                           capsys):
    """Tester L, item 1: the conflict said «если нет, удалите его здесь», and `clients delete` refused the client
    (it has issued acts: «удаляет только администратор»). The server never took it from this laptop, so deleting
    it here deletes nothing of the team's: it goes from this laptop with its double billing, the server keeps the
    client and its act with carl, and the next sync has nothing to say."""
    from tests.team.test_server_immutability import bill

    boss, ann_db, _ann, carl = team
    number = bill(server, "К")  # carl's act, issued on the server
    sync_once(boss)
    path = tmp_path / "all.zip"
    export_bundle(boss, None, path)
    import_bundle(ann_db, path, backup=False)
    sync_once(ann_db)
    [line] = conflict_lines(ann_db)
    assert "если нет, удалите его здесь («clients delete ИНН»): сервер команды хранит его и его документы у его " \
           "специалиста" in line.text()
    with ann_db.unit() as s:  # another conflict of that client, which goes with it
        s.add(SyncConflict(client_uuid=line_client(ann_db), table_name="client", record_uuid=line_client(ann_db),
                           kind="field", field="city", local_value='"А"', server_value='"Б"', kept="server"))

    status, out, err = _cli(ann_db, capsys, "clients", "delete", OTHERS)
    assert (status, err) == (0, ""), err
    assert out == "Заказчик «ООО „Чужой“» удалён вместе с его записями.\n"
    assert sql_rows(ann_db, "SELECT count(*) FROM client WHERE inn = :inn", inn=OTHERS) == [(0,)]
    assert conflict_lines(ann_db) == []
    report = sync_once(ann_db)
    assert (report.not_taken, report.conflicts, report.notes) == (0, 0, ())
    assert conflict_lines(ann_db) == [] and pending_count(ann_db) == 0
    # nothing of the team's went: carl's client and its act are on the server as they were
    assert sql_rows(server, "SELECT specialist_login FROM client WHERE inn = :inn", inn=OTHERS) == [(carl,)]
    assert sql_rows(server, "SELECT number FROM document") == [(number,)]
    status, out, _err = _cli(ann_db, capsys, "sync", "status")
    assert "Только на этом ноутбуке" not in out


def test_a_colleagues_client_with_an_act_issued_here_is_not_deleted(team, server, tmp_path, capsys):
    """The act issued on this laptop for the colleague's client never reached the server: deleting the client here
    would lose a printed act, so the deletion is refused, naming it."""
    from tests.team.test_server_immutability import bill

    boss, ann_db, _ann, _carl = team
    path = tmp_path / "all.zip"
    export_bundle(boss, None, path)
    import_bundle(ann_db, path, backup=False)
    sync_once(ann_db)
    bill(ann_db, "К")
    status, out, err = _cli(ann_db, capsys, "clients", "delete", OTHERS)
    assert status == 2 and out == ""
    assert err.startswith("Документы, выданные на этом ноутбуке по этому заказчику, не дошли до сервера команды: АУ-")
    assert err.endswith("Выданный документ никогда не удаляется, поэтому заказчик остаётся на этом ноутбуке; ничего "
                        "не изменено.\n")
    assert sql_rows(ann_db, "SELECT count(*) FROM client WHERE inn = :inn", inn=OTHERS) == [(1,)]


def line_client(db) -> str:
    with db.read() as s:
        return s.scalar(select(Client.uuid).where(Client.inn == OTHERS))
