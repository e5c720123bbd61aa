"""One number format per interface language (tester H #11): the English window wrote «▲ over budget: 5 250 of
1 500 ₽» (Russian groups, kopecks dropped) beside «RUB1,500.50», and the calculator reloaded a saved «1,500.50» as
«1500.5». Numbers written by hand in Russian style elsewhere (the rates table, the team history) follow too."""

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from PySide6.QtCore import Qt

from app import i18n
from app.domain.budget_summary import BudgetSummary
from app.domain.client_summary import ClientSummary
from app.domain.estimate import EstimateInput
from app.services.clients import ClientInput, add_client
from app.services.estimates import save_estimate
from app.services.tariffs import DatedRate
from app.services.worklog import EntryInput, add_entry
from app.services.worklog_read import get_entry
from ui.dialogs.worklog.entry import EntryDialog
from ui.models.client_columns import whole_roubles
from ui.models.templates import RatesModel
from ui.views.calculator import CostCalculator
from ui.views.client_header import ClientHeader

CLIENT = ClientSummary(1, "u1", "ООО «Ромашка»", "7707083893", "remote", 1, datetime(2024, 7, 1), "", None, "", "",
                       "", "", "", 1, 4, 2, 10)
OVER = BudgetSummary(1, D("1500.50"), D("5250.00"), D(0), D(0), D(0), D(0), True)


@pytest.fixture(params=["ru", "en"])
def language(request):
    i18n.set_language(request.param)
    yield request.param
    i18n.set_language("ru")


@pytest.fixture
def client_id(db):
    return add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="onsite"))


def test_the_calculator_reloads_figures_as_the_language_writes_them(qtbot, db, client_id, language):
    save_estimate(db, client_id, "onsite", EstimateInput(days=D("2.5"), transfer=D("1500.50"), lodging=D(17000)),
                  date(2024, 7, 1))
    calc = CostCalculator(db)
    qtbot.addWidget(calc)
    calc.set_client(client_id)
    texts = {name: calc.inputs[name].text() for name in ("days", "transfer", "lodging")}
    if language == "en":
        assert texts == {"days": "2.5", "transfer": "1,500.50", "lodging": "17,000.00"}
    else:
        assert texts == {"days": "2,5", "transfer": "1 500,50", "lodging": "17 000,00"}
    assert calc.quote().total == D("53500.50") and not calc.dirty  # read back as saved


def test_the_entry_dialog_writes_an_amount_as_the_language_does(qtbot, db, client_id, language):
    entry_id, _changes = add_entry(db, client_id, EntryInput(date(2024, 7, 1), "transfer", amount=D("1500.5")))
    dialog = EntryDialog(get_entry(db, entry_id))
    qtbot.addWidget(dialog)
    assert dialog.value_edit.text() == ("1,500.50" if language == "en" else "1 500,50")


def test_the_header_says_over_budget_in_the_languages_money(qtbot, language):
    header = ClientHeader([])
    qtbot.addWidget(header)
    header.show_client(CLIENT, False, OVER, 0)
    text = header.title.text()
    if language == "en":
        assert "over budget: RUB 5,250.00 of RUB 1,500.50" in text and "5 250" not in text
    else:
        assert "перерасход: 5 250,00 ₽ из 1 500,50 ₽" in text


def test_whole_roubles_are_grouped_as_the_language_does(language):
    assert whole_roubles(D("267400.00")) == ("267,400" if language == "en" else "267 400")


def test_the_rates_table_writes_a_rate_as_the_language_does(language):
    model = RatesModel()
    model.set_rows([DatedRate("remote_hour", D("1500.00"), date(2024, 1, 1))])
    shown = model.index(0, RatesModel.COL_RATE).data(Qt.ItemDataRole.DisplayRole)
    assert shown == ("1,500.00" if language == "en" else "1 500,00")


def test_the_team_history_writes_quantities_as_the_language_does(language):
    from app.team.display import conflict_value

    assert conflict_value("estimate", "conference_hours", "12.50") == ("12.5" if language == "en" else "12,5")


def test_days_telling_entries_apart_are_written_as_the_language_does(language):
    from app.team.entry_labels import _amount

    assert _amount(None, D("0.50"), None, "") == ("0.5 d." if language == "en" else "0,5 дн.")


def test_the_attention_line_writes_money_as_the_window_does(db, client_id, language):
    from app.services import reminders

    save_estimate(db, client_id, "onsite", EstimateInput(days=D(1)), date(2024, 7, 1))
    add_entry(db, client_id, EntryInput(date(2024, 7, 2), "onsite_day", days=D(1)))
    add_entry(db, client_id, EntryInput(date(2024, 7, 2), "transfer", amount=D("1500.50")))
    found = reminders.attention(db, client_ids=[client_id], kinds=["estimate_exceeded"])
    assert [r.text for r in found] == ["billed RUB 15,500.50 of the estimated RUB 14,000.00" if language == "en" else
                                       "к оплате 15 500,50 ₽ при расчёте 14 000,00 ₽"]
