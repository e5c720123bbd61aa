"""Cost calculator widget: live breakdown, USD line, comparison, saving the estimate, printing, layout."""

from datetime import date
from decimal import Decimal as D

import pytest
from PySide6.QtCore import QDate, Qt

from app.domain.estimate import EstimateInput
from app.services.changes import Changes
from app.services.estimates import latest_estimate, save_estimate, set_vat_rate
from ui.models.quote import ComparisonModel, QuoteModel
from ui.views.calculator import CostCalculator


@pytest.fixture
def calc(qtbot, db):
    widget = CostCalculator(db)
    qtbot.addWidget(widget)
    widget.tariff_date.setDate(QDate(2024, 7, 1))
    return widget


def type_in(qtbot, calc, **values):
    for name, text in values.items():
        calc.inputs[name].clear()
        qtbot.keyClicks(calc.inputs[name], text)


def test_live_remote_breakdown_with_usd_line(qtbot, calc):
    assert calc.objectName() == "costCalculator"
    type_in(qtbot, calc, conference_hours="12", question_hours="3", control_hours="2,5")
    assert calc.quote_model.rowCount() == 3
    amounts = [calc.quote_model.index(r, QuoteModel.COL_AMOUNT).data() for r in range(3)]
    assert amounts == ["18 000,00 ₽", "4 500,00 ₽", "3 750,00 ₽"]
    assert calc.quote().total == D("26250.00")
    assert "26 250,00 ₽" in calc.total_label.text() and "17,5 ч" in calc.total_label.text()
    assert calc.vat_label.text() == "Без НДС"
    assert calc.usd_label.text() == "≈ 300,00 $ по курсу 87,50 ₽ за 1 USD на 01.07.2024"


def test_onsite_example(qtbot, calc):
    calc.set_approach("onsite")
    type_in(qtbot, calc, days="3", transfer="8400", lodging="7000")
    assert calc.quote().total == D("57400.00")
    assert "57 400,00 ₽" in calc.total_label.text()
    assert "656,00 $" in calc.usd_label.text()
    labels = [calc.quote_model.index(r, QuoteModel.COL_LABEL).data() for r in range(calc.quote_model.rowCount())]
    assert labels == ["Выездное внедрение, рабочие дни", "Трансфер", "Проживание"]


def test_comparison_shows_cheapest_in_bold_and_why(qtbot, calc):
    type_in(qtbot, calc, conference_hours="12", question_hours="3", control_hours="2,5", transfer="8400",
            lodging="7000")
    model = calc.comparison_model
    assert model.rowCount() == 3
    rows = {model.index(r, 0).data(Qt.ItemDataRole.UserRole + 2): r for r in range(3)}
    assert model.index(rows["onsite"], ComparisonModel.COL_TOTAL).data() == "57 400,00 ₽"
    assert model.index(rows["onsite"], ComparisonModel.COL_WORK).data() == "3 дн. (17,5 ч)"
    assert model.index(rows["remote"], 0).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(rows["onsite"], 0).data(Qt.ItemDataRole.FontRole) is None
    assert "дешевле на 31 150,00 ₽" in calc.reasons_label.text()
    assert "1 750,00 ₽ за час работы" in calc.reasons_label.text()


def test_hours_per_day_is_configurable_and_stored(qtbot, calc, db):
    from app.services.estimates import hours_per_day

    type_in(qtbot, calc, conference_hours="18")
    assert calc.comparison().option("onsite").days == D("3.00")
    calc.hours_per_day.clear()
    qtbot.keyClicks(calc.hours_per_day, "6")
    assert calc.comparison().option("onsite").days == D("3.00")
    calc.hours_per_day.setText("9")
    assert calc.comparison().option("onsite").days == D("2.00")
    with qtbot.waitSignal(calc.ops.changed) as signal:
        calc.hours_per_day.editingFinished.emit()
    assert signal.args[0].settings
    assert hours_per_day(db) == D("9.00")


def test_invalid_input_is_explained_and_cannot_be_saved(qtbot, calc, client_id):
    calc.set_client(client_id)
    type_in(qtbot, calc, conference_hours="99999")
    assert calc.quote() is None and calc.quote_model.rowCount() == 0
    assert "больше допустимых" in calc.field_error.text()  # under the fields: the message line is below the fold
    assert not calc.save_button.isEnabled()


def test_no_tariff_on_the_date_is_explained(qtbot, calc):
    calc.tariff_date.setDate(QDate(2020, 1, 1))
    assert calc.quote() is None and "01.01.2020" in calc.message_label.text()


def test_save_as_clients_estimate(qtbot, calc, db, client_id):
    calc.set_client(client_id)
    assert calc.approach() == "remote"  # the client's approach by default
    type_in(qtbot, calc, conference_hours="12", question_hours="3", control_hours="2,5")
    with qtbot.waitSignal(calc.ops.changed) as signal:
        qtbot.mouseClick(calc.save_button, Qt.MouseButton.LeftButton)
    changes = signal.args[0]
    assert changes.estimates and changes.clients and changes.client_ids == frozenset({client_id})
    saved = latest_estimate(db, client_id)
    assert saved.total == D("26250.00") and saved.on_date == date(2024, 7, 1)
    assert "Ромашка" in calc.message_label.text()
    assert not calc.dirty


def test_set_client_loads_the_saved_estimate(qtbot, db, client_id):
    save_estimate(db, client_id, "onsite", EstimateInput(days=D(3), transfer=D(8400), lodging=D(7000)),
                  date(2024, 7, 1))
    calc = CostCalculator(db)
    qtbot.addWidget(calc)
    calc.set_client(client_id)
    assert calc.approach() == "onsite" and calc.on_date() == date(2024, 7, 1)
    assert calc.inputs["days"].text() == "3" and calc.inputs["transfer"].text() == "8 400,00"
    assert calc.quote().total == D("57400.00") and not calc.dirty
    assert calc.client_label.text() == "ООО «Ромашка»"
    calc.set_client(None)
    assert not calc.save_button.isEnabled() and not calc.print_button.isEnabled()


def test_print_calls_the_documents_preview_after_saving(qtbot, calc, db, client_id, monkeypatch):
    calls = []

    def preview(parent, database, cid):
        calls.append((parent, database, cid, latest_estimate(database, cid)))
        return Changes(documents=True, client_ids=frozenset({cid}))

    calc.print_document = preview
    calc.set_client(client_id)
    type_in(qtbot, calc, conference_hours="2")
    assert calc.print_button.isEnabled()
    with qtbot.waitSignals([calc.ops.changed, calc.ops.changed]):
        qtbot.mouseClick(calc.print_button, Qt.MouseButton.LeftButton)
    assert len(calls) == 1 and calls[0][:3] == (calc, db, client_id)
    assert calls[0][3].total == D("3000.00")  # what is on screen was saved before printing


def test_print_disabled_without_the_documents_function(qtbot, calc, client_id, monkeypatch):
    calc.print_document = None
    calc.set_client(client_id)
    type_in(qtbot, calc, conference_hours="2")
    assert not calc.print_button.isEnabled()
    assert calc.print_estimate() is None


def test_vat_setting_applied_after_refresh(qtbot, calc, db):
    type_in(qtbot, calc, conference_hours="12", question_hours="3", control_hours="2,5")
    set_vat_rate(db, "20")
    calc.on_changes(Changes(settings=True))
    assert calc.vat_label.text() == "В том числе НДС 20 %: 4 375,00 ₽"
    assert calc.quote().total == D("26250.00")


def test_models_pass_the_model_tester(qtmodeltester, calc, qtbot):
    type_in(qtbot, calc, conference_hours="12", question_hours="3", transfer="100")
    qtmodeltester.check(calc.quote_model)
    qtmodeltester.check(calc.comparison_model)
    empty = QuoteModel()
    qtmodeltester.check(empty)


def test_fits_900_by_600(qtbot, calc, tmp_path):
    calc.resize(900, 600)
    calc.show()
    qtbot.waitExposed(calc)
    hint = calc.minimumSizeHint()
    assert hint.width() <= 900 and hint.height() <= 600
    for child in (calc.save_button, calc.print_button, calc.usd_label, calc.comparison_view):
        bottom = child.mapTo(calc, child.rect().bottomRight())
        assert bottom.x() <= 900 and bottom.y() <= 600
    assert calc.grab().save(str(tmp_path / "calculator.png"))


# ------------------------------------------------------------------ what is typed or pasted stays as it is
# A validator swallowed the third decimal key («1,005» stayed «1,00» and was priced as 1 h, without a word) and
# emptied the field when «12,345» or «1 500,50» copied from an invoice was pasted.

GROUP_SPACES = [" ", "\u00a0", "\u202f"]


def paste_into(qtbot, edit, text):
    from PySide6.QtWidgets import QApplication

    QApplication.clipboard().setText(text)
    edit.clear()
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def test_a_third_decimal_typed_is_kept_and_refused(qtbot, calc):
    type_in(qtbot, calc, conference_hours="1,005")
    edit = calc.inputs["conference_hours"]
    assert edit.text() == "1,005"  # the key was swallowed: «1,00»
    assert calc.quote() is None and calc.quote_model.rowCount() == 0 and calc.comparison() is None
    assert calc.total_label.text() == "Итого: —"  # not 1 500,00 ₽ for one hour
    assert calc.field_error.text() == "Часы конференций: не больше двух знаков после запятой."
    assert edit.toolTip() == calc.field_error.text() and "border" in edit.styleSheet()
    assert calc.message_label.text() == ""  # not said twice
    edit.setText("1,01")
    assert calc.quote().total == D("1515.00") and calc.field_error.text() == "" and calc.field_error.isHidden()
    assert edit.styleSheet() == "" and edit.toolTip() == ""


@pytest.mark.parametrize("space", GROUP_SPACES, ids=["space", "nbsp", "narrow-nbsp"])
def test_a_sum_pasted_from_an_invoice_is_kept_and_priced(qtbot, calc, space):
    calc.set_approach("onsite")
    type_in(qtbot, calc, days="3", lodging="7000")
    paste_into(qtbot, calc.inputs["transfer"], f"1{space}500,50")
    assert calc.inputs["transfer"].text() == f"1{space}500,50"  # was empty
    assert calc.quote().total == D("50500.50")
    assert calc.field_error.text() == "" and calc.inputs["transfer"].styleSheet() == ""


@pytest.mark.parametrize("name,text,needle", [
    ("question_hours", "12,345", "Часы на вопросы: не больше двух знаков после запятой."),
    ("transfer", "8 400,505", "Трансфер, ₽: не больше двух знаков после запятой."),
    ("days", "два", "не число"),
])
def test_a_refused_paste_is_kept_and_said(qtbot, calc, name, text, needle):
    calc.set_approach("onsite" if name in ("days", "transfer") else "remote")
    paste_into(qtbot, calc.inputs[name], text)
    assert calc.inputs[name].text() == text
    assert calc.quote() is None and calc.total_label.text() == "Итого: —"
    assert needle in calc.field_error.text() and "border" in calc.inputs[name].styleSheet()


def test_every_field_takes_what_is_typed(qtbot, calc):
    for edit in (*calc.inputs.values(), calc.hours_per_day):
        assert edit.validator() is None, edit.objectName()
        edit.clear()
        qtbot.keyClicks(edit, "12,345")
        assert edit.text() == "12,345", edit.objectName()
        edit.clear()


def test_hours_per_day_with_a_third_decimal_is_refused_not_compared(qtbot, calc, db):
    from app.services.estimates import hours_per_day

    type_in(qtbot, calc, conference_hours="18")
    calc.hours_per_day.clear()
    qtbot.keyClicks(calc.hours_per_day, "8,125")
    assert calc.hours_per_day.text() == "8,125"
    assert calc.comparison() is None and calc.comparison_model.rowCount() == 0
    assert calc.quote().total == D("27000.00")  # the total does not depend on it
    assert calc.field_error.text() == "Часов в дне выезда: не больше двух знаков после запятой."
    assert "border" in calc.hours_per_day.styleSheet()
    calc.hours_per_day.editingFinished.emit()
    assert hours_per_day(db) == D("8")  # not stored as 8,13


def test_two_wrong_fields_are_both_said(qtbot, calc):
    type_in(qtbot, calc, conference_hours="1,005", control_hours="-1")
    text = calc.field_error.text()
    assert "Часы конференций" in text and "отрицательн" in text
    assert all("border" in calc.inputs[n].styleSheet() for n in ("conference_hours", "control_hours"))
    assert calc.inputs["question_hours"].styleSheet() == ""


def test_a_saved_estimate_reloads_as_saved_in_english(qtbot, db, client_id):
    # format_number wrote «8,400» into the field in English, and parse_decimal read it back as 8,4; now English reads
    # its groups (941ca8a) and the field says «8,400.50» as the English window writes money (tester H)
    from app import i18n

    save_estimate(db, client_id, "onsite", EstimateInput(days=D(3), transfer=D("8400.50"), lodging=D(17000)),
                  date(2024, 7, 1))
    i18n.set_language("en")
    try:
        calc = CostCalculator(db)
        qtbot.addWidget(calc)
        calc.set_client(client_id)
        assert calc.inputs["transfer"].text() == "8,400.50" and calc.inputs["lodging"].text() == "17,000.00"
        assert calc.quote().total == D("67400.50") and not calc.dirty
    finally:
        i18n.set_language("ru")
