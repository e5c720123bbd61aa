"""At 1280×720 and 125 % (1024×576) the work area and the week's docks below it (tester O, round 11): the agenda
showed one event, the work log's note field had shrunk to «П…» and the timer's button read «▶ Начать конференциі»."""

from __future__ import annotations

from tests.ui.small_screen import run_on_screen

SCRIPT = """
from app.persistence.db import open_database
from app.services.demo import fill_demo
url = "sqlite:///{path}"
fill_demo(open_database(url))
import ui
from PySide6.QtWidgets import QDockWidget
window = ui.create_main_window(url)
window.show(); window.wait_for_rows(); window.wait_for_background()
area = window.screen().availableGeometry()
window.resize(area.width(), area.height())
QTest.qWait(300)
out = {{}}
window.findChild(QDockWidget, "agendaDock").raise_()
QTest.qWait(300)
agenda = window.week.agenda
table = agenda.table
out["agenda_rows"] = table.viewport().height() // table.verticalHeader().defaultSectionSize()
out["agenda_buttons_shown"] = all(not b.visibleRegion().isEmpty() and b.width() >= b.sizeHint().width()
                                  for b in (agenda.add_button, agenda.edit_button, agenda.client_button))
work = window.work_area
work.set_current_client(work.clients.row_at(0).id)
window.show_tab(5)
QTest.qWait(300)
log = work.worklog
out["note"] = log.entry_note.width()
out["note_min"] = 15 * log.entry_note.fontMetrics().averageCharWidth()
out["timer"] = [log.timer_button.width(), log.timer_button.sizeHint().width()]
out["central"] = window.centralWidget().height()
print(json.dumps(out))
"""


def test_the_docks_and_the_work_area_share_a_1024_by_576_screen(tmp_path):
    out = run_on_screen(SCRIPT.format(path=tmp_path / "demo.sqlite3"), tmp_path)
    assert out["agenda_rows"] >= 4, out
    assert out["agenda_buttons_shown"], out
    assert out["note"] >= out["note_min"], out
    assert out["timer"][0] >= out["timer"][1], out
    assert out["central"] >= 260, out


def test_the_docks_first_height_follows_the_screen():
    from ui.controllers.window_parts import DOCK_HEIGHT, dock_height

    assert dock_height(728) == DOCK_HEIGHT  # 1366×768 as before
    assert dock_height(576) < DOCK_HEIGHT - 60
    assert dock_height(400) >= 150
