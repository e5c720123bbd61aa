"""Numbers in messages are written as the interface writes them, in groups of three digits (tester J #8): «(1180 мин)»
in `log list`, «60000 мин — больше 24 часов», «не больше 10000000», English «1500 min is more than 24 hours», the
calculator's «1500 больше допустимых 1000»."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app import i18n
from app.domain.estimate import check_estimate_field
from app.errors import UserError
from app.services.worklog import EntryInput, validate_entry

INN = "7707083893"


def _client(cli) -> None:
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", INN, "--approach", "remote")[0] == 0


def test_log_list_groups_the_billed_minutes(cli):
    _client(cli)
    for day in ("2026-03-02", "2026-03-03"):
        assert cli("log", "add", INN, "--kind", "conference", "--date", day, "--minutes", "590")[0] == 0
    status, out, _err = cli("log", "list", INN)
    assert status == 0 and "(1 180 мин)" in out


def test_too_long_an_entry_is_said_in_groups_in_both_languages(cli):
    with pytest.raises(UserError, match=r"^60 000 мин — больше 24 часов"):
        validate_entry(EntryInput(date(2026, 3, 2), "conference", minutes=60000))
    _client(cli)
    status, _out, err = cli("--lang", "en", "log", "add", INN, "--kind", "conference", "--date", "2026-03-02",
                            "--minutes", "1,500")
    assert status == 2 and "1,500 min is more than 24 hours" in err
    status, _out, err = cli("plan", "add", INN, "--kind", "call", "--start", "2026-03-10 10:00", "--duration", "1500")
    assert status == 2 and "не 1 500 мин" in err


def test_a_rate_above_the_cap_names_the_cap_in_groups(cli):
    status, _out, err = cli("billing", "rate", "onsite_day", "20000000", "--from", "2026-01-01")
    assert status == 2 and "не больше 10 000 000." in err, err


def test_the_calculators_cap_is_said_in_groups():
    with pytest.raises(UserError, match="1 500 больше допустимых 1 000"):
        check_estimate_field("days", "1500")
    i18n.set_language("en")
    try:
        with pytest.raises(UserError, match=r"1,500\.5 is more than the allowed 1,000"):
            check_estimate_field("days", Decimal("1500.5"))
    finally:
        i18n.set_language("ru")


def test_the_history_names_an_entrys_minutes_in_groups():
    from app.team.entry_labels import _amount

    assert _amount(1440, None, None, "") == "1 440 мин"
