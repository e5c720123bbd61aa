"""Estimate against actual on the client card (and its over-budget marks), fed by the window's budgets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from PySide6.QtCore import QSettings

from app.domain.estimate import EstimateInput
from app.services import worklog
from app.services.budget import BudgetSummary
from app.services.clients import ClientInput, add_client
from app.services.estimates import save_estimate
from app.services.worklog import EntryInput
from tests.sqlcount import counting
from ui.main_window import TAB_CARD, MainWindow
from ui.views.budget_view import BudgetBox

JULY = date(2024, 7, 1)


def summary(**kw) -> BudgetSummary:
    values = dict(client_id=1, planned_total=D("4500.00"), actual_total=D("3000.00"), planned_hours=D("3.00"),
                  actual_hours=D("2.00"), planned_days=D("0.00"), actual_days=D("0.00"), has_estimate=True)
    values.update(kw)
    return BudgetSummary(**values)


def texts(box: BudgetBox) -> dict[str, str]:
    return {f"{side}_{key}": label.text() for (side, key), label in box.cells.items()}


def test_waiting_and_nothing_to_wait_for_are_told_apart(qtbot):
    box = BudgetBox()
    qtbot.addWidget(box)
    assert box.note.text() == "План и факт подсчитываются…"
    box.set_budget(None, pending=False)  # no client shown (or the card refused one)
    assert box.note.text() == "" and set(texts(box).values()) == {"—"}
    box.set_budget(summary())
    box.set_budget(None, pending=False)
    assert box.note.text() == "" and set(texts(box).values()) == {"—"}
    box.set_budget(None)
    assert box.note.text() == "План и факт подсчитываются…"


def test_within_budget(qtbot):
    box = BudgetBox()
    qtbot.addWidget(box)
    box.set_budget(summary())
    assert texts(box) == {"planned_hours": "3 ч", "actual_hours": "2 ч", "planned_days": "0", "actual_days": "0",
                          "planned_money": "4 500,00 ₽", "actual_money": "3 000,00 ₽"}
    assert box.note.text() == "В пределах расчёта: использовано 67%."
    assert "▲" not in "".join(texts(box).values())


def test_over_budget_is_warned_and_marked(qtbot):
    box = BudgetBox()
    qtbot.addWidget(box)
    box.set_budget(summary(actual_total=D("4755.00"), actual_hours=D("3.17")))
    cells = texts(box)
    assert cells["actual_money"] == "▲ 4 755,00 ₽" and cells["actual_hours"] == "▲ 3,17 ч"
    assert cells["actual_days"] == "0"  # days not over: no mark
    assert box.note.text() == "Перерасход: по журналу 4 755,00 ₽ при плане 4 500,00 ₽ (106%)."
    assert "c62828" in box.cells[("actual", "money")].styleSheet()


def test_days_over_while_money_within(qtbot):
    box = BudgetBox()
    qtbot.addWidget(box)
    box.set_budget(summary(planned_total=D("100000.00"), actual_total=D("21000.00"), planned_hours=D(0),
                           actual_hours=D(0), planned_days=D("2.00"), actual_days=D("3.00")))
    assert texts(box)["actual_days"] == "▲ 3" and texts(box)["planned_days"] == "2"
    assert "▲" not in texts(box)["actual_money"]
    assert box.note.text() == "Выездных дней больше запланированного, хотя сумма пока в пределах расчёта."


def test_hours_over_or_both_are_named(qtbot):
    box = BudgetBox()
    qtbot.addWidget(box)
    box.set_budget(summary(planned_total=D("100000.00"), actual_total=D("21000.00"), planned_hours=D("2.00"),
                           actual_hours=D("3.00")))
    assert box.note.text() == "Часов затрачено больше запланированного, хотя сумма пока в пределах расчёта."
    box.set_budget(summary(planned_total=D("100000.00"), actual_total=D("21000.00"), planned_hours=D("2.00"),
                           actual_hours=D("3.00"), planned_days=D("1.00"), actual_days=D("2.00")))
    assert box.note.text() == ("Часов и выездных дней больше запланированного, хотя сумма пока в пределах "
                               "расчёта.")


def test_no_estimate_and_unknown(qtbot):
    box = BudgetBox()
    qtbot.addWidget(box)
    box.set_budget(summary(has_estimate=False, planned_total=D(0), planned_hours=D(0)))
    assert box.note.text().startswith("Расчёт стоимости не сохранён")
    assert texts(box)["planned_money"] == "—" and texts(box)["actual_money"] == "3 000,00 ₽"
    box.set_budget(None)
    assert set(texts(box).values()) == {"—"} and "подсчитываются" in box.note.text()


@pytest.fixture
def window(qtbot, db, tmp_path):
    window = MainWindow(db, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    window.errors = []
    window.show_error = window.errors.append
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def test_card_shows_the_budget_the_window_holds_without_querying(qtbot, db, window):
    remote = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    bare = add_client(db, ClientInput(name="ООО «Лютик»", inn="7736207543", approach="remote"))
    save_estimate(db, remote, "remote", EstimateInput(conference_hours=D(2), question_hours=D(1)), JULY)
    worklog.add_entry(db, remote, EntryInput(JULY, "conference", minutes=120))
    worklog.add_entry(db, bare, EntryInput(JULY, "conference", minutes=60))
    window.reload_all()
    window.wait_for_background()
    box = window.work_area.card.budget_box

    with counting(db) as statements:
        window.work_area._update_header()  # what the window does when budgets arrive
    assert statements == []

    window.open_card(remote)
    assert window.work_area.tabs.currentIndex() == TAB_CARD
    assert box.budget == window.work_area.clients.budget(remote)
    assert texts(box)["planned_money"] == "4 500,00 ₽" and texts(box)["actual_money"] == "3 000,00 ₽"
    window.open_card(bare)
    assert box.note.text().startswith("Расчёт стоимости не сохранён")
    assert texts(box)["actual_money"] == "1 500,00 ₽"

    # logging more work in the window's work log refreshes the block through apply_changes
    window.open_card(remote)
    _id, changes = worklog.add_entry(db, remote, EntryInput(JULY, "questions", minutes=70))
    window.apply_changes(changes)
    assert texts(box)["actual_money"] == "▲ 4 750,00 ₽"
    assert box.note.text().startswith("Перерасход")
    qtbot.wait(50)
    window.work_area.card.grab().save("/tmp/h2-card-budget.png")


def red_pixels(image, x0: int) -> int:
    return sum(1 for y in range(image.height()) for x in range(x0, image.width())
               if (c := image.pixelColor(x, y)).red() > 150 and c.green() < 90 and c.blue() < 90)


def test_kanban_card_marks_hours_and_days_over(qtbot):
    from datetime import datetime

    from PySide6.QtCore import QModelIndex, QRect
    from PySide6.QtGui import QPainter, QPixmap
    from PySide6.QtWidgets import QListView, QStyleOptionViewItem

    from app.domain.client_summary import ClientSummary
    from ui.views.kanban_card import CardDelegate, budget_marks

    assert budget_marks(summary()) == ""
    assert budget_marks(summary(actual_hours=D("3.50"))) == "▲ч"
    assert budget_marks(summary(planned_days=D(2), actual_days=D(3))) == "▲дн"
    assert budget_marks(summary(actual_hours=D(4), planned_days=D(2), actual_days=D(3))) == "▲ч ▲дн"
    assert budget_marks(summary(has_estimate=False, actual_hours=D(9))) == ""

    view = QListView()
    qtbot.addWidget(view)
    delegate = CardDelegate(view)
    client = ClientSummary(1, "u1", "ООО «Ромашка»", "7707083893", "remote", 1, datetime(2024, 7, 1), "", None, "",
                           "", "", "", "", 1, 4, 2, 10)

    def paint(budget) -> object:
        option = QStyleOptionViewItem()
        option.initFrom(view)
        option.rect = QRect(0, 0, 240, delegate.sizeHint(option, QModelIndex()).height())
        pixmap = QPixmap(option.rect.size())
        pixmap.fill()
        painter = QPainter(pixmap)
        delegate.paint_card(painter, option, client, False, budget, 3)
        painter.end()
        return pixmap.toImage()

    within = paint(summary())  # money and time within the estimate: nothing red
    hours_over = paint(summary(actual_hours=D("3.50")))  # money within, hours over: only the mark is red
    assert red_pixels(within, 120) == 0
    assert red_pixels(hours_over, 120) > 10


def test_an_equal_summary_again_leaves_the_labels_alone_and_a_different_one_shows(qtbot):
    """A move hands the header's unchanged budget to the card: no label is set or restyled again."""
    box = BudgetBox()
    qtbot.addWidget(box)
    box.set_budget(summary())
    money = box.cells[("actual", "money")]
    shown = money.text()
    money.setText("sentinel")  # what set_budget would overwrite
    box.set_budget(summary())  # equal, another object
    assert money.text() == "sentinel"
    box.set_budget(summary(actual_total=D("5000.00")))
    assert money.text() != "sentinel" and money.text() != shown
    box.set_budget(None)
    assert money.text() == "—"
    box.set_budget(summary())
    assert money.text() == shown
