"""What a user meets on a 1366×768 laptop (issue 11, point 6): each fault pinned."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from app.services import worklog_read
from app.services.client_list import list_clients
from app.services.clients import ClientInput, add_client
from app.services.demo import fill_demo
from ui.actions import TAB_LESSONS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def window(qtbot, db, tmp_path):
    from tests.ui.test_main_window import make_window

    fill_demo(db)
    return make_window(qtbot, db, tmp_path)


def test_the_preview_fits_the_available_screen(qtbot, db):
    from tests.reports.helpers import build_world
    from ui.dialogs.documents import preview

    world = build_world(db)
    dialog = preview.signoff_dialog(None, db, world.client_id)
    qtbot.addWidget(dialog)
    area = QApplication.primaryScreen().availableGeometry()
    assert dialog.height() <= area.height() - 40 and dialog.width() <= area.width() - 40
    assert dialog.save_button.text() == "Сохранить как PDF…"


def test_print_to_file_writes_the_real_pdf_and_says_where(qtbot, db, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    from tests.reports.helpers import build_world, pdf_text
    from ui.dialogs.documents import preview

    world = build_world(db)
    dialog = preview.progress_dialog(None, db, world.client_id)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.is_ready() or dialog.error is not None, timeout=20000)
    target = tmp_path / "report"
    assert dialog.print_to_file(str(target)) == dialog.document.pageCount()
    written = tmp_path / "report.pdf"
    assert "отчёт" in pdf_text(written.read_bytes()).lower()  # text, not page images
    assert str(written) in dialog.info_label.text()
    assert QPrinter.OutputFormat.PdfFormat  # the print dialog's «Печать в файл» takes this path


def test_period_dialog_is_wide_enough_and_typed_digits_count(qtbot):
    from ui.dialogs.documents.period import PeriodDialog

    dialog = PeriodDialog(None, "Акт оказанных услуг", on=date(2026, 3, 5))
    qtbot.addWidget(dialog)
    title = dialog.fontMetrics().horizontalAdvance(dialog.windowTitle())
    assert dialog.minimumWidth() >= title + 100
    edit = dialog.from_edit
    edit.setFocus()
    edit.setSelectedSection(QDateEdit_day())
    qtbot.keyClicks(edit, "15")
    dialog.accept()
    assert dialog.period() == (date(2026, 2, 15), date(2026, 2, 28))


def QDateEdit_day():
    from PySide6.QtWidgets import QDateTimeEdit

    return QDateTimeEdit.Section.DaySection


def test_back_move_dialog_has_its_own_placeholder(qtbot):
    from app.services.progress import MovePreview
    from ui.dialogs.stages.move_guard import MoveGuardDialog

    forward = MoveGuardDialog(MovePreview(1, 1, 2, True, []), "ООО «Ромашка»")
    back = MoveGuardDialog(MovePreview(1, 2, 1, False, []), "ООО «Ромашка»")
    for dialog in (forward, back):
        qtbot.addWidget(dialog)
    assert back.reason.placeholderText() != forward.reason.placeholderText()
    assert "этап 2" not in back.reason.placeholderText()


def test_new_client_banner_goes_once_the_field_is_fixed(qtbot, db):
    from ui.dialogs.clients.new_client import NewClientDialog

    dialog = NewClientDialog(db)
    qtbot.addWidget(dialog)
    dialog.form.fields["name"].setText("ООО «Новая»")
    dialog.form.fields["inn"].setText("123")
    dialog.accept()
    assert not dialog.banner.isHidden()
    inn = dialog.form.fields["inn"]
    inn.selectAll()
    qtbot.keyClicks(inn, "7728168971")  # the user corrects the field
    assert dialog.banner.isHidden()


def test_open_video_says_so_when_no_browser_opens(window, db):
    client_id = next(s.id for s in list_clients(db) if s.stage == 1)
    window.set_current_client(client_id)
    window.show_tab(TAB_LESSONS)
    lessons = window.work_area.lessons
    lessons.open_url = lambda url: False
    lessons.open_current_video()
    assert not lessons.banner.isHidden() and "https://" in lessons.banner.text()
    assert "Браузер не открыл видео" in lessons.banner.text()


def test_quick_entry_reads_a_decimal_as_hours(qtbot, db):
    from ui.views.worklog import WorkLogView

    client_id = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    view = WorkLogView(db)
    qtbot.addWidget(view)
    view.set_client(client_id)
    qtbot.keyClicks(view.entry_value, "1,5")
    qtbot.keyClick(view.entry_value, Qt.Key.Key_Return)
    assert [r.minutes for r in worklog_read.list_entries(db, client_id).rows] == [90]
    assert "1,5" in view.entry_value.placeholderText()


def test_billing_rounding_lives_in_settings_not_on_one_client(window):
    from ui.dialogs.settings.settings_dialog import SettingsDialog

    assert window.work_area.worklog.findChild(QComboBox, "workLogRounding") is None
    dialog = SettingsDialog(window.db, window.settings, window, ops=window.ops)
    assert dialog.findChild(QComboBox, "billingRounding") is not None
    dialog.deleteLater()


def test_names_sort_without_the_legal_form_and_by_the_russian_alphabet(qtbot, db, window):
    from ui.models.names import list_name

    area = window.work_area
    for name, inn in (("ООО «Яблоко»", "7728168971"), ("АО «Ёлка»", "7707083893")):
        add_client(db, ClientInput(name=name, inn=inn, approach="remote"))
    window.reload_all()
    names = [area.clients.row_at(r).name for r in range(area.clients.rowCount())]
    assert names.index("АО «Ёлка»") < names.index("ООО «Яблоко»")
    short = [list_name(n) for n in names]
    assert short == sorted(short, key=lambda n: n.casefold().replace("ё", "е"))
    view = area.list_panel.view
    index = next(view.model().index(r, 0) for r in range(view.model().rowCount())
                 if view.model().index(r, 0).data() == "ООО «Яблоко»")
    from PySide6.QtWidgets import QStyleOptionViewItem

    option = QStyleOptionViewItem()
    view.itemDelegateForIndex(index).initStyleOption(option, index)  # what the cell paints
    assert option.text == "Яблоко, ООО"
    assert "ООО «Яблоко»" in index.data(Qt.ItemDataRole.ToolTipRole)


def test_two_windows_on_two_databases_have_different_titles(window, qtbot, tmp_path):
    from app.persistence.db import open_database
    from ui.main_window import MainWindow

    other_db = open_database(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    other = MainWindow(other_db, QSettings(str(tmp_path / "o.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(other)
    assert other.windowTitle() != window.windowTitle() and "other.sqlite3" in other.windowTitle()
    other.close()


def test_every_input_has_an_accessible_name(window, qtbot, db):
    from ui.dialogs.clients.new_client import NewClientDialog

    window.set_current_client(list_clients(db)[0].id)
    dialog = NewClientDialog(db, window)
    qtbot.addWidget(dialog)
    for root in (window, dialog):
        kinds = (QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit)
        nameless = [w.objectName() or type(w).__name__ for w in root.findChildren(QWidget)
                    if isinstance(w, kinds) and not w.accessibleName()
                    and not isinstance(w.parent(), (QComboBox, QAbstractSpinBox))]  # their inner editors
        assert nameless == []
        # and the name is words a screen reader can say, not the object name («workLogPeriod»: trial finding)
        from PySide6.QtWidgets import QAbstractItemView

        said = [w.objectName() for w in root.findChildren(QWidget)
                if isinstance(w, (*kinds, QAbstractItemView)) and w.accessibleName()
                and w.accessibleName() == w.objectName() and not w.objectName().startswith("qt_")]
        assert said == []


def test_no_hard_coded_colours_outside_the_palette():
    offenders = []
    for path in (ROOT / "ui").rglob("*.py"):
        if path.name == "palette.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"#[0-9a-fA-F]{6}\b", line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []


def test_a_dark_palette_gets_light_text_colours(qapp):
    from ui import palette

    before = QApplication.palette()
    dark = QPalette(before)
    dark.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#e8eaed"))
    QApplication.setPalette(dark)
    try:
        assert palette.is_dark()
        window_colour = dark.color(QPalette.ColorRole.Window)
        for role in ("error", "stalled", "over_budget", "muted", "link"):
            assert palette.color(role).lightness() > window_colour.lightness() + 80, role
        badge = palette.color("badge_bg")
        assert abs(badge.lightness() - dark.color(QPalette.ColorRole.WindowText).lightness()) > 100
    finally:
        QApplication.setPalette(before)
    assert not palette.is_dark()


def test_the_daily_backup_message_names_the_file_not_its_whole_path(window, tmp_path):
    """Trial finding: «Ежедневная резервная копия создана: /home/…/backups/…» was cut by the client count."""
    from types import SimpleNamespace

    path = tmp_path / "very" / "long" / "data" / "folder" / "backups" / "base_2026-11-30_182351_daily.sqlite3"
    window._backup_finished(SimpleNamespace(backup_problem="", backup_path=path))
    message = window.statusBar().currentMessage()
    assert message == "Ежедневная резервная копия создана: base_2026-11-30_182351_daily.sqlite3 (папка backups)"
    available = window.statusBar().width() - window.count_label.width()
    assert window.statusBar().fontMetrics().horizontalAdvance(message) < available


def _laid_out_widgets(layout) -> list[QWidget]:
    """The visible widgets a layout (and its nested layouts) places."""
    found: list[QWidget] = []
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item.widget() is not None:
            if item.widget().isVisible():
                found.append(item.widget())
        elif item.layout() is not None:
            found.extend(_laid_out_widgets(item.layout()))
    return found


def test_no_tab_draws_one_widget_over_another_at_768_px(window, qtbot):
    """A layout squeezed below its minimum draws its widgets over each other (the calculator's «Итого» sat on the
    breakdown's last row at 1366×768 with the attention dock open): every tab, every layout, no two overlap."""
    area = window.work_area
    assert window.height() == 768
    overlaps = []
    for index in range(area.tabs.count()):
        area.tabs.setCurrentIndex(index)
        qtbot.wait(20)
        page = area.tabs.widget(index)
        for holder in [page, *page.findChildren(QWidget)]:
            if holder.layout() is None or not holder.isVisible():
                continue
            placed = _laid_out_widgets(holder.layout())
            for i, first in enumerate(placed):
                for second in placed[i + 1:]:
                    if first.geometry().intersects(second.geometry()):
                        overlaps.append((area.tabs.tabText(index), first.objectName() or type(first).__name__,
                                         second.objectName() or type(second).__name__))
    assert overlaps == []


def test_a_refused_calculator_figure_is_said_where_it_is_seen(window, qtbot):
    """The calculator's message line is below the fold at 768 px with the dock open: a figure typed with a third
    decimal is said under the fields, where it was typed."""
    area = window.work_area
    calc = area.calculator
    area.tabs.setCurrentWidget(calc)
    qtbot.waitUntil(lambda: not calc.is_stale(), timeout=5_000)
    calc.inputs["conference_hours"].clear()
    qtbot.keyClicks(calc.inputs["conference_hours"], "1,005")
    qtbot.wait(20)
    assert calc.inputs["conference_hours"].text() == "1,005"
    assert calc.field_error.text() == "Часы конференций: не больше двух знаков после запятой."
    assert not calc.field_error.visibleRegion().isEmpty()
    assert calc.field_error.visibleRegion().boundingRect().height() >= calc.field_error.height()  # not cut off
