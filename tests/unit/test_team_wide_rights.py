"""Team-wide data on a laptop joined to a team (issue 17): only the team's administrator changes tariffs, rates,
the executor's requisites, VAT and the team's billing settings; local settings stay everyone's; a computer that
is not in a team changes nothing. The laptop is simulated here (the login and the roster a sync copies); the
same against a real server: tests/team/test_team_wide_rights.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text

from app.errors import UserError
from app.persistence.db import open_database

NOT_ADMIN = ("specialist", "manager")


@pytest.fixture
def laptop(tmp_path):
    """laptop(role | None, active=True) -> a SQLite database; with a role, joined to a team as «ann» of that role
    (what «sync setup» leaves: the login, the roster)."""
    opened = []

    def make(role: str | None, *, active: bool = True):
        db = open_database(f"sqlite:///{tmp_path / f'{role}-{len(opened)}.sqlite3'}")
        opened.append(db)
        if role is not None:
            with db.engine.begin() as conn:
                conn.execute(text("INSERT INTO setting(key, value) VALUES ('team.login', 'ann')"))
                conn.execute(text("INSERT INTO team_user(login, full_name, position, role, manager_login, active, "
                                  "created_at) VALUES ('ann', 'Иванова Анна', 'консультант', :role, '', :active, "
                                  "'2026-01-01')"), {"role": role, "active": active})
        return db

    yield make
    for db in opened:
        db.dispose()


def snapshot(db) -> dict:
    """Everything a refused write must leave as it was: the team-wide tables, the audit trail, the outbox."""
    with db.engine.connect() as conn:
        return {name: conn.execute(text(f"SELECT * FROM {name} ORDER BY 1")).all()
                for name in ("tariff", "exchange_rate", "vat_rate", "executor", "setting", "audit_log",
                             "sync_outbox")}


def _writers():
    from app.services import entry_rounding, estimates, tariffs
    from app.services.billing_settings import save_billing_settings
    from app.services.documents import update_executor
    from app.services.documents.executor import set_vat_shortcut

    return {
        "tariff": (lambda db: tariffs.set_tariff(db, "remote_hour", "1560", date(2030, 1, 1)), "Тарифы"),
        "rate": (lambda db: tariffs.set_exchange_rate(db, "95.50", date(2030, 1, 1)), "Курсы валют"),
        "vat": (lambda db: tariffs.set_vat(db, "included", "20", date(2030, 1, 1)), "НДС"),
        "vat_shortcut": (lambda db: set_vat_shortcut(db, Decimal("20")), "НДС"),
        "vat_estimates": (lambda db: estimates.set_vat_rate(db, "20"), "НДС"),
        "executor": (lambda db: update_executor(db, company="ООО «Своя»"), "Реквизиты исполнителя"),
        "hours": (lambda db: estimates.set_hours_per_day(db, "7"), "Настройки команды"),
        "rounding": (lambda db: entry_rounding.set_billing_rounding(db, 15), "Настройки команды"),
        "billing_settings": (lambda db: save_billing_settings(db, rounding=30, hours_per_day="6"), "Настройки команды"),
        "billing_settings_vat": (lambda db: save_billing_settings(db, vat="10"), "НДС"),
    }


WRITERS = ("tariff", "rate", "vat", "vat_shortcut", "vat_estimates", "executor", "hours", "rounding",
           "billing_settings", "billing_settings_vat")


@pytest.mark.parametrize("role", NOT_ADMIN)
@pytest.mark.parametrize("writer", WRITERS)
def test_a_non_admin_on_a_team_laptop_is_refused_in_russian_and_nothing_is_written(laptop, role, writer):
    db = laptop(role)
    before = snapshot(db)
    write, subject = _writers()[writer]
    with pytest.raises(UserError) as caught:
        write(db)
    role_ru = {"specialist": "специалист", "manager": "менеджер"}[role]
    assert caught.value.message == (
        f"{subject} {'меняет' if subject != 'Настройки команды' else 'для расчётов (округление, часов в рабочем дне) меняет'}"
        f" только администратор команды, а вы вошли как Иванова Анна ({role_ru}): ничего не изменено.")
    assert snapshot(db) == before  # no row, no audit line, nothing queued


def test_a_revoked_admin_or_a_login_without_a_roster_row_is_refused_too(laptop):
    revoked = laptop("admin", active=False)
    with pytest.raises(UserError, match=r"вы вошли как Иванова Анна \(доступ отозван\)"):
        _writers()["tariff"][0](revoked)
    unknown = laptop(None)
    with unknown.engine.begin() as conn:
        conn.execute(text("INSERT INTO setting(key, value) VALUES ('team.login', 'ann')"))
    before = snapshot(unknown)
    with pytest.raises(UserError, match="Тарифы меняет только администратор команды, а вы вошли как ann"):
        _writers()["tariff"][0](unknown)
    assert snapshot(unknown) == before


def test_the_session_hook_refuses_a_writer_that_skipped_the_check(laptop):
    """Any writer of team-wide data (here a bare unit of work) is refused before its flush writes anything."""
    from app.persistence.models import Setting, Tariff

    db = laptop("specialist")
    before = snapshot(db)
    with pytest.raises(UserError, match="Тарифы меняет только администратор"), db.unit() as s:
        s.add(Tariff(kind="onsite_day", rate=Decimal("15000"), valid_from=date(2030, 1, 1)))
    with pytest.raises(UserError, match="Настройки команды"), db.unit() as s:
        s.add(Setting(key="hours_per_day", value="6"))
    assert snapshot(db) == before


@pytest.mark.parametrize("role", NOT_ADMIN)
def test_local_settings_stay_editable_for_every_member(laptop, role):
    from app.services.board import set_stalled_days, stalled_days
    from app.services.reminders import set_unreturned_days, unreturned_days

    db = laptop(role)
    set_stalled_days(db, 21)
    set_unreturned_days(db, 30)
    assert (stalled_days(db), unreturned_days(db)) == (21, 30)


@pytest.mark.parametrize("writer", WRITERS)
def test_outside_a_team_every_write_works_as_before_and_queues_nothing(laptop, writer):
    db = laptop(None)
    _writers()[writer][0](db)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM sync_outbox WHERE table_name IN "
                                 "('tariff', 'exchange_rate', 'vat_rate', 'executor', 'setting')")).scalar() == 0


def test_an_admin_on_a_team_laptop_writes_and_the_change_is_queued_by_its_name(laptop):
    from app.services import estimates, tariffs
    from app.services.board import set_stalled_days
    from app.sync.service import pending_count

    db = laptop("admin")
    tariffs.set_tariff(db, "remote_hour", "1560", date(2030, 1, 1))
    estimates.set_hours_per_day(db, "7")
    set_stalled_days(db, 21)  # this laptop's own: never queued
    with db.engine.connect() as conn:
        queued = conn.execute(text("SELECT table_name, record_uuid, deleted FROM sync_outbox "
                                   "WHERE table_name <> 'audit_log' ORDER BY 1")).all()
        lines = conn.execute(text("SELECT table_name, record_uuid, author FROM audit_log ORDER BY id")).all()
    assert queued == [("setting", "hours_per_day", 0), ("tariff", "remote_hour:2030-01-01", 0)]
    assert ("tariff", "remote_hour:2030-01-01", "ann") in lines
    assert pending_count(db) == 2  # the two records, not their audit lines


def test_the_pending_count_counts_changed_records_not_audit_lines(laptop):
    from app.services.clients import ClientInput, add_client
    from app.services.worklog import EntryInput, add_entry
    from app.sync.service import pending_count

    db = laptop(None)
    add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    add_entry(db, "7707083893", EntryInput(kind="conference", on_date=date(2026, 3, 2), minutes=45))
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE client SET city = 'Подольск'"))
        lines = conn.execute(text("SELECT count(*) FROM sync_outbox WHERE table_name = 'audit_log'")).scalar()
    assert lines >= 1  # the entry's audit line waits beside it
    assert pending_count(db) == 2  # the client and the work-log entry


def test_which_setting_keys_are_the_teams():
    from app.services.entry_rounding import ROUNDING_KEY
    from app.services.estimates import HOURS_PER_DAY_KEY
    from app.services.worklog_timer import TIMER_KEY
    from app.team.rights import team_setting

    assert team_setting(ROUNDING_KEY) and team_setting(HOURS_PER_DAY_KEY)
    for local in ("stalled_days", "unreturned_act_days", TIMER_KEY, "demo_database", "installation_id",
                  "team.login", "team.profile_name", "sync.url", "exchange.clock"):
        assert not team_setting(local), local


CLI_WRITES = (
    ("billing", "rate", "remote_hour", "1560", "--from", "2030-01-01"),
    ("billing", "rate", "USD", "95.50", "--from", "2030-01-01"),
    ("billing", "vat", "included", "20", "--from", "2030-01-01"),
    ("billing", "settings", "--vat", "20"),
    ("billing", "settings", "--rounding", "15"),
    ("billing", "settings", "--hours-per-day", "7"),
    ("executor", "set", "--company", "ООО «Своя»"),
)


@pytest.mark.parametrize("role", NOT_ADMIN)
def test_the_commands_refuse_a_non_admin_with_exit_2_and_one_russian_sentence(cli, sqlite_path, role):
    assert cli("clients", "list")[0] == 0  # creates the database
    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO setting(key, value) VALUES ('team.login', 'ann')"))
            conn.execute(text("INSERT INTO team_user(login, full_name, position, role, manager_login, active, "
                              "created_at) VALUES ('ann', 'Иванова Анна', '', :role, '', 1, '2026-01-01')"),
                         {"role": role})
        before = snapshot(db)
        for argv in CLI_WRITES:
            status, _out, err = cli(*argv)
            assert status == 2, argv
            assert err.count("\n") == 1 and "только администратор команды" in err and "Traceback" not in err, err
            assert snapshot(db) == before, argv
        assert cli("billing", "settings")[0] == 0  # reading stays open to everyone
    finally:
        db.dispose()
