"""Billed work-log entries keep the minutes and money their act printed when the rounding rule changes."""

from __future__ import annotations

from decimal import Decimal


def test_log_list_keeps_the_acts_figures_after_a_rounding_change(act_setup, tmp_path, sqlite_path):
    cli = act_setup
    assert cli("billing", "settings", "--rounding", "0")[0] == 0
    assert cli("report", "act", "1", "--from", "2026-10-01", "--to", "2026-10-31", "-o", str(tmp_path / "a.pdf"))[0] == 0
    # over billed work the rounding is asked like a tariff (tester N)
    assert cli("billing", "settings", "--rounding", "15", "--force", "--reason", "Новые правила")[0] == 0
    status, out, err = cli("log", "list", "1")
    assert status == 0, err
    assert "к оплате 1:00" not in out and "1 500,00" not in out
    assert "1 375,00" in out

    from app.persistence.db import open_database
    from app.services import worklog_read

    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        log = worklog_read.list_entries(db, 1)
        assert [r.billed_minutes for r in log.rows] == [55]
        assert log.totals.billed_minutes == 55
        assert log.totals.money == Decimal("1375.00")
        assert worklog_read.get_entry(db, log.rows[0].id).billed_minutes == 55
    finally:
        db.dispose()


def test_unbilled_entries_follow_the_current_rule(act_setup):
    cli = act_setup
    assert cli("billing", "settings", "--rounding", "15")[0] == 0
    status, out, _err = cli("log", "list", "1")
    assert status == 0
    assert "к оплате 1:00" in out


def test_older_acts_give_their_step_through_the_printed_rule():
    import json

    from app.domain.billing import rounding_rule_text
    from app.services.entry_rounding import act_rounding_step
    assert act_rounding_step(json.dumps({"rounding_rule": rounding_rule_text(30)})) == 30
    assert act_rounding_step(json.dumps({"rounding_rule": rounding_rule_text(0)})) == 0
    assert act_rounding_step(json.dumps({"rounding_min": 15})) == 15
