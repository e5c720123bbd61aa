"""Figures typed for another approach than the chosen one (a transfer with the remote approach, hours with the
on-site one) feed the comparison but are not part of the saved estimate: Save dropped them without a word (tester H
#6). The calculator says so under the fields while they are typed and again when it saves."""

import pytest
from PySide6.QtCore import QDate

from app.services.estimates import latest_estimate
from ui.views.calculator import CostCalculator


@pytest.fixture
def calc(qtbot, db, client_id):
    widget = CostCalculator(db)
    qtbot.addWidget(widget)
    widget.set_client(client_id)
    widget.tariff_date.setDate(QDate(2024, 7, 1))
    return widget


def test_a_transfer_typed_with_the_remote_approach_is_said_not_to_be_saved(calc, db, client_id):
    calc.set_approach("remote")
    calc.inputs["conference_hours"].setText("12,5")
    calc.inputs["transfer"].setText("1 500,50")
    assert calc.unsaved_fields() == ["transfer"]
    assert not calc.not_kept.isHidden()
    assert calc.not_kept.text() == ("«Трансфер, ₽»: не входит в расчёт подхода «Удалённые конференции» и не "
                                    "сохранится (учтено только в сравнении).")
    calc.save()
    said = calc.message_label.text()
    assert said.startswith("Сохранено") and "«ООО „Ромашка“»" in said
    assert "Не сохранено — не входит в расчёт подхода «Удалённые конференции»: «Трансфер, ₽»." in said
    assert latest_estimate(db, client_id).input.transfer == 0  # what was said: it is not kept


def test_hours_typed_with_the_onsite_approach_are_named(calc):
    calc.set_approach("onsite")
    for name, text in (("conference_hours", "12,5"), ("question_hours", "3,33"), ("days", "2"), ("transfer", "100")):
        calc.inputs[name].setText(text)
    assert calc.unsaved_fields() == ["conference_hours", "question_hours"]
    assert "«Часы конференций», «Часы на вопросы»" in calc.not_kept.text()
    assert "«Выездное внедрение»" in calc.not_kept.text()
    calc.inputs["conference_hours"].clear()
    calc.inputs["question_hours"].clear()
    assert calc.not_kept.isHidden() and calc.not_kept.text() == ""


def test_nothing_said_when_every_figure_is_kept_or_a_field_is_refused(calc):
    calc.set_approach("remote")
    calc.inputs["conference_hours"].setText("12,5")
    assert calc.not_kept.isHidden()
    calc.inputs["transfer"].setText("abc")  # refused: said under the fields, nothing more
    assert calc.not_kept.isHidden()
    calc.save()
    assert "Не сохран" not in calc.message_label.text()


def test_switching_the_approach_moves_the_notice(calc):
    calc.set_approach("onsite")
    calc.inputs["days"].setText("2")
    calc.inputs["transfer"].setText("100")
    assert calc.not_kept.isHidden()
    calc.set_approach("remote")
    assert calc.not_kept.text().startswith("«Рабочие дни выезда», «Трансфер, ₽»: не входят в расчёт подхода "
                                           "«Удалённые конференции»")
    calc.set_approach("accompanied")
    assert calc.unsaved_fields() == ["days", "transfer"] and "«Сопровождение внедрения (бесплатно)»" in calc.not_kept.text()
