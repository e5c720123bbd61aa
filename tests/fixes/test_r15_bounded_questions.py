"""Tester T (2026-12-06): importing a CSV of 5 000 clients a second time asked «Обновить существующих?» with all 5 000
«Строка N: заказчик с ИНН … уже есть» lines in the question's text: a box 140 154 px high, its buttons off the
screen. A question (or a startup refusal) built from a text that may be long is bounded as the refusal box is: the
message, up to SHOWN_DETAILS lines (the last kept after «…»), every line under «Показать подробности…», and the box,
details opened, on a 1366×768 or 1280×720 screen."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from app.services.clients import ClientInput, add_client
from app.services.demo import company_inn
from app.services.import_refusals import ClientsAlreadyExist, clients_refused
from tests.ui.test_main_window import make_window
from ui.ops import SHOWN_DETAILS

ROOT = Path(__file__).resolve().parents[2]
EXPLAINED = "«Обновить существующих» берёт заполненные ячейки файла"


def _inns(count: int) -> list[str]:
    rng, inns = random.Random(15), []
    while len(inns) < count:
        inn = company_inn(rng, "77")
        if inn not in inns:
            inns.append(inn)
    return inns


def _shown_opened(box: QMessageBox) -> dict:
    """Show ``box`` with «Показать подробности…» opened: its texts, whether it is no larger than the screen
    (``fits``), and whether it and its buttons are on it (placed by its parent: the tests' window is larger than
    their 800×800 screen, a laptop's is not)."""
    box.show()
    for button in box.findChildren(QPushButton):
        if button.text().startswith(("Показать подробности", "Show Details")):  # Qt's words, as translated or not
            button.click()
    QApplication.processEvents()
    area = box.screen().availableGeometry()
    seen = {"text": box.text(), "informative": box.informativeText(), "detailed": box.detailedText(),
            "fits": box.frameGeometry().height() <= area.height() and box.frameGeometry().width() <= area.width(),
            "on_screen": area.contains(box.frameGeometry()), "height": box.height(),
            "buttons": {b.text(): area.contains(b.mapToGlobal(b.rect().bottomRight()))
                        for b in box.findChildren(QPushButton)}}
    box.hide()
    return seen


def _caught(monkeypatch) -> list[dict]:
    seen: list[dict] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: seen.append(_shown_opened(box)) or 0)
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a, **k: seen.append(
        {"text": text, "informative": "", "detailed": "", "fits": False, "buttons": {}}))  # a box not bounded
    return seen


def test_the_update_question_of_a_file_already_imported_is_bounded_and_on_the_screen(qtbot, db, tmp_path,
                                                                                      monkeypatch):
    """The tester's case through the window: the file imported, then imported again (40 rows here, 5 000 there)."""
    inns = _inns(40)
    for n, inn in enumerate(inns, 1):
        add_client(db, ClientInput(name=f"ООО «Заказчик {n}»", inn=inn, approach="remote"))
    path = tmp_path / "clients.csv"
    path.write_text("Наименование;ИНН;Подход\n" + "".join(f"ООО «Заказчик {n}»;{inn};remote\n"
                                                          for n, inn in enumerate(inns, 1)), encoding="utf-8")
    window = make_window(qtbot, db, tmp_path)
    seen = _caught(monkeypatch)
    assert not window.import_clients_from(str(path))  # «Отмена»: nothing imported
    (box,) = seen
    assert box["text"] == "Ничего не импортировано: 40 заказчиков из файла уже есть."
    rows, explained = box["informative"].split("\n\n")
    rows = rows.split("\n")
    assert len(rows) == SHOWN_DETAILS and rows[-2] == "…"
    assert rows[0].startswith(f"Строка 2: заказчик с ИНН {inns[0]} уже есть") and f"ИНН {inns[-1]}" in rows[-1]
    assert explained.startswith(EXPLAINED)
    assert box["detailed"].count("\n") == 39 and f"ИНН {inns[20]}" in box["detailed"]  # every row still there
    assert box["fits"], box["height"]
    assert len(box["buttons"]) == 3 and "Обновить существующих" in box["buttons"]  # and «Отмена», «Подробности»


def test_a_refusal_of_5000_rows_with_long_names_keeps_the_question_on_the_screen(qtbot, db, tmp_path, monkeypatch):
    """Long names wrap each row over several lines: fewer rows are shown, never a box past the screen."""
    long = " очень длинное наименование" * 8
    lines = [f"Строка {n + 1}: заказчик с ИНН 7707083893 уже есть: «ООО „Заказчик {n}{long}“» (№ {n})."
             for n in range(1, 5001)]
    window = make_window(qtbot, db, tmp_path)
    seen = _caught(monkeypatch)
    assert not window.ask_update_existing(ClientsAlreadyExist(clients_refused(0, 5000), lines, list(range(5000))))
    (box,) = seen
    rows = box["informative"].split("\n\n")[0].split("\n")
    assert 3 <= len(rows) < SHOWN_DETAILS and rows[-2:] == ["…", lines[-1]]
    assert box["detailed"] == "\n".join(lines) and box["fits"], box


def test_a_refused_start_naming_many_values_is_bounded(qtbot, db, tmp_path, monkeypatch):
    """The start's refusal (a damaged file) and its «Восстановить из резервной копии…» question: the refusal's full
    text in a box, as unbounded as the import's question was."""
    lines = [f"Заказчик № {n}: этап «{n}» — такого этапа нет." for n in range(1, 41)]
    message = "\n".join(["Файл нельзя открыть.", *lines, "Файл ▸ Восстановить из резервной копии… вернёт копию."])
    window = make_window(qtbot, db, tmp_path)
    seen = _caught(monkeypatch)
    from ui.main_window import MainWindow

    MainWindow.show_startup_error(window, message)
    assert not MainWindow.ask_restore_at_start(window, message)
    for box in seen:
        assert box["text"] == "Файл нельзя открыть."
        shown = box["informative"].split("\n")
        assert len(shown) == SHOWN_DETAILS and shown[-2:] == ["…", "Файл ▸ Восстановить из резервной копии… вернёт копию."]
        assert box["detailed"] == "\n".join(message.split("\n")[1:]) and box["fits"]
    assert "Восстановить из резервной копии…" in seen[1]["buttons"]


def test_the_question_about_unsaved_cards_names_a_bounded_list(qtbot, monkeypatch):
    from ui.dialogs.clients.unsaved import ask_before_replacing

    names = [f"ООО «Заказчик {n}»" for n in range(1, 41)]
    seen = _caught(monkeypatch)
    assert ask_before_replacing(None, names, "Данные будут заменены.") is None
    (box,) = seen
    assert box["text"].count("«ООО „Заказчик") == SHOWN_DETAILS - 1 and ", …, «ООО „Заказчик 40“»." in box["text"]
    assert box["detailed"].split("\n") == [f"«ООО „Заказчик {n}“»" for n in range(1, 41)] and box["fits"]


SCRIPT = """
import json, sys
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QPushButton
app = QApplication([])
from ui.app import install_qt_translations
install_qt_translations(app, "ru")
from app.services.import_refusals import ClientsAlreadyExist, clients_refused
from ui.controllers.client_actions import ClientActions
from tests.fixes.test_r15_bounded_questions import _shown_opened
lines = [f"Строка {n + 1}: заказчик с ИНН 7707083893 уже есть: «ООО „Заказчик {n}“» (№ {n})." for n in range(1, 5001)]
seen = []
QMessageBox.exec = lambda box: seen.append(_shown_opened(box)) or 0
window = type("Window", (QMainWindow, ClientActions), {})()
window.resize(app.primaryScreen().availableGeometry().size())
window.show()
window.ask_update_existing(ClientsAlreadyExist(clients_refused(0, 5000), lines, list(range(5000))))
print(json.dumps(seen[0]))
"""


@pytest.mark.parametrize("width,height", [(1366, 768), (1280, 720)])
def test_the_question_of_5000_rows_fits_a_laptop_screen(tmp_path, width, height):
    """On the screens the tester and the users have (the tests' own offscreen screen is 800×800)."""
    screen = tmp_path / "screen.json"
    screen.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": width, "height": height,
                                               "logicalDpiX": 96, "logicalDpiY": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screen}", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    box = json.loads(done.stdout.strip().splitlines()[-1])
    assert box["fits"] and box["on_screen"] and all(box["buttons"].values()), box
    assert len(box["informative"].split("\n\n")[0].split("\n")) == SHOWN_DETAILS
