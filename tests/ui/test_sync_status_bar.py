"""Issue 17 (brief st17 point 1) in the window: with conflicts open the status bar still shows the last refusal in
short and the changes waiting on the laptop, the conflicts' count is the link to their list, the refusal's full
sentence is the tooltip — and the whole line fits the status bar at 1366×768."""

from __future__ import annotations

import re

from app.sync.laptop_settings import _put
from app.sync.service import LAST_ERROR_KEY, LAST_KIND_KEY, LAST_OK_KEY, URL_KEY, pending_count, sync_state
from app.team.users import LOGIN_KEY
from tests.ui.test_team_window import AWAY, add_clients, city_conflict, laptop, make_window, plain  # noqa: F401
from ui.controllers.sync import status_markup, status_tooltip

SENTENCE = ("Сервер команды не принял пароль — запустите «sync setup» снова с верным паролем; ваши изменения "
            "сохранены на ноутбуке.")


def test_refusal_pending_and_conflicts_all_on_the_line(qtbot, laptop, tmp_path):  # noqa: F811
    ids = add_clients(laptop, 2)
    _put(laptop, {URL_KEY: AWAY, LOGIN_KEY: "ann", LAST_OK_KEY: "2026-11-30T11:32:00",
                  LAST_ERROR_KEY: SENTENCE, LAST_KIND_KEY: "password"})
    city_conflict(laptop, ids[0])
    city_conflict(laptop, ids[1], local="Клин")
    n = pending_count(laptop)
    window = make_window(qtbot, laptop, tmp_path)
    window.sync.timer.stop()
    label = window.sync.label
    line = f"Сервер не принял пароль: запустите «sync setup» — изменения сохранены на ноутбуке ({n}); конфликтов: 2"
    assert plain(label) == line == sync_state(laptop).text
    assert '<a href="#conflicts">конфликтов: 2</a>' in label.text()
    assert label.toolTip().split("\n") == [
        SENTENCE, f"Изменений на ноутбуке ждут следующей синхронизации: {n}",
        "Нажмите на число конфликтов — откроется их список с обоими значениями на выбор."]
    # the whole line is visible at 1366×768: the label is as wide as its text needs, inside the window
    assert label.isVisible() and label.width() >= label.sizeHint().width()
    assert label.mapTo(window, label.rect().topRight()).x() <= window.width()
    window.grab().save(str(tmp_path / "status.png"))


def test_markup_is_the_plain_line_with_the_count_as_link(laptop):  # noqa: F811
    ids = add_clients(laptop, 1)
    _put(laptop, {URL_KEY: AWAY, LOGIN_KEY: "ann", LAST_ERROR_KEY: "Нет связи.", LAST_KIND_KEY: "schema_newer"})
    city_conflict(laptop, ids[0])
    state = sync_state(laptop)
    assert re.sub(r"<[^>]+>", "", status_markup(state)) == state.text
    assert state.text.startswith("Сервер новее программы: обновите программу — ") and "Нет связи" not in state.text
    assert status_tooltip(state).startswith("Нет связи.\n")


def test_syncing_now_while_another_process_syncs_says_so_and_keeps_the_line(qtbot, laptop, tmp_path):  # noqa: F811
    from app.sync.lock import sync_lock
    from tests.ui.test_team_window import finish_sync

    add_clients(laptop, 1)
    _put(laptop, {URL_KEY: AWAY, LOGIN_KEY: "ann", LAST_OK_KEY: "2026-11-30T11:32:00"})
    window = make_window(qtbot, laptop, tmp_path)
    window.sync.timer.stop()
    before = plain(window.sync.label)
    said: list[str] = []
    window.sync.message = said.append
    with sync_lock(laptop):  # `sync` from the command line is running
        assert window.sync.sync_now(manual=True)
        finish_sync(qtbot, window)
    assert said[-1] == ("Синхронизация этого ноутбука уже идёт (в окне программы или другой командой): этот запуск "
                        "ничего не отправил — всё отправит идущая синхронизация.")
    assert plain(window.sync.label) == before and window.sync.state.kind == "synced"
