"""The client list at 1280×720 and 125 % (tester O, round 11): its panel is 320 px wide, and the narrow columns kept
~240 of them, so the names read «Волжс…»; the filters squeezed into one row read «Все этапі», «Застрявші»."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QStyle, QStyleOptionComboBox

from tests.ui.test_client_models import ROWS, TODAY
from ui.models.clients import ClientTableModel
from ui.views.client_list import ClientListPanel


def _panel(qtbot, width: int) -> ClientListPanel:
    model = ClientTableModel(today=lambda: TODAY)
    model.set_rows(ROWS)
    model.set_stalled_days(30)
    panel = ClientListPanel(model)
    qtbot.addWidget(panel)
    panel.setFixedWidth(width)  # as the work area's splitter holds it
    panel.resize(width, 400)
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.width() == width
    return panel


def _needs(widget) -> int:
    """The width a filter needs to show its words whole."""
    if isinstance(widget, QComboBox):
        option = QStyleOptionComboBox()
        widget.initStyleOption(option)
        text = widget.fontMetrics().boundingRect(widget.currentText()).size()
        return widget.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, text, widget).width()
    return widget.sizeHint().width()


def test_the_name_column_gets_what_the_narrow_columns_do_not_need(qtbot):
    panel = _panel(qtbot, 320)
    view, header = panel.view, panel.view.horizontalHeader()
    name = header.sectionSize(ClientTableModel.COL_NAME)
    for column in (ClientTableModel.COL_STAGE, ClientTableModel.COL_CHECKLIST, ClientTableModel.COL_DAYS):
        assert not view.isColumnHidden(column)
        widest = max(view.fontMetrics().horizontalAdvance(str(view.model().index(row, column).data()))
                     for row in range(view.model().rowCount()))
        assert header.sectionSize(column) >= widest  # each still shows its values
        assert header.sectionSize(column) <= max(header.sectionSizeHint(column), widest) + 40, column
    assert name >= 100, name


def test_the_filters_keep_their_words_on_a_narrow_list_and_one_row_on_a_wide_one(qtbot):
    for width in (320, 300, 376, 600):
        panel = _panel(qtbot, width)
        filters = [panel.findChild(QComboBox, "stageFilter"), panel.findChild(QComboBox, "approachFilter"),
                   panel.findChild(QCheckBox, "stalledFilter"), panel.findChild(QCheckBox, "mineFilter")]
        for widget in filters:
            assert widget.width() >= _needs(widget) - 1, (width, widget.objectName(), widget.width(), _needs(widget))
        if width >= 600:
            tops = [w.y() for w in filters]
            assert max(tops) - min(tops) < filters[0].height()  # room for one row: one row
