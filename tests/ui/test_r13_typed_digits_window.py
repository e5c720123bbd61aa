"""r13 item 1: a window field read by the shared number parser takes full-width digits as the work log's does."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.services import templates
from ui.dialogs.templates.rates_page import RatesPage


def test_the_rates_page_takes_a_full_width_rate_and_refuses_a_superscript_one(qtbot, db):
    page = RatesPage(db, today=date(2026, 12, 5))
    qtbot.addWidget(page)
    page.kind.setCurrentIndex(page.kind.findData("remote_hour"))
    before = page.model.rowCount()
    page.rate.setText("¹⁸⁰⁰")
    page.add_rate()
    assert not page.error.isHidden() and "«¹⁸⁰⁰»" in page.error.text(), page.error.text()
    assert page.model.rowCount() == before
    page.rate.setText("１ ８００，００")  # as an IME types it
    page.add_rate()
    assert page.error.isHidden(), page.error.text()
    assert page.model.rowCount() == before + 1
    assert Decimal("1800.00") in {r.rate for r in templates.rates(db)}
