"""Team-wide data (tariffs, rates, requisites, VAT, the team's settings) with a real team server (issue 17):
a specialist's or a manager's change is refused on the laptop and never reaches the server, not even as an audit
line; an administrator's travels with its audit line; a change the server refuses at push (the role was lowered
there meanwhile) is recorded, said in Russian, kept off the server with its audit lines, and reverted here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text

from app.errors import UserError
from app.persistence.db import open_database
from app.services import estimates, tariffs
from app.services.clients import ClientInput, add_client
from app.services.documents import get_executor, update_executor
from app.sync.service import conflict_lines, conflicts, last_error, pending_count, sync_once
from app.sync.sync_setup import setup
from app.team.users import add_user, assign_client
from tests.team.conftest import PASSWORD, plain_url

pytestmark = pytest.mark.postgres

INN = "7707083893"
DAY = date(2030, 1, 1)


@pytest.fixture
def team(server, login_of):
    chief, boss, ann = login_of("chief"), login_of("boss"), login_of("ann")
    add_user(server, chief, "Сидоров Олег", "admin", PASSWORD, position="Директор")
    add_user(server, boss, "Петрова Мария", "manager", PASSWORD, position="Руководитель")
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD, position="Специалист", manager=boss)
    add_client(server, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
    assign_client(server, INN, specialist=ann)
    return {"admin": chief, "manager": boss, "specialist": ann}


@pytest.fixture
def laptop(tmp_path, server_url, team):
    opened = []

    def make(role: str):
        db = open_database(f"sqlite:///{tmp_path / f'{role}-{len(opened)}.sqlite3'}")
        opened.append(db)
        setup(db, plain_url(server_url, team[role]), PASSWORD)
        sync_once(db)
        return db

    yield make
    for db in opened:
        db.dispose()


def _sql(db, query: str):
    with db.engine.connect() as conn:
        return conn.execute(text(query)).all()


def team_data(db) -> dict:
    """The team-wide tables as typed rows (the same on SQLite and PostgreSQL), settings: the team's keys only."""
    from sqlalchemy import select

    from app.sync.rows import table

    with db.engine.connect() as conn:
        out = {name: [tuple(r) for r in conn.execute(select(table(name)).order_by(table(name).c.id))]
               for name in ("tariff", "exchange_rate", "vat_rate", "executor")}
        setting = table("setting")
        out["settings"] = [tuple(r) for r in conn.execute(select(setting).where(setting.c.key.in_(
            ["billing_rounding_min", "hours_per_day"])).order_by(setting.c.key))]
    return out


def team_lines(db) -> list:
    """Audit lines of team-wide data (no client)."""
    return _sql(db, "SELECT table_name, record_uuid, author FROM audit_log WHERE client_uuid = '' ORDER BY 1, 2")


WRITES = {
    "tariff": lambda db: tariffs.set_tariff(db, "remote_hour", "1560", DAY),
    "rate": lambda db: tariffs.set_exchange_rate(db, "95.50", DAY),
    "vat": lambda db: tariffs.set_vat(db, "included", "20", DAY),
    "executor": lambda db: update_executor(db, company="ООО «Своя»"),
    "hours": lambda db: estimates.set_hours_per_day(db, "7"),
}


@pytest.mark.parametrize("role", ["specialist", "manager"])
def test_a_non_admin_team_wide_write_is_refused_and_leaves_nothing_here_or_on_the_server(
        laptop, team, server, role, cli, sqlite_path):
    db = laptop(role)
    here, there = team_data(db), team_data(server)
    assert here == there  # the laptop holds the server's team data
    for name, write in WRITES.items():
        with pytest.raises(UserError, match="только администратор команды") as caught:
            write(db)
        assert "Traceback" not in caught.value.message, name
    assert team_data(db) == here and team_lines(db) == [] and pending_count(db) == 0
    report = sync_once(db)
    assert report.refused == () and report.pushed == 0
    assert team_data(server) == there and team_lines(server) == []


@pytest.mark.parametrize("role", ["specialist", "manager"])
def test_the_commands_on_a_non_admin_team_laptop_exit_2_in_russian(tmp_path, server_url, team, server, cli,
                                                                   sqlite_path, role):
    pw = tmp_path / "pw.txt"
    pw.write_text(PASSWORD + "\n", encoding="utf-8")
    assert cli("sync", "setup", "--database-url", plain_url(server_url, team[role]), "--password-file", str(pw))[0] == 0
    db = open_database(f"sqlite:///{sqlite_path}")  # no sync yet: «sync setup» alone told the laptop the role
    try:
        before = team_data(db)
        for argv in (("billing", "rate", "remote_hour", "1560", "--from", "2030-01-01"),
                     ("billing", "vat", "included", "20", "--from", "2030-01-01"),
                     ("billing", "settings", "--rounding", "15"),
                     ("executor", "set", "--company", "ООО «Своя»")):
            status, _out, err = cli(*argv)
            assert status == 2 and "только администратор команды" in err and "Traceback" not in err, (argv, err)
        assert team_data(db) == before and team_lines(db) == []
    finally:
        db.dispose()
    assert cli("sync")[0] == 0
    assert team_lines(server) == []


def test_an_admins_change_travels_with_its_audit_line_to_the_server_and_the_other_laptops(laptop, team, server):
    chief = laptop("admin")
    ann = laptop("specialist")
    tariffs.set_tariff(chief, "remote_hour", "1560", DAY)
    estimates.set_hours_per_day(chief, "7")
    update_executor(chief, company="ООО «Команда»")
    assert pending_count(chief) == 3  # three records; their audit lines are not counted
    report = sync_once(chief)
    assert report.refused == () and pending_count(chief) == 0
    assert _sql(server, f"SELECT rate FROM tariff WHERE kind = 'remote_hour' AND valid_from = '{DAY}'") == [
        (156000,)]  # kopecks (Fixed2)
    assert _sql(server, "SELECT value FROM setting WHERE key = 'hours_per_day'") == [("7.00",)]
    assert get_executor(server).company == "ООО «Команда»"
    lines = team_lines(server)
    assert ("tariff", f"remote_hour:{DAY}", team["admin"]) in lines
    assert ("setting", "hours_per_day", team["admin"]) in lines
    assert ("executor", "executor", team["admin"]) in lines
    sync_once(ann)
    assert team_data(ann) == team_data(server) == team_data(chief)
    assert estimates.hours_per_day(ann) == Decimal("7.00")


def test_a_role_lowered_on_the_server_after_an_offline_edit_is_refused_at_push_and_reverted(laptop, team, server):
    chief = laptop("admin")
    there = team_data(server)
    tariffs.set_tariff(chief, "remote_hour", "1560", DAY)  # offline, still an administrator here
    tariffs.set_exchange_rate(chief, "95.50", DAY)
    with server.engine.begin() as conn:  # meanwhile the team made them a manager
        conn.execute(text("UPDATE team_user SET role = 'manager' WHERE login = :login"), {"login": team["admin"]})
    report = sync_once(chief)
    # nothing reached the server: neither the rows nor their audit lines
    assert team_data(server) == there and team_lines(server) == []
    # said in Russian, which data and why, and kept as the last error of the status
    assert report.refused == (
        "Сервер команды не принял изменение тарифов с этого ноутбука: их меняет только администратор команды; "
        "на ноутбуке восстановлены значения сервера.",
        "Сервер команды не принял изменение курсов валют с этого ноутбука: их меняет только администратор "
        "команды; на ноутбуке восстановлены значения сервера.")
    assert last_error(chief) == " ".join(report.refused)
    # reverted here to the server's values, the audit lines of the refused change gone, nothing waiting
    assert team_data(chief) == there and team_lines(chief) == [] and pending_count(chief) == 0
    # recorded: one conflict per record with both values, the server's kept
    refused = sorted((c.table, c.record_uuid, c.local_value, c.server_value, c.kept) for c in conflicts(chief))
    assert refused == [("exchange_rate", f"USD:{DAY}", "95.50", None, "server"),
                       ("tariff", f"remote_hour:{DAY}", "1560.00", None, "server")]
    assert any("Тариф «удалённый час» с 01.01.2030: сервер команды не принял изменение с этого ноутбука" in line.what
               for line in conflict_lines(chief))
    # the laptop now knows the role: the next change is refused at once
    with pytest.raises(UserError, match=r"Тарифы меняет только администратор команды, а вы вошли как Сидоров Олег "
                                        r"\(менеджер\)"):
        tariffs.set_tariff(chief, "remote_hour", "1560", DAY)
    # the next sync refuses nothing and forgets the message (the conflicts stay until looked at)
    assert sync_once(chief).refused == () and last_error(chief) == ""


def test_new_conflicts_of_a_refused_change_count_the_lines_the_list_shows(laptop, team, server):
    """The re-trial's «новых конфликтов: 2» over three new conflicts: a refused change of the requisites is one
    sentence but one conflict per field that differs, and the count is of what «sync conflicts» lists."""
    chief = laptop("admin")
    update_executor(chief, company="ООО «Своя»", city="Тверь", address="г. Тверь, ул. Советская, д. 1")
    tariffs.set_tariff(chief, "remote_hour", "1560", DAY)
    with server.engine.begin() as conn:
        conn.execute(text("UPDATE team_user SET role = 'manager' WHERE login = :login"), {"login": team["admin"]})
    report = sync_once(chief)
    assert len(report.refused) == 2 and len(conflicts(chief)) == 4
    assert report.conflicts == 4


def test_the_server_refuses_a_non_admins_team_wide_audit_line_by_itself(server, team, server_url):
    """Defence in depth: a line of team-wide data (no client) sent by hand under a specialist's login."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ProgrammingError

    url = make_url(server_url).set(username=team["specialist"], password=PASSWORD)
    engine = create_engine(url)
    try:
        with pytest.raises(ProgrammingError, match="row-level security"), engine.begin() as conn:
            conn.execute(text("INSERT INTO audit_log(uuid, at, author, client_uuid, table_name, record_uuid, action, "
                              "field, old_value, new_value) VALUES ('00000000-0000-4000-8000-0000000000a1', now(), "
                              "current_user, '', 'tariff', 'remote_hour:2030-01-01', 'insert', '', NULL, '1560')"))
    finally:
        engine.dispose()
    assert team_lines(server) == []


def test_local_settings_of_a_specialist_stay_on_the_laptop(laptop, team, server):
    from app.services.board import set_stalled_days, stalled_days

    ann = laptop("specialist")
    set_stalled_days(ann, 21)
    assert pending_count(ann) == 0  # not a record of the team
    sync_once(ann)
    assert stalled_days(ann) == 21
    assert _sql(server, "SELECT count(*) FROM audit_log WHERE table_name = 'setting'") == [(0,)]
    assert _sql(server, "SELECT count(*) FROM setting WHERE key = 'stalled_days'") == [(0,)]


@pytest.mark.parametrize("role", ["admin", "specialist"])
def test_team_wide_changes_made_before_joining_stay_off_the_server_trail(tmp_path, server_url, team, server, role):
    from app.team.users import set_profile_name

    db = open_database(f"sqlite:///{tmp_path / 'before.sqlite3'}")
    try:
        set_profile_name(db, "Ноутбук Анны")
        tariffs.set_tariff(db, "remote_hour", "1560", DAY)  # not in a team yet: allowed, audited here
        assert ("tariff", f"remote_hour:{DAY}", "Ноутбук Анны") in team_lines(db)
        setup(db, plain_url(server_url, team[role]), PASSWORD)
        report = sync_once(db)
        assert report.refused == ()
        assert team_data(db) == team_data(server)  # the team's values replace the laptop's
        assert team_lines(server) == []  # and the team's trail does not claim the laptop's old value
    finally:
        db.dispose()


def test_the_commands_say_what_the_server_refused_at_push(tmp_path, server_url, team, server, cli):
    pw = tmp_path / "pw.txt"
    pw.write_text(PASSWORD + "\n", encoding="utf-8")
    assert cli("sync", "setup", "--database-url", plain_url(server_url, team["admin"]), "--password-file", str(pw))[0] == 0
    assert cli("sync")[0] == 0
    assert cli("billing", "rate", "remote_hour", "1560", "--from", "2030-01-01")[0] == 0
    with server.engine.begin() as conn:
        conn.execute(text("UPDATE team_user SET role = 'specialist' WHERE login = :login"), {"login": team["admin"]})
    sentence = ("Сервер команды не принял изменение тарифов с этого ноутбука: их меняет только администратор "
                "команды; на ноутбуке восстановлены значения сервера.")
    status, out, err = cli("sync")
    assert status == 0 and sentence in out.splitlines(), (out, err)
    status, out, _err = cli("sync", "status")
    assert status == 0 and sentence in out.splitlines()
    status, out, _err = cli("sync", "conflicts")
    assert status == 0 and "Тариф «удалённый час» с 01.01.2030: сервер команды не принял изменение" in out
    assert "здесь: 1 560,00 ₽\tна сервере: —" in out  # in the words of `team history`, not «1560.00»
    status, out, _err = cli("billing", "rate", "remote_hour", "1560", "--from", "2030-01-01")
    assert status == 2
    assert team_lines(server) == []


def test_a_member_connected_to_the_server_directly_gets_the_same_russian_refusal(server_url, team, server):
    from tests.team.conftest import member_url

    there = team_data(server)
    ann = open_database(member_url(server_url, team["specialist"]))
    chief = open_database(member_url(server_url, team["admin"]))
    try:
        with pytest.raises(UserError, match=r"^Тарифы меняет только администратор команды, а вы вошли как Иванова "
                                            r"Анна \(специалист\): ничего не изменено\.$"):
            tariffs.set_tariff(ann, "remote_hour", "1560", DAY)
        assert team_data(server) == there
        tariffs.set_tariff(chief, "remote_hour", "1560", DAY)  # the administrator, as before
        assert ("tariff", f"remote_hour:{DAY}", team["admin"]) in team_lines(server)
    finally:
        ann.dispose()
        chief.dispose()
