"""Billed work keeps the figures of its act in every reader, and a change of tariff, VAT or rounding is refused
naming the acts it would really touch (tester N, items 1 and 2, with the tester's figures)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

C = "7707083893"


def _setup(cli) -> None:
    """Tester N's data: 1500 ₽/h from 01.01, 1800 from 15.10; no VAT, then 22 % on top from 20.10; October's and
    November's work."""
    for argv in (
        ("executor", "set", "--company", "ООО «Внедрение»", "--inn", "7707083893", "--kpp", "770701001",
         "--ogrn", "1027700132195", "--address", "Москва, ул. Ленина, 1", "--city", "Москва",
         "--specialist-name", "Иванов И. И.", "--specialist-position", "Специалист"),
        ("clients", "add", "--name", "ООО «Ромашка»", "--inn", C, "--approach", "remote", "--contract-no", "12/26",
         "--contract-date", "2026-09-01"),
        ("clients", "edit", C, "--kpp", "770701001"),
        ("billing", "rate", "remote_hour", "1500", "--from", "2026-01-01"),
        ("billing", "rate", "remote_hour", "1800", "--from", "2026-10-15"),
        ("billing", "rate", "onsite_day", "25000", "--from", "2026-01-01"),
        ("billing", "vat", "none", "--from", "2026-01-01", "--basis", "п. 2 ст. 346.11 НК РФ"),
        ("billing", "vat", "on_top", "22", "--from", "2026-10-20"),
    ):
        status, _out, err = cli(*argv)
        assert status == 0, err
    for kind, day, measure, value in (
            ("conference", "2026-10-02", "--minutes", "55"), ("conference", "2026-10-10", "--minutes", "90"),
            ("conference", "2026-10-16", "--minutes", "90"), ("conference", "2026-10-21", "--minutes", "7"),
            ("conference", "2026-10-31", "--minutes", "133"), ("transfer", "2026-10-22", "--amount", "1234.56"),
            ("onsite_day", "2026-10-23", "--days", "1"), ("conference", "2026-11-05", "--minutes", "45"),
            ("conference", "2026-11-30", "--minutes", "1")):
        status, _out, err = cli("log", "add", C, "--kind", kind, "--date", day, measure, value)
        assert status == 0, err


def _act(cli, tmp_path, start: str, end: str) -> None:
    status, _out, err = cli("report", "act", C, "--from", start, "--to", end, "-o", str(tmp_path / f"{start}.pdf"),
                            "--force")
    assert status == 0, err


def _acts(cli) -> dict[str, Decimal]:
    status, out, err = cli("documents", "list", "--json")
    assert status == 0, err
    return {d["code"]: Decimal(d["total"]) for d in json.loads(out) if d["kind"] == "act" and not d.get("voided_on")}


@pytest.fixture
def billed(cli, tmp_path):
    """АУ-1 (01.10–19.10) and АУ-2 (20.10–31.10) voided, АУ-3 bills November; then October again as АУ-4, АУ-5;
    a forced 2 400 ₽/h from 10.11; a later November minute set billed by АУ-6."""
    _setup(cli)
    _act(cli, tmp_path, "2026-10-01", "2026-10-19")
    _act(cli, tmp_path, "2026-10-20", "2026-10-31")
    for code in ("АУ-1/2026", "АУ-2/2026"):
        assert cli("documents", "void", code, "--reason", "тест")[0] == 0
    _act(cli, tmp_path, "2026-11-01", "2026-11-30")  # АУ-3: 45 + 1 мин at 30,00 + НДС 22 %
    return cli


def _finish(cli, tmp_path) -> dict[str, Decimal]:
    _act(cli, tmp_path, "2026-10-01", "2026-10-19")  # АУ-4: 6 325,00
    _act(cli, tmp_path, "2026-10-20", "2026-10-31")  # АУ-5: 37 130,16
    status, _out, err = cli("billing", "rate", "remote_hour", "2400", "--from", "2026-11-10", "--force", "--reason",
                            "Новый прайс")
    assert status == 0, err
    assert cli("log", "add", C, "--kind", "conference", "--date", "2026-11-20", "--minutes", "37")[0] == 0
    _act(cli, tmp_path, "2026-11-01", "2026-11-30")  # АУ-6: only the new 37 minutes, at 40,00 a minute
    acts = _acts(cli)
    assert acts == {"АУ-3/2026": Decimal("1683.60"), "АУ-4/2026": Decimal("6325.00"),
                    "АУ-5/2026": Decimal("37130.16"), "АУ-6/2026": Decimal("1805.60")}
    return acts


def _log_total(cli, *period: str) -> Decimal:
    status, out, err = cli("log", "list", C, *period, "--json")
    assert status == 0, err
    return Decimal(json.loads(out)["totals"]["total"])


def test_the_log_total_is_the_acts_in_force_after_a_forced_rate_change(billed, tmp_path):
    acts = _finish(billed, tmp_path)
    # the 30.11 minute was re-priced at 40 ₽: «К оплате: 1 695,80 ₽» beside «выставлено актом АУ-3/2026»
    assert _log_total(billed, "--from", "2026-11-01", "--to", "2026-11-30") == Decimal("3489.20") == (
        acts["АУ-3/2026"] + acts["АУ-6/2026"])  # it said 3 501,40
    assert _log_total(billed) == sum(acts.values()) == Decimal("46944.36")  # the window said 46 956,56
    # a period holding part of АУ-3: its 30.11 minute at АУ-3's 30,00, the 37 minutes at АУ-6's 40,00, + 22 %
    assert _log_total(billed, "--from", "2026-11-15", "--to", "2026-11-30") == Decimal("1842.20")


def test_the_progress_report_and_the_budget_take_the_acts_net(billed, tmp_path):
    from app.config import sqlite_url
    from app.persistence.db import open_database
    from app.services.budget import budget_summaries
    from app.services.documents import progress

    _finish(billed, tmp_path)
    net = Decimal("6325.00") + Decimal("30434.56") + Decimal("1380.00") + Decimal("1480.00")  # 39 619,56
    db = open_database(sqlite_url(tmp_path / "cli.sqlite3"))
    try:
        draft = progress.prepare(db, C)
        assert Decimal(draft.content["budget"]["actual_total"]) == net  # «Фактически 39 629,56» on ОВ-1
        (budget,) = budget_summaries(db, None).values()
        assert budget.actual_total == net  # the card's «Расчёт и факт» and «Требует внимания»
    finally:
        db.dispose()
    status, _out, err = billed("report", "progress", C, "-o", str(tmp_path / "pr.pdf"))
    assert status == 0, err
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "pr.pdf").pages)
    assert "39 619,56" in text and "39 629,56" not in text


def test_rounding_over_billed_work_is_asked_like_a_tariff_and_changes_no_billed_figure(billed, tmp_path):
    from app.config import sqlite_url
    from app.persistence.db import open_database
    from app.services.documents import progress

    acts = _finish(billed, tmp_path)
    status, _out, err = billed("billing", "settings", "--rounding", "15")
    assert status == 2  # it was taken at once
    assert "АУ-4/2026" in err and "АУ-6/2026" in err and "--force --reason" in err
    status, out, _err = billed("billing", "settings", "--json")
    assert json.loads(out)["rounding_min"] == 0  # nothing written
    status, _out, err = billed("billing", "settings", "--rounding", "15", "--force")
    assert status == 2  # a reason is needed as well
    status, _out, err = billed("billing", "settings", "--rounding", "15", "--force", "--reason", "Новые правила")
    assert status == 0, err
    settings = json.loads(billed("billing", "settings", "--json")[1])
    assert settings["rounding_min"] == 15
    assert {"what": "rounding", "valid_from": None, "value": "15", "reason": "Новые правила"} in (
        settings["forced_changes"])
    assert {"what": "remote_hour", "valid_from": "2026-11-10", "value": "2400.00", "reason": "Новый прайс"} in (
        settings["forced_changes"])  # the tariff's reason was shown nowhere
    assert _log_total(billed) == sum(acts.values())
    db = open_database(sqlite_url(tmp_path / "cli.sqlite3"))
    try:
        budget = progress.prepare(db, C).content["budget"]
    finally:
        db.dispose()
    assert budget["actual_minutes"] == 458  # the acts billed 458 minutes; ОВ-2 said 8,25 h (495 re-rounded)
    status, out, _err = billed("team", "history")
    assert "Новый прайс" in out and "Новые правила" in out


def test_a_rate_before_a_later_rate_touches_nothing_billed_after_it(billed):
    # only November is billed; 1 200 from 01.10 holds until 1 800 starts on 15.10: nothing billed is touched
    status, _out, err = billed("billing", "rate", "remote_hour", "1200", "--from", "2026-10-01")
    assert status == 0, err  # it was refused naming АУ-3/2026 (November)
    # from 01.11 it reaches November's act (no later rate): refused, naming it
    status, _out, err = billed("billing", "rate", "remote_hour", "1200", "--from", "2026-11-01")
    assert status == 2 and "АУ-3/2026" in err


def test_a_rate_is_refused_naming_only_the_acts_of_the_span_it_changes(billed, tmp_path):
    _finish(billed, tmp_path)
    status, _out, err = billed("billing", "rate", "remote_hour", "1200", "--from", "2026-09-01")
    assert status == 2
    assert "АУ-4/2026" in err and "01.10.2026–19.10.2026" in err  # it named a later act, not the one it alters
    assert "АУ-3/2026" not in err and "АУ-5/2026" not in err and "АУ-6/2026" not in err
    # an on-site day tariff touches the days only: АУ-5 bills the 23.10 day
    status, _out, err = billed("billing", "rate", "onsite_day", "20000", "--from", "2026-10-01")
    assert status == 2 and "АУ-5/2026" in err and "АУ-4/2026" not in err


def test_a_vat_change_is_refused_naming_only_the_acts_of_its_span(billed, tmp_path):
    # without VAT from 01.09 holds until 22 % on top starts on 20.10: only November is billed
    status, _out, err = billed("billing", "vat", "none", "--from", "2026-09-01", "--basis", "п. 2 ст. 346.11 НК РФ")
    assert status == 0, err
    _finish(billed, tmp_path)
    status, _out, err = billed("billing", "vat", "included", "20", "--from", "2026-09-01")
    assert status == 2 and "АУ-4/2026" in err and "АУ-6/2026" not in err and "АУ-5/2026" not in err
    status, _out, err = billed("billing", "vat", "on_top", "20", "--from", "2026-11-01")
    assert status == 2
    assert "АУ-3/2026" in err and "АУ-6/2026" in err and "АУ-4/2026" not in err  # both named, with their periods
