"""A client handed to another specialist leaves the laptop of the one who had it (the trial of 2026-12-01, finding
3: it stayed there for ever, in «Мои заказчики», and work logged on it offline became an «orphan» conflict that
never said why). Work still unsent keeps it there under one conflict saying it was handed over."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.services.client_list import list_clients
from app.services.clients import ClientInput, add_client
from app.services.worklog import EntryInput, add_entry
from app.sync.service import conflict_lines, conflicts, pending_count, sync_once
from app.team.users import add_user, assign_client
from tests.team.conftest import PASSWORD, join_laptop, sql_rows

pytestmark = pytest.mark.postgres

INN, OTHER = "7707083893", "7710000382"


@pytest.fixture
def team(server, server_url, login_of, tmp_path):
    """(ann's laptop, boss's laptop, ann, bob): specialists ann and bob under manager boss; ann holds «Ромашка»
    (with a logged hour) and «Бета»; both laptops synced once."""
    boss, ann, bob = login_of("boss"), login_of("ann"), login_of("bob")
    add_user(server, boss, "Петрова Мария", "manager", PASSWORD)
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD, manager=boss)
    add_user(server, bob, "Бобров Борис", "specialist", PASSWORD, manager=boss)
    for name, inn in (("ООО «Ромашка»", INN), ("ООО «Бета»", OTHER)):
        add_client(server, ClientInput(name=name, inn=inn, approach="remote"))
        assign_client(server, inn, specialist=ann)
    add_entry(server, INN, EntryInput(kind="conference", on_date=date(2026, 11, 2), minutes=60, note="было"))
    opened: list = []
    laptop = join_laptop(tmp_path / "ann.sqlite3", server_url, ann, opened)
    boss_laptop = join_laptop(tmp_path / "boss.sqlite3", server_url, boss, opened)
    yield laptop, boss_laptop, ann, bob
    for db in opened:
        db.dispose()


def _inns(db) -> list[str]:
    return sorted(c.inn for c in list_clients(db))


def test_a_client_handed_to_another_specialist_leaves_her_laptop_and_stays_with_the_manager(team, server):
    laptop, boss_laptop, _ann, bob = team
    from app.services.clients import get_client, update_client

    mine = get_client(laptop, INN)  # a conflict of hers about it, settled on the server's side, still open
    update_client(laptop, mine.id, replace(mine.data, city="Клин"))
    update_client(server, get_client(server, INN).id, replace(get_client(server, INN).data, city="Тверь"))
    sync_once(laptop)
    assert [c.field for c in conflicts(laptop)] == ["city"]
    assign_client(server, INN, specialist=bob)
    report = sync_once(laptop)
    assert _inns(laptop) == [OTHER]
    assert sql_rows(laptop, "SELECT count(*) FROM work_log") == [(0,)]  # its records went with it
    assert (report.conflicts, report.pushed) == (0, 0) and conflicts(laptop) == []  # nothing left to choose
    sync_once(boss_laptop)  # the manager still sees it: nothing of it is dropped there
    assert _inns(boss_laptop) == sorted([INN, OTHER])
    assert sql_rows(boss_laptop, "SELECT note FROM work_log") == [("было",)]
    assert sync_once(laptop).pulled == 0  # settled

    assign_client(server, INN, specialist=_ann_of(team))  # handed back: it comes back whole
    sync_once(laptop)
    assert _inns(laptop) == sorted([INN, OTHER])
    assert sql_rows(laptop, "SELECT note FROM work_log") == [("было",)]


def _ann_of(team) -> str:
    return team[2]


def test_work_logged_offline_on_a_client_handed_away_keeps_it_here_under_one_conflict_saying_so(team, server):
    laptop, _boss_laptop, _ann, bob = team
    add_entry(laptop, INN, EntryInput(kind="conference", on_date=date(2026, 11, 20), minutes=30, note="офлайн"))
    add_entry(laptop, INN, EntryInput(kind="onsite_day", on_date=date(2026, 11, 21), days=1, note="выезд"))
    assign_client(server, INN, specialist=bob)
    report = sync_once(laptop)
    assert [c.kind for c in conflicts(laptop)] == ["not_yours"] and report.conflicts == 1
    [line] = conflict_lines(laptop)
    assert line.text().split("\t")[1:3] == [
        "ООО «Ромашка»", "Карточка: сервер команды больше не показывает вам этого заказчика (он передан другому): "
        "изменение с этого ноутбука не отправлено. Чтобы убрать заказчика и неотправленные изменения с этого "
        "ноутбука, закройте конфликт с «--keep server»; чтобы оставить его здесь — с «--keep local»"]
    assert _inns(laptop) == sorted([INN, OTHER])  # kept: her work is here only
    assert sql_rows(laptop, "SELECT note FROM work_log ORDER BY note") == [("было",), ("выезд",), ("офлайн",)]
    assert sql_rows(server, "SELECT note FROM work_log") == [("было",)]
    assert pending_count(laptop) == 0
    again = sync_once(laptop)
    assert (again.conflicts, again.pushed) == (0, 0) and len(conflicts(laptop)) == 1

    assign_client(server, INN, specialist=_ann_of(team))  # handed back: her work goes to the server
    sync_once(laptop)
    assert sql_rows(server, "SELECT note FROM work_log ORDER BY note") == [("было",), ("выезд",), ("офлайн",)]
    assert [c.kind for c in conflicts(laptop)] == []


def _resolve(db, capsys, conflict_id: int, keep: str) -> tuple[int, str]:
    from pathlib import Path

    from app.cli import run

    status = run(["--db", str(Path(db.engine.url.database)), "sync", "resolve", str(conflict_id), "--keep", keep])
    return status, capsys.readouterr().err



def _handed_with_unsent_work(team, server):
    """Her laptop after the client (with an act issued on it) was handed to bob while an hour was unsent."""
    from tests.exchange.test_shared_marks_bundles import bill

    laptop, _boss_laptop, _ann, bob = team
    act = bill(laptop, "было")
    sync_once(laptop)
    add_entry(laptop, INN, EntryInput(kind="conference", on_date=date(2026, 11, 20), minutes=30, note="офлайн"))
    assign_client(server, INN, specialist=bob)
    sync_once(laptop)
    [conflict] = conflicts(laptop)
    return laptop, conflict, act


def test_keep_here_closes_a_sync_conflict_as_keep_local_does(team, server, capsys):
    """The trial: «--keep here» was refused for a sync's conflict, though the help says «local / here — этого
    ноутбука»."""
    laptop, conflict, _act = _handed_with_unsent_work(team, server)
    assert _resolve(laptop, capsys, conflict.id, "here") == (0, "")
    assert conflicts(laptop) == [] and _inns(laptop) == sorted([INN, OTHER])  # kept here, as it was
    assert sync_once(laptop).conflicts == 0  # closed with this laptop's side: no new conflict


def test_letting_a_handed_client_go_drops_it_here_even_with_issued_acts(team, server, capsys):
    """The trial: a client with issued documents, handed away while it had unsent work, could never leave the old
    laptop (deleting it is refused: issued documents) and stayed in «Мои заказчики». «--keep server» on its conflict
    lets it go: the copy and the unsent work leave this laptop; the server's client, act and work are untouched."""
    laptop, conflict, act = _handed_with_unsent_work(team, server)
    from pathlib import Path

    from app.cli import run

    status = run(["--db", str(Path(laptop.engine.url.database)), "sync", "resolve", str(conflict.id), "--keep", "server"])
    assert (status, capsys.readouterr().out) == (0, f"Конфликт {conflict.id} закрыт: заказчик «ООО „Ромашка“» и его "
                                                    "неотправленные изменения убраны с этого ноутбука (на сервере "
                                                    "команды заказчик остаётся у нового специалиста).\n")
    assert _inns(laptop) == [OTHER] and conflicts(laptop) == []
    assert sql_rows(laptop, "SELECT count(*) FROM document") == [(0,)]
    assert pending_count(laptop) == 0
    report = sync_once(laptop)
    assert (report.pushed, report.conflicts) == (0, 0) and conflicts(laptop) == []
    assert sql_rows(server, "SELECT uuid FROM document") == [(act,)]
    assert sql_rows(server, "SELECT note FROM work_log ORDER BY note") == [("было",)]


def test_a_handed_client_is_not_let_go_while_an_act_issued_here_is_unsent(team, server, capsys):
    """The trial 17i: an act issued offline, then the client handed away; «--keep server» deleted the printed act,
    which no one else held, and the new specialist billed its work again."""
    from tests.exchange.test_shared_marks_bundles import bill, code

    laptop, _boss_laptop, _ann, bob = team
    act = bill(laptop, "было")  # offline: not on the server yet
    assign_client(server, INN, specialist=bob)
    sync_once(laptop)
    [conflict] = conflicts(laptop)
    [line] = conflict_lines(laptop)  # said at once, not only by the refusal (the trial 17j, finding 5)
    assert line.what.endswith(f". Документы этого заказчика, выставленные на этом ноутбуке, ещё не отправлены на "
                              f"сервер команды: {code(laptop, act)} — сразу сообщите руководителю, чтобы эти работы "
                              "не выставили повторно, и попросите вернуть вам заказчика, чтобы их отправить")
    status, said = _resolve(laptop, capsys, conflict.id, "server")
    assert status == 2
    assert said.startswith("Документы этого заказчика, выставленные на этом ноутбуке, ещё не отправлены на сервер "
                           f"команды: {code(laptop, act)}. Они не удаляются")
    assert sql_rows(laptop, "SELECT uuid FROM document") == [(act,)] and len(conflicts(laptop)) == 1
    assign_client(server, INN, specialist=_ann_of(team))  # handed back: the act goes to the server
    sync_once(laptop)
    assert sql_rows(server, "SELECT uuid FROM document") == [(act,)]
