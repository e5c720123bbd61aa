"""A USD rate older than the estimate's date by more than STALE_USD_DAYS (tester N, item 4): `estimate` warned, while
the calculator, the «Расчёт стоимости…» preview and `report estimate` quoted a 2½-year-old rate without a word. Now
the calculator warns beside the figure, and the printed estimate (a document for the client) leaves the USD line
off, the preview and `report estimate` saying why."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from app.domain.estimate import EstimateInput
from app.persistence.db import open_database
from app.reports import printing
from app.services import documents as docs
from app.services.estimates import save_estimate
from tests.reports.helpers import build_world, pdf_text

STALE_USD_DAYS = 31  # app.domain.pricing.STALE_USD_DAYS (the CLI's threshold)
HOURS = EstimateInput(conference_hours=Decimal(2))


def test_a_stale_rate_is_left_off_the_printed_estimate_and_said(db):
    world = build_world(db)  # the seeded USD rate holds from 01.07.2024
    on = date(2024, 7, 1) + timedelta(days=STALE_USD_DAYS + 1)
    save_estimate(db, world.client_id, "remote", HOURS, on=on)
    draft = docs.prepare_estimate(db, world.client_id, on=on)
    assert draft.content["usd"] is None
    assert draft.notices and f"на {STALE_USD_DAYS + 1} дн." in draft.notices[0]
    assert "без эквивалента в долларах" in draft.notices[0]
    text = pdf_text(printing.render_draft(draft))
    assert "USD" not in text and "3 000,00" in text


def test_a_fresh_rate_is_printed_as_before(db):
    world = build_world(db)
    on = date(2024, 7, 1) + timedelta(days=STALE_USD_DAYS)
    save_estimate(db, world.client_id, "remote", HOURS, on=on)
    draft = docs.prepare_estimate(db, world.client_id, on=on)
    assert draft.notices == ()
    assert "по курсу 87,50 руб. за 1 USD на 01.07.2024" in pdf_text(printing.render_draft(draft))


def test_report_estimate_says_the_usd_line_is_left_off(cli, sqlite_path, tmp_path):
    assert cli("clients", "list")[0] == 0
    database = open_database(f"sqlite:///{sqlite_path}")
    try:
        world = build_world(database)
        save_estimate(database, world.client_id, "remote", HOURS, on=date(2026, 12, 5))
    finally:
        database.dispose()
    status, _out, err = cli("report", "estimate", str(world.client_id), "-o", str(tmp_path / "e.pdf"))
    assert status == 0, err
    assert "Курс доллара старше даты расчёта на 887 дн." in err and "без эквивалента в долларах" in err
    assert "USD" not in pdf_text((tmp_path / "e.pdf").read_bytes())


def test_the_calculator_warns_of_a_stale_rate(qtbot, db):
    from ui.views.calculator import CostCalculator

    calc = CostCalculator(db)  # today: the seeded rate of 01.07.2024 is years old
    qtbot.addWidget(calc)
    calc.inputs["conference_hours"].setText("2")
    assert calc.quote() is not None and calc.quote().usd_stale_days is not None
    assert "Курс доллара старше даты расчёта" in calc.usd_label.text()
    assert "Настройки ▸ Ставки" in calc.usd_label.text()


def test_the_threshold_is_the_clis():
    from app.domain import pricing

    assert pricing.STALE_USD_DAYS == STALE_USD_DAYS
