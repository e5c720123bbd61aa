"""Kanban cards are painted from a pixmap cache: equal cards look the same, a changed card is repainted."""

from __future__ import annotations

from tests.ui.test_card_column_view import shown_board
from tests.ui.test_client_models import ROWS, summary
from ui.models.clients import ClientTableModel
from ui.views.kanban import KanbanBoard


def _column_image(board: KanbanBoard, stage: int):
    view = board.view_of(stage)
    return view.viewport().grab().toImage()


def test_cached_cards_match_fresh_paint_and_follow_changes(qtbot):
    board = shown_board(qtbot)
    model = board.model
    first = _column_image(board, 1)
    assert board.delegate._cache  # the cards went through the cache
    again = _column_image(board, 1)  # from the cache
    assert again == first
    board.delegate._cache.clear()
    assert _column_image(board, 1) == first  # painting afresh gives the same picture

    model.update_rows([2], [summary(2, "АО «Другое имя»", stage=1, days=45, inn="6312345678",
                                    contact="Кузнецов Андрей", phone="+7 846 374-12-90")])
    renamed = _column_image(board, 1)
    assert renamed != first
    model.update_rows([2], [ROWS[1]])
    assert _column_image(board, 1) == first


def test_a_cards_budget_line_never_cuts_a_sum(qtbot):
    from decimal import Decimal

    from PySide6.QtGui import QFont, QFontMetrics

    from app.services.budget import BudgetSummary
    from ui.views.kanban_card import budget_text

    over = BudgetSummary(1, Decimal("300000.00"), Decimal("267400.00") + 40000, Decimal(10), Decimal(12),
                         Decimal(0), Decimal(0), True)
    metrics = QFontMetrics(QFont())
    wide = budget_text(over, metrics, 2000)
    assert wide.startswith("▲ Факт 307 400 из 300 000")
    for width in range(metrics.horizontalAdvance("▲ 307 400 ₽") + 1, metrics.horizontalAdvance(wide) + 20, 7):
        text = budget_text(over, metrics, width)
        assert "…" not in text and "307 400" in text and metrics.horizontalAdvance(text) <= width
    assert budget_text(over, metrics, metrics.horizontalAdvance(wide) - 1) == "▲ 307 400 из 300 000 ₽"


def test_a_column_header_stays_one_line_and_follows_the_palette(qtbot):
    """The header painted by ColumnHeader: «Новый · 12 из 214 / 1 ⚠» once wrapped to «12 из» in a narrow column."""
    from PySide6.QtGui import QColor, QPalette

    from app.domain.stages import Stage
    from ui.models.kanban_columns import KanbanColumnModel
    from ui.views.kanban import KanbanColumn
    from ui.views.kanban_card import CardDelegate

    source = ClientTableModel()
    column = KanbanColumn(Stage.NEW, KanbanColumnModel(0, source), CardDelegate())
    qtbot.addWidget(column)
    column.resize(120, 400)
    column.header.set_line("Новый", "· 12 из 214 / 1 ⚠", "#5f6368")
    line = column.header.fontMetrics().height()
    assert column.header.text_size().height() < 1.5 * line
    assert column.header.text_size().width() > 120  # wider than the column: clipped, not wrapped
    from PySide6.QtWidgets import QApplication

    from ui.palette import hex_color

    light_muted = hex_color("muted")
    column.update_header()
    app = QApplication.instance()
    light_palette = app.palette()
    assert hex_color("muted") in column.header.text()
    dark = QPalette(light_palette)
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#e8eaed"))
    dark.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    try:
        app.setPalette(dark)  # switched while the window is open: the count is re-coloured at once
        qtbot.waitUntil(lambda: hex_color("muted") in column.header.text(), timeout=2000)
        assert hex_color("muted") != light_muted
    finally:
        app.setPalette(light_palette)


def test_a_narrow_header_keeps_the_count_and_its_warning_in_sight(qtbot):
    """Trial 16: at a font of 14 pt (or a 1 000 px window) the header was clipped mid-number («Этап 1 · 108 из 14»)
    and the red ⚠ of a soft limit was gone. Now the count comes in a shorter form and the stage name is elided
    to its first letters; only in the narrowest column the name goes (the shortest count still whole)."""
    from PySide6.QtGui import QFont, QFontMetrics

    from app.domain.stages import Stage
    from ui.models.kanban_columns import KanbanColumnModel
    from ui.views.kanban import KanbanColumn
    from ui.views.kanban_card import CardDelegate

    column = KanbanColumn(Stage.NEW, KanbanColumnModel(0, ClientTableModel()), CardDelegate())
    qtbot.addWidget(column)
    header = column.header
    big = QFont(header.font())
    big.setPointSize(14)
    header.setFont(big)
    forms = ("· 108 из 1443 / 2000 ⚠", "· 108 из 1443 ⚠", "· 108 ⚠")
    header.set_line("Этап 1", forms[0], "#c62828", forms[1:])
    left, _top, right, _bottom = header.MARGINS
    bold = QFont(header.font())
    bold.setBold(True)
    plain, strong = header.fontMetrics(), QFontMetrics(bold)
    whole = int(header.text_size().width()) + left + right + 2
    header.resize(whole, header.sizeHint().height())
    assert header.shown_parts() is None  # the whole line fits: painted as laid out
    seen = []
    for width in range(whole - 4, 100, -7):  # a column is never narrower than its 150 px list
        header.resize(width, header.sizeHint().height())
        title, shown = header.shown_parts()
        assert shown.endswith("⚠"), (width, shown)
        assert not title or title.startswith("Эт"), (width, title)
        used = plain.horizontalAdvance(shown) + (strong.horizontalAdvance(title) + header.GAP if title else 0)
        assert used <= width - left - right, (width, title, shown)
        seen.append((bool(title), shown in forms))
    header.grab()  # the narrow paint path runs
    assert (True, True) in seen and seen[-1] == (False, True)  # name and a form, then the shortest form alone
    assert seen == sorted(seen, reverse=True)  # it only ever gets shorter as the column narrows


def test_a_cards_progress_line_never_overlaps(qtbot):
    """Trial 17: at 14 pt in a narrow column «1/4» was painted over «Уроки 6/26». The checklist's «done/total»
    goes when it does not fit beside the lessons, the bar when it would be a stub, the lessons are elided last."""
    from PySide6.QtGui import QFont, QFontMetrics

    from ui.views.kanban_card import progress_line

    font = QFont()
    font.setPointSize(14)
    metrics = QFontMetrics(font)
    lessons = "Уроки 6/26"
    seen = set()
    for width in range(300, 20, -3):
        text, bar, check = progress_line(metrics, width, lessons, "Ур. 6/26", 1, 4)
        lessons_width = metrics.horizontalAdvance(text) + 2
        assert lessons_width <= width, (width, text)
        if check:
            assert 4 + bar + metrics.horizontalAdvance(check) + 4 <= width - lessons_width, (width, bar, check)
        assert not bar or bar > 12
        seen.add((bool(bar), bool(check), "full" if text == lessons else "short" if text == "Ур. 6/26" else "elided"))
    assert seen >= {(True, True, "full"), (False, True, "full"), (False, False, "full"), (False, False, "short"),
                    (False, False, "elided")}
    assert (False, True, "short") in seen  # trial 18: the short lessons make room to keep «done/total»
    assert progress_line(metrics, 300, lessons, "Ур. 6/26", 0, 0)[1:] == (0, "")  # no checklist at this stage
