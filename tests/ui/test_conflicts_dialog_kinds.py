"""Issue 17 (brief st17 point 2) in the conflicts dialog: a double billing offers no value to keep (both buttons
off, the tooltip says to void the act); a field offers both; a whole record only the side the sync kept."""

from __future__ import annotations

import json

from app.persistence.models import SyncConflict
from tests.ui.test_team_window import add_clients, laptop, make_window, uuid_of  # noqa: F401
from ui.dialogs.sync.conflicts import ConflictsDialog


def _conflict(db, client_id: int, kind: str, field: str, local, server, kept: str) -> None:
    uuid = uuid_of(db, client_id)
    with db.unit() as s:
        s.add(SyncConflict(table_name="client", record_uuid=uuid, client_uuid=uuid, kind=kind, field=field,
                           local_value=json.dumps(local, ensure_ascii=False),
                           server_value=json.dumps(server, ensure_ascii=False), kept=kept, resolved=False))


def test_each_kind_offers_only_the_choices_that_work(qtbot, laptop, tmp_path):  # noqa: F811
    [client_id] = add_clients(laptop, 1)
    _conflict(laptop, client_id, "double_billing", "billed_by_document_uuid", "АУ-2/2026", "АУ-1/2026", "server")
    _conflict(laptop, client_id, "field", "city", "Химки", "Подольск", "server")
    _conflict(laptop, client_id, "delete_edit", "", "edited", "deleted", "local")
    window = make_window(qtbot, laptop, tmp_path)
    dialog = ConflictsDialog(laptop, window.ops, window)
    qtbot.addWidget(dialog)
    offered = []
    for row in range(3):
        dialog.select(row)
        offered.append((dialog.keep_local.isEnabled(), dialog.keep_server.isEnabled()))
        if row == 0:
            assert "аннулируйте акт" in dialog.keep_local.toolTip()
    assert offered == [(False, False), (True, True), (True, False)]
    dialog.select(0)
    assert dialog.resolve_selected("local") is None and dialog.model.rowCount() == 3  # refused: still open


def test_the_sentence_gets_the_room_and_every_row_shows_all_its_lines(qtbot, monkeypatch):
    """A handed-over client's conflict with its unsent acts runs to ten lines: the «Что» column is the wide one and
    each row is as tall as its wrapped text (before, three equal columns left it 225 px high in a strip)."""
    import ui.dialogs.sync.conflicts as module
    from app.sync.conflict_list import ConflictLine

    long_text = "Карточка: сервер команды больше не показывает вам этого заказчика (передан другому). " * 5
    lines = [ConflictLine(1, "ООО «Дельта»", long_text, "изменено", "скрыт", "local", False, "server", "not_yours"),
             ConflictLine(2, "ООО «Ромашка»", "Карточка · город", "Тула", "Орёл", "server", True)]
    monkeypatch.setattr(module, "conflict_lines", lambda db: lines)
    dialog = ConflictsDialog(None, None)
    qtbot.addWidget(dialog)
    dialog.resize(1100, 560)
    dialog.show()
    qtbot.waitExposed(dialog)
    view, model = dialog.view, dialog.model
    assert view.columnWidth(model.COL_WHAT) > 2 * view.columnWidth(model.COL_LOCAL)
    needed = view.sizeHintForRow(0)
    assert view.rowHeight(0) >= needed > view.rowHeight(1)  # the long row whole, the short one a line
    assert view.rowViewportPosition(1) + view.rowHeight(1) <= view.viewport().height()  # both on screen
