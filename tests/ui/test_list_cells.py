"""The list's cells (ClientCellDelegate) look as the model's roles say: the same pixels as Qt's own delegate."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QStyledItemDelegate

from tests.ui.test_client_models import ROWS, TODAY, summary
from ui.models.clients import ClientTableModel
from ui.models.names import list_name
from ui.views.client_list import ClientCellDelegate, ClientListPanel


class RolesDelegate(QStyledItemDelegate):
    """Qt's delegate reading every role from the model (multiData), the name as the list shows it."""

    def initStyleOption(self, option, index) -> None:
        super().initStyleOption(option, index)
        if index.column() == ClientTableModel.COL_NAME and option.text:
            option.text = list_name(option.text)


def test_cells_filled_from_the_row_look_as_those_filled_from_the_roles(qtbot):
    model = ClientTableModel(today=lambda: TODAY)
    rows = [*ROWS, summary(6, "ИП Долгов Семён Аркадьевич", stage=2, approach="accompanied", days=90)]
    model.set_rows(rows)
    model.set_stalled_days(30)  # some rows stalled: the days' column bold, in the stalled colour, right-aligned
    panel = ClientListPanel(model)
    qtbot.addWidget(panel)
    for column in range(model.columnCount()):
        panel.view.setColumnHidden(column, False)
    panel.resize(1300, 400)
    panel.show()
    qtbot.waitExposed(panel)
    view = panel.view
    assert isinstance(view.itemDelegate(), ClientCellDelegate)
    assert any(model.is_stalled(s) for s in rows) and not all(model.is_stalled(s) for s in rows)
    view.selectionModel().setCurrentIndex(view.model().index(1, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                                          | QItemSelectionModel.SelectionFlag.Rows)
    ours = view.viewport().grab().toImage()
    view.setItemDelegate(RolesDelegate(view))
    theirs = view.viewport().grab().toImage()
    assert ours == theirs


def test_look_gives_the_roles_of_a_row_and_nothing_off_the_rows(qtbot):
    model = ClientTableModel(today=lambda: TODAY)
    model.set_rows(list(ROWS))
    model.set_stalled_days(30)
    panel = ClientListPanel(model)
    qtbot.addWidget(panel)
    proxy = panel.proxy
    role = Qt.ItemDataRole
    for row in range(proxy.rowCount()):
        for column in range(proxy.columnCount()):
            index = proxy.index(row, column)
            text, align, color, font = proxy.look(row, column)
            assert text == index.data(role.DisplayRole)
            assert align == index.data(role.TextAlignmentRole)
            assert color == index.data(role.ForegroundRole)
            assert font == index.data(role.FontRole)
    assert any(proxy.look(row, ClientTableModel.COL_DAYS)[2] is not None for row in range(proxy.rowCount()))
    assert proxy.look(proxy.rowCount(), 0) is None
    assert proxy.look(-1, 0) is None
