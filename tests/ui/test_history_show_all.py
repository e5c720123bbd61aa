"""The card's «История изменений» cut at ``audit.SHOWN`` lines said «Все: команда «audit N --all»» — a command
the window cannot run. Its note now offers «Показать все», which reads the whole history in the background and
shows every line; the command line keeps «audit N --all»."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.persistence.db import open_database
from app.services.changes import Changes
from app.services.clients import ClientInput, add_client, update_client
from app.team import audit
from ui.views.audit_history import ClientHistoryView

INN, OTHER_INN = "7707083893", "7736050003"
SHOWN = 3


def _renames(db, count: int, inn: str = INN) -> int:
    """A client with ``count`` changes of its name: ``count + 1`` lines of history with its creation."""
    client_id = add_client(db, ClientInput(name="ООО Первое", inn=inn, approach="remote"))
    for i in range(count):
        update_client(db, client_id, ClientInput(name=f"ООО {i}", inn=inn, approach="remote"))
    return client_id


@pytest.fixture
def history(qtbot, db, monkeypatch):
    monkeypatch.setattr(audit, "SHOWN", SHOWN)
    view = ClientHistoryView(db)
    qtbot.addWidget(view)
    view.resize(1100, 500)
    view.show()
    qtbot.waitExposed(view)
    return view


def _click_show_all(qtbot, view: ClientHistoryView) -> None:
    link = view.show_all
    assert link.isVisible() and link.text().endswith(">Показать все</a>")
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton, pos=link.rect().center())


def test_show_all_reads_every_change_and_says_so(qtbot, db, history):
    client_id = _renames(db, 7)  # 8 lines with the creation
    history.set_client(client_id)
    assert history.model.rowCount() == SHOWN
    hint = history.hint.text()
    assert hint == "Показано изменений: последние 3 из 8."
    assert "audit" not in hint and "--" not in hint and "команд" not in hint
    _click_show_all(qtbot, history)
    qtbot.waitUntil(lambda: history.model.rowCount() == 8)
    assert history.hint.text() == "Показаны все изменения: 8."
    assert not history.show_all.isVisible()
    assert history.model.index(7, 3).data() == "Заказчик создан"  # the oldest line is there too

    # a change of the same client reads the whole history again (still all of it), never the cut list
    update_client(db, client_id, ClientInput(name="ООО Новое", inn=INN, approach="remote"))
    history.on_changes(Changes(clients=True, client_ids=frozenset({client_id})))
    qtbot.waitUntil(lambda: history.model.rowCount() == 9)
    assert history.hint.text() == "Показаны все изменения: 9." and not history.show_all.isVisible()

    # another client opens cut, as every client does
    other = _renames(db, 5, OTHER_INN)
    history.set_client(other)
    assert history.model.rowCount() == SHOWN and history.show_all.isVisible()
    assert history.hint.text() == "Показано изменений: последние 3 из 6."


def test_a_whole_read_of_a_client_left_meanwhile_is_dropped(qtbot, db, history):
    first, second = _renames(db, 7), _renames(db, 4, OTHER_INN)
    history.set_client(first)
    history.read_all()
    history.set_client(second)  # before the worker delivers the first client's lines
    assert history.model.rowCount() == SHOWN
    qtbot.wait(200)
    from ui.tasks import task_manager

    task_manager().wait()
    assert history.model.rowCount() == SHOWN and history.hint.text() == "Показано изменений: последние 3 из 5."


def test_the_command_line_keeps_its_option(cli, sqlite_path, monkeypatch):
    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        _renames(db, 7)
    finally:
        db.dispose()
    monkeypatch.setattr(audit, "SHOWN", SHOWN)
    status, out, _err = cli("audit", INN)
    assert status == 0 and out.splitlines()[0] == f"Показано изменений: последние 3 из 8. Все: audit {INN} --all."
