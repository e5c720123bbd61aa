"""«Реквизиты исполнителя» on a laptop (tester O, round 11): at 1280×720 and 125 % (1024×576) the form was 616 px
tall with no scroll area, so «Сохранить»/«Отмена» were under the screen's edge — on the first-run page's first step
too. Tab went «Доверенность №» → «Банк», and its errors named fields otherwise than their labels."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.services.documents.executor import set_executor
from tests.reports.helpers import EXECUTOR
from tests.ui.small_screen import run_on_screen
from ui.dialogs.documents.executor import ExecutorDialog

ON_SCREEN = """
from PySide6.QtWidgets import QApplication, QDialogButtonBox
def on_screen(dialog):
    area = dialog.screen().availableGeometry()
    buttons = dialog.findChild(QDialogButtonBox)
    corner = buttons.mapToGlobal(buttons.rect().bottomRight())
    return {"frame": area.contains(dialog.frameGeometry()), "buttons": area.contains(corner) and buttons.isVisible(),
            "height": dialog.frameGeometry().height(), "screen": area.height()}
"""


def test_the_executor_dialog_and_its_errors_fit_1024_by_576(tmp_path):
    script = ON_SCREEN + f"""
from app.persistence.db import open_database
from ui.dialogs.documents.executor import ExecutorDialog
db = open_database("sqlite:///{tmp_path / 'e.sqlite3'}")
dialog = ExecutorDialog(db)
dialog.show(); QTest.qWait(50)
out = {{"opened": on_screen(dialog)}}
for name in ("inn", "kpp", "ogrn", "bank_bik", "bank_account", "bank_corr"):
    dialog.edits[name].setText("12x")
dialog.poa_date_edit.setText("31.04.2026")
assert not dialog.save()
QTest.qWait(50)
out["errors"] = on_screen(dialog)
label = dialog.error_label
out["errors_shown"] = label.height() >= label.heightForWidth(label.width())
print(json.dumps(out))
"""
    out = run_on_screen(script, tmp_path)
    for state in ("opened", "errors"):
        assert out[state]["frame"] and out[state]["buttons"], (state, out)
    assert out["errors_shown"]


def test_the_first_run_pages_requisites_fit_1024_by_576(tmp_path):
    script = ON_SCREEN + """
import ui
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QPushButton
window = ui.create_main_window(None)
window.show(); window.wait_for_rows(); window.wait_for_background()
out = {}
def look():
    dialog = QApplication.activeModalWidget()
    out["dialog"] = type(dialog).__name__
    out["fit"] = on_screen(dialog)
    dialog.reject()
QTimer.singleShot(300, look)
window.work_area.empty_state.findChild(QPushButton, "firstRunRequisites").click()
print(json.dumps(out))
"""
    out = run_on_screen(script, tmp_path)
    assert out["dialog"] == "ExecutorDialog"
    assert out["fit"]["frame"] and out["fit"]["buttons"], out


def test_tab_follows_the_rows_of_the_executor_dialog(qtbot, db):
    dialog = ExecutorDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    shown = [w for w in (*dialog.edits.values(), dialog.poa_date_edit, dialog.bank_edit, dialog.vat_combo)]
    by_row = sorted(shown, key=lambda w: w.mapTo(dialog, w.rect().topLeft()).y())
    chain: list[QWidget] = []
    widget = by_row[0]
    while len(chain) < len(by_row):
        if widget in shown:
            chain.append(widget)
        widget = widget.nextInFocusChain()
    assert [w.objectName() for w in chain] == [w.objectName() for w in by_row]


def test_executor_errors_name_the_fields_by_their_labels(qtbot, db):
    set_executor(db, EXECUTOR)
    dialog = ExecutorDialog(db)
    qtbot.addWidget(dialog)
    dialog.edits["bank_bik"].setText("044525225")
    dialog.edits["bank_account"].setText("4070281093800000000")  # 19 digits
    dialog.edits["company"].setText("О" * 301)
    assert not dialog.save()
    text = dialog.error_label.text()
    assert "«Расчётный счёт»" in text and "«Организация»" in text, text
    assert "расчётный счёт»" not in text and "наименование организации" not in text
