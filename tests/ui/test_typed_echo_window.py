"""The window reads the spaces Word and 1С paste between groups of three digits as the command line does, and quotes a
refused value as typed (tester J #8): the work log's quick entry and the rates page (which took «1 0» for 10 by
stripping every space before the parser saw it)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.services import templates, worklog_read
from ui.dialogs.templates.rates_page import RatesPage
from ui.views.worklog import WorkLogView

THIN = "\u2009"


def test_quick_entry_takes_a_thin_space_and_quotes_a_refusal_as_typed(qtbot, db, client_id):
    view = WorkLogView(db)
    qtbot.addWidget(view)
    view.today = lambda: date(2024, 7, 20)
    view.set_client(client_id)
    view.entry_value.setText(f"1{THIN}000")
    assert view.add_from_inputs() is not None
    assert [r.minutes for r in worklog_read.list_entries(db, client_id).rows] == [1000]
    view.entry_value.setText("1 000,5")
    assert view.add_from_inputs() is None
    assert view.message_label.text().startswith("«1 000,5» — не время"), view.message_label.text()
    view.entry_value.setText("1 0")
    assert view.add_from_inputs() is None
    assert "пробелы ставятся только между группами из трёх цифр" in view.message_label.text()
    assert len(worklog_read.list_entries(db, client_id).rows) == 1


def test_the_rates_page_refuses_a_space_out_of_place_and_takes_a_thin_one(qtbot, db):
    page = RatesPage(db, today=date(2026, 12, 5))
    qtbot.addWidget(page)
    page.kind.setCurrentIndex(page.kind.findData("remote_hour"))
    before = page.model.rowCount()
    page.rate.setText("1 0")
    page.add_rate()
    assert not page.error.isHidden() and "«1 0»" in page.error.text(), page.error.text()
    assert page.model.rowCount() == before
    page.rate.setText(f"1{THIN}800,00")
    page.add_rate()
    assert page.error.isHidden() and page.model.rowCount() == before + 1
    assert Decimal("1800.00") in {r.rate for r in templates.rates(db)}
