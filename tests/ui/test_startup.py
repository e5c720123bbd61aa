"""The lazy start: a real window frame is painted before SQLAlchemy and the heavy libraries load, then the
database opens in a worker thread and the rows arrive; failures, closing early and the daily backup."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QAbstractItemView, QApplication, QTableView, QTreeView, QWidget

from app.errors import UserError
from app.exchange import backup as bk
from app.persistence.db import open_database
from app.persistence.first_rows import read_first_rows
from app.persistence.migrate import head_revision
from app.services.client_list import list_clients
from app.services.demo import fill_demo
from ui.main_window import TAB_TITLES, MainWindow

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sqlalchemy", "alembic", "babel", "reportlab", "pypdf", "cryptography", "num2words")

CHILD = r"""
import json, os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QEvent, QObject, QTimer
from ui.app import ensure_application, start_main_window

heavy = HEAVY_MODULES
app = ensure_application()
window = start_main_window(db_path=sys.argv[1])
report = {}

class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and "at_rows" not in report:
            view = obj.parent() if isinstance(obj, QObject) else None
            if view is not None and view.objectName() == "clientList" and view.model().rowCount():
                report["at_rows"] = [m for m in heavy if m in sys.modules]
                report["rows_first"] = view.model().rowCount()
                report["loaded_at_rows"] = window.is_loaded()
        if event.type() == QEvent.Type.Paint and "at_paint" not in report:
            report["at_paint"] = [m for m in heavy if m in sys.modules]
            report["menus"] = [a.text() for a in window.menuBar().actions()]
            report["toolbar"] = len(window.toolbar.actions())
            report["loading"] = window.findChild(QObject, "loadingPage") is not None
            report["new_enabled"] = window.act_new.isEnabled()
            QTimer.singleShot(0, finish)
        return False

def finish():
    report["loaded"] = window.wait_for_rows(120_000)
    report["rows"] = window.work_area.clients.rowCount()
    report["central_after"] = window.centralWidget().objectName()
    report["new_enabled_after"] = window.act_new.isEnabled()
    report["status"] = window.statusBar().full_message()  # shown elided where the room is short (a demo's badge)
    window.wait_for_background(60_000)
    print(json.dumps(report, ensure_ascii=False))
    app.quit()

watch = Watch()
app.installEventFilter(watch)
window.show()
app.exec()
""".replace("HEAVY_MODULES", repr(HEAVY))


def demo_file(tmp_path) -> Path:
    path = tmp_path / "demo.sqlite3"
    db = open_database(f"sqlite:///{path}")
    fill_demo(db)
    db.dispose()
    return path


def test_the_frame_is_painted_before_the_database_libraries_load_then_the_rows_arrive(tmp_path):
    path = demo_file(tmp_path)
    env = {**os.environ, "VNEDRENIE_DATA_DIR": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    subprocess.run([sys.executable, "-c", "from app import i18n; i18n._('Quit')"], cwd=ROOT, env=env,
                   check=True, timeout=120)  # the first start ever compiles the translations once
    result = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True,
                            timeout=180, cwd=ROOT, env=env)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["at_paint"] == []  # none of the heavy libraries before the first paint
    # the clients are on screen (read with sqlite3) before SQLAlchemy is imported and the database opened
    assert report["at_rows"] == [] and report["rows_first"] == 12 and not report["loaded_at_rows"]
    assert report["menus"] == ["&Файл", "&Правка", "&Заказчик", "&Документы", "&Вид", "&Справка"]
    assert report["toolbar"] == 11  # its buttons and separators, as in the loaded window
    assert report["loading"] and not report["new_enabled"]
    assert report["loaded"] and report["rows"] == 12
    assert report["central_after"] != "loadingPage" and report["new_enabled_after"]
    assert str(path) in report["status"] or "demo.sqlite3" in report["status"]


def lazy_window(qtbot, tmp_path, opener, first_rows=None) -> MainWindow:
    settings = QSettings(str(tmp_path / "lazy.ini"), QSettings.Format.IniFormat)
    window = MainWindow(None, settings, opener=opener, first_rows=first_rows)
    window.startup_errors = []
    window.show_startup_error = window.startup_errors.append
    qtbot.addWidget(window)
    window.resize(1366, 768)
    return window


def test_lazy_window_ends_up_like_the_synchronous_one(qtbot, tmp_path, db):
    fill_demo(db)
    window = lazy_window(qtbot, tmp_path, lambda: db)
    window.show()
    assert window.statusBar().currentMessage() == "Открытие базы данных…"
    assert window.wait_for_rows(60_000)
    window.wait_for_background()
    for name, kind in [("clientList", QTableView), ("clientSearch", QWidget), ("stageKanban", QWidget),
                       ("lessonChecklist", QTreeView), ("stageChecklist", QTreeView), ("costCalculator", QWidget),
                       ("workLog", QWidget)]:
        assert window.findChild(kind, name) is not None, name
    assert window.findChild(QTableView, "clientList").model().rowCount() == len(list_clients(db)) == 12
    assert db.display_name() in window.statusBar().currentMessage()
    assert window.findChild(QWidget, "loadingProgress") is None
    assert [window.work_area.tabs.tabText(i) for i in range(window.work_area.tabs.count())] == [a.text().replace("&", "") for a in window.tab_actions]
    assert len(TAB_TITLES) == window.work_area.tabs.count()
    assert window.act_new.isEnabled() and window.act_demo.isEnabled()  # the demo has its own database
    assert not window.act_next.isEnabled()  # nobody selected yet
    window.set_current_client(next(c.id for c in list_clients(db) if c.stage >= 2))  # a stage completed
    assert window.act_signoff.isEnabled()
    assert window.toolbar.toolButtonStyle().name == "ToolButtonTextBesideIcon"
    assert len(window.findChildren(type(window.toolbar))) == 1


def _gated_demo_window(qtbot, tmp_path):
    """(window, db, gate): a lazy window on the demo file whose database opens only once ``gate`` is set (its
    first rows come at once, read by the standard library's sqlite3)."""
    import threading

    path = demo_file(tmp_path)
    db = open_database(f"sqlite:///{path}")
    gate = threading.Event()

    def opener():
        gate.wait(30)
        return db

    return lazy_window(qtbot, tmp_path, opener, lambda: read_first_rows(f"sqlite:///{path}", head_revision())), db, gate


def test_the_first_screen_shows_the_rows_before_the_database_opens_and_keeps_the_choice(qtbot, tmp_path):
    window, db, gate = _gated_demo_window(qtbot, tmp_path)
    window.show()
    table = window.findChild(QTableView, "clientList")
    qtbot.waitUntil(lambda: window.findChild(QTableView, "clientList") is not None
                    and window.findChild(QTableView, "clientList").model().rowCount() == 12, timeout=30_000)
    table = window.findChild(QTableView, "clientList")
    assert window.work_area is None and not window.is_loaded() and not window.act_new.isEnabled()
    assert sum(window.findChild(QAbstractItemView, f"kanbanList{i}").model().rowCount() for i in range(5)) == 12
    chosen = list_clients(db)[3]
    row = next(r for r in range(table.model().rowCount())
               if table.model().index(r, 0).data() == chosen.name)
    table.setCurrentIndex(table.model().index(row, 0))  # a click while the database still opens
    gate.set()
    assert window.wait_for_rows(60_000)
    window.wait_for_background()
    assert window.current_id == chosen.id and window.work_area.card.details.id == chosen.id
    assert window.act_new.isEnabled() and table.model().rowCount() == 12
    assert window.findChild(QTableView, "clientList") is table  # the same list, not a second one
    window.close()


@pytest.mark.parametrize("first", ["none", "fails"])
def test_without_first_rows_the_window_opens_as_before(qtbot, tmp_path, db, first):
    fill_demo(db)

    def reader():
        if first == "fails":
            raise OSError("unreadable")
        return None

    window = lazy_window(qtbot, tmp_path, lambda: db, reader)
    window.show()
    assert window.wait_for_rows(60_000)
    assert window.findChild(QTableView, "clientList").model().rowCount() == 12
    window.wait_for_background()


def test_closing_on_the_first_screen_disposes_of_the_database_later(qtbot, tmp_path):
    import threading

    path = demo_file(tmp_path)
    gate, started, disposed = threading.Event(), threading.Event(), []
    real = open_database(f"sqlite:///{path}")

    class Tracked:
        def __getattr__(self, name):
            return getattr(real, name)

        def dispose(self):
            disposed.append(True)
            real.dispose()

    def opener():
        started.set()
        gate.wait(30)
        return Tracked()

    window = lazy_window(qtbot, tmp_path, opener, lambda: read_first_rows(f"sqlite:///{path}", head_revision()))
    window.show()
    qtbot.waitUntil(lambda: window.findChild(QTableView, "clientList") is not None
                    and window.findChild(QTableView, "clientList").model().rowCount() == 12, timeout=30_000)
    qtbot.waitUntil(started.is_set, timeout=30_000)  # the database opens once the rows are painted
    window.close()
    gate.set()
    qtbot.waitUntil(lambda: bool(disposed), timeout=30_000)
    assert not window.is_loaded()


def test_a_database_that_cannot_be_opened_is_reported_and_the_window_closes(qtbot, tmp_path):
    def opener():
        raise UserError("Нет доступа к базе данных")

    window = lazy_window(qtbot, tmp_path, opener)
    failures = []
    window.load_failed.connect(lambda message, status: failures.append((message, status)))
    window.show()
    assert not window.wait_for_rows(60_000)
    assert failures == [("Нет доступа к базе данных", 2)]
    assert window.startup_errors == ["Нет доступа к базе данных"]
    assert not window.isVisible()


def test_closing_while_loading_disposes_of_the_database_later(qtbot, tmp_path, db):
    import threading

    gate = threading.Event()
    disposed = []

    class Tracked:
        def __getattr__(self, name):
            return getattr(db, name)

        def dispose(self):
            disposed.append(True)

    def opener():
        gate.wait(30)
        return Tracked()

    window = lazy_window(qtbot, tmp_path, opener)
    window.show()
    window.start_loading()
    window.close()
    gate.set()
    qtbot.waitUntil(lambda: bool(disposed), timeout=30_000)
    assert not window.is_loaded()


def test_the_daily_backup_runs_in_the_background_and_says_so(qtbot, tmp_path):
    import ui

    path = demo_file(tmp_path)
    window = ui.create_main_window(f"sqlite:///{path}")
    qtbot.addWidget(window)
    messages = []
    window.statusBar().messageChanged.connect(messages.append)
    window.wait_for_background(60_000)
    QApplication.processEvents()
    daily = [b for b in bk.list_backups(window.db) if b.reason == "daily"]
    assert len(daily) == 1
    assert any(daily[0].path.name in m for m in messages), messages  # the file named (its whole path cut the line)
    assert window.work_area.clients.rowCount() == 12  # complete once wait_for_background returned


def test_python_main_exits_2_with_the_message_when_the_database_cannot_be_opened(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    code = ("import os, sys; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
            "from ui.main_window import MainWindow\n"
            "MainWindow.show_startup_error = lambda self, message: print('shown:', message)\n"
            "import main\n"
            f"sys.exit(main.main(['--db', {str(blocker / 'x.sqlite3')!r}]))\n")
    env = {**os.environ, "VNEDRENIE_DATA_DIR": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT,
                            env=env)
    assert result.returncode == 2, result.stderr
    assert "shown: Не удаётся открыть базу данных" in result.stdout


def test_the_public_window_builder_starts_lazily_and_is_complete_once_waited_for(qtbot, tmp_path):
    import ui

    path = demo_file(tmp_path)
    window = ui.create_main_window(f"sqlite:///{path}")
    qtbot.addWidget(window)
    assert not window.is_loaded() and window.work_area is None  # the frame only: the rows come after its paint
    window.resize(1366, 768)
    window.show()
    window.wait_for_background(60_000)
    assert window.is_loaded() and window.db is not None
    for name, kind in [("clientList", QTableView), ("stageKanban", QWidget), ("lessonChecklist", QTreeView),
                       ("stageChecklist", QTreeView), ("costCalculator", QWidget), ("workLog", QWidget)]:
        assert window.findChild(kind, name) is not None, name
    assert window.findChild(QTableView, "clientList").model().rowCount() == 12
    assert "demo.sqlite3" in window.windowTitle()
    assert window.act_new.isEnabled() and window.findChild(QWidget, "loadingProgress") is None


def open_refused(qtbot, url: str) -> tuple[MainWindow, list[str], list[tuple[str, int]]]:
    """``ui.create_main_window(url)`` shown on a database it must refuse: the window, the messages it showed and the
    (message, status) of each ``load_failed``, once the rows were waited for (and never came)."""
    import ui

    window = ui.create_main_window(url)
    qtbot.addWidget(window)
    shown: list[str] = []
    failed: list[tuple[str, int]] = []
    window.show_startup_error = shown.append
    window.offered: list[str] = []  # refusals a backup mends: the box offers the restore, declined here
    window.ask_restore_at_start = lambda message: window.offered.append(message) and False
    window.load_failed.connect(lambda message, status: failed.append((message, status)))
    window.show()
    assert not window.wait_for_rows(60_000)
    return window, shown, failed


def test_the_public_window_builder_says_why_a_database_cannot_be_opened(qtbot, tmp_path):
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"not a database at all" * 100)
    window, shown, failed = open_refused(qtbot, f"sqlite:///{path}")
    assert len(shown) == 1 and failed == [(shown[0], 2)]  # 2: a refused database (UserError), not a bug
    assert not window.isVisible()


def test_a_lazy_start_behind_the_work_log_tab_does_not_price_the_hidden_calculator(qtbot, tmp_path):
    from ui.actions import TAB_WORKLOG

    window, _db, gate = _gated_demo_window(qtbot, tmp_path)
    window.settings.setValue("window/tab", TAB_WORKLOG)  # the tab the last session ended on
    window.show()
    qtbot.waitUntil(lambda: window.findChild(QTableView, "clientList") is not None
                    and window.findChild(QTableView, "clientList").model().rowCount() == 12, timeout=30_000)
    gate.set()  # the tabs are swapped in while the window is visible
    assert window.wait_for_rows(60_000)
    window.wait_for_background()
    assert window.work_area.tabs.currentWidget() is window.work_area.worklog and window.work_area.worklog.isVisible()
    assert window.work_area.calculator._pending == "pricing"  # not priced: it was never shown


def test_a_window_closed_while_it_loads_does_not_report_the_failed_load_in_a_dialog(qtbot, tmp_path):
    import threading

    gate = threading.Event()

    def opener():
        gate.wait(30)
        raise UserError("База данных недоступна")

    window = lazy_window(qtbot, tmp_path, opener)
    failed: list[tuple[str, int]] = []
    window.load_failed.connect(lambda message, status: failed.append((message, status)))
    window.show()
    window.start_loading()
    window.close()
    gate.set()
    qtbot.waitUntil(lambda: bool(failed), timeout=30_000)
    assert window.startup_errors == []  # the window is gone: no message box over nothing
    assert failed[0][1] == 2


def test_the_first_screen_takes_its_rows_in_the_order_the_worker_gave(qtbot, tmp_path, monkeypatch):
    """Issue 15: the first rows are put in name order in the worker; the list took them and sorted them again on
    the UI thread (~40 ms at 50 000 clients). No sort on the way to the first screen, and the order is a sort's."""
    from ui.models.client_order import sort_key
    from ui.models.client_roles import ClientRole
    from ui.models.clients import ClientTableModel

    sorts: list[int] = []
    real_sorted = ClientTableModel._sorted
    monkeypatch.setattr(ClientTableModel, "_sorted", lambda self, rows: sorts.append(len(rows)) or real_sorted(self, rows))
    window, db, gate = _gated_demo_window(qtbot, tmp_path)
    window.show()
    qtbot.waitUntil(lambda: window.findChild(QTableView, "clientList") is not None
                    and window.findChild(QTableView, "clientList").model().rowCount() == 12, timeout=30_000)
    assert sorts == []
    shown = [window.findChild(QTableView, "clientList").model().index(r, 0).data(ClientRole.ID) for r in range(12)]
    assert shown == [s.id for s in sorted(list_clients(db), key=sort_key)]
    gate.set()
    assert window.wait_for_rows(60_000)
    window.close()


@pytest.mark.parametrize("changed", [False, True])
def test_the_full_open_reads_the_rows_again_only_when_the_file_changed(qtbot, tmp_path, monkeypatch, changed):
    """Issue 15: the database's open read every client a second time beside the first screen's rows (at 50 000
    clients ~70 MB of the window's peak memory and a second of a worker). Now only when the file changed
    since the first read — and then the window shows the change."""
    from sqlalchemy import update

    from app.persistence.models import Client
    from app.services import client_list as client_service
    from app.services import list_read

    reads: list[int] = []
    real, real_read = client_service.list_clients, list_read.read_list
    monkeypatch.setattr(list_read, "read_list",
                        lambda db, *args, **kwargs: reads.append(len(args) + len(kwargs)) or real_read(db, *args, **kwargs))
    window, db, gate = _gated_demo_window(qtbot, tmp_path)
    window.show()
    qtbot.waitUntil(lambda: window.findChild(QTableView, "clientList") is not None
                    and window.findChild(QTableView, "clientList").model().rowCount() == 12, timeout=30_000)
    target = real(db)[0]
    if changed:  # committed after the first read, before the window's own open finishes
        with db.unit() as s:
            s.execute(update(Client).where(Client.id == target.id).values(name="ООО «Переименованный»"))
    gate.set()
    assert window.wait_for_rows(60_000)
    window.wait_for_background()
    every_client_reads = reads.count(0)
    assert every_client_reads == (1 if changed else 0)
    table = window.findChild(QTableView, "clientList")
    names = {table.model().index(r, 0).data() for r in range(table.model().rowCount())}
    assert ("ООО «Переименованный»" in names) is changed and len(names) == 12
    window.close()


def test_a_loaded_window_keeps_its_objects_out_of_full_collections_until_it_closes(qtbot, tmp_path):
    """gc.freeze once the data are in (a full collection walked the whole heap: 60–72 ms at 5 000 clients),
    gc.unfreeze at the close (what the window froze may be garbage then)."""
    import gc

    import ui

    path = demo_file(tmp_path)
    gc.unfreeze()
    window = ui.create_main_window(f"sqlite:///{path}")
    qtbot.addWidget(window)
    window.show()
    assert window.wait_for_rows(60_000)
    assert gc.get_freeze_count() > 10_000  # the modules, the models, the window's wrappers
    window.close()
    assert gc.get_freeze_count() == 0


def test_the_first_rows_are_read_from_the_start_beside_the_window_imports(qtbot, tmp_path, monkeypatch):
    """start_main_window starts the read before it imports and builds the window, and the window takes that
    read's rows (no second read)."""
    import threading

    from app.services import first_screen
    from ui import app as ui_app

    path = demo_file(tmp_path)
    reads: list[str] = []
    real = first_screen.first_rows

    def counted(db_path=None, database_url=None):
        reads.append(threading.current_thread().name)
        return real(db_path, database_url)

    monkeypatch.setattr(first_screen, "first_rows", counted)
    window = ui_app.start_main_window(db_path=str(path))
    qtbot.addWidget(window)
    window.show()
    assert window.wait_for_rows(60_000)
    assert reads == ["first-rows"]
    assert window.findChild(QTableView, "clientList").model().rowCount() == 12
    window.close()


def test_an_early_read_hands_its_error_to_the_waiting_side(monkeypatch):
    from app.services import first_screen

    def broken(*_args):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(first_screen, "first_rows", broken)
    early = first_screen.EarlyRead("x.sqlite3")
    with pytest.raises(RuntimeError, match="disk gone"):
        early.result()


def test_a_loaded_window_warms_up_what_the_first_click_uses_in_a_worker(qtbot, tmp_path, monkeypatch):
    """The first selection of a client imported 89 modules on the UI thread (~110 ms at 5 000 clients)."""
    import threading

    import ui
    from app.services import warmup

    path = demo_file(tmp_path)
    calls: list[bool] = []
    real = warmup.warm_up
    monkeypatch.setattr(warmup, "warm_up", lambda: (calls.append(threading.current_thread()
                                                                 is threading.main_thread()), real())[1])
    window = ui.create_main_window(f"sqlite:///{path}")
    qtbot.addWidget(window)
    window.show()
    assert window.wait_for_rows(60_000)
    for _ in range(3):
        window.wait_for_background(60_000)
    assert calls == [False]  # once, off the UI thread
    window.close()


def test_warming_up_makes_the_first_card_check_need_no_new_module():
    """What warm_up runs is what a card's check imports: after it, the check loads nothing more."""
    import subprocess
    import sys

    code = ("import sys\nfrom app.services.warmup import warm_up\nwarm_up()\nbefore = set(sys.modules)\n"
            "from app.services.clients import ClientInput, PersonInput, field_errors\n"
            "from app import i18n\nfrom decimal import Decimal\n"
            "field_errors(ClientInput(name='ИП Петров', inn='500100732259', approach='remote', "
            "contacts=[PersonInput('Петров', phone='8 900 123-45-67', email='p@mail.ru')]))\n"
            "i18n.format_money(Decimal('10'))\n"
            "print(sorted(set(sys.modules) - before))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_the_next_start_on_the_same_clients_takes_the_name_order_of_the_last(qtbot, tmp_path, monkeypatch):
    """ui.models.name_order: the first screen's order is kept per database file; a second window on the unchanged
    file takes it (no collation key computed), and shows the clients in the same order."""
    import ui
    from ui.models import name_order, names

    path = demo_file(tmp_path)
    taken: list[bool] = []
    real = name_order.load
    monkeypatch.setattr(name_order, "load", lambda *args: (lambda got: (taken.append(got is not None), got)[1])(
        real(*args)))

    def shown() -> list[str]:
        window = ui.create_main_window(f"sqlite:///{path}")
        qtbot.addWidget(window)
        window.show()
        assert window.wait_for_rows(60_000)
        table = window.findChild(QTableView, "clientList")
        names_shown = [table.model().index(r, 0).data() for r in range(table.model().rowCount())]
        window.wait_for_background(60_000)
        window.close()
        return names_shown

    before = shown()
    assert taken == [False] and name_order.order_file(path).is_file()
    monkeypatch.setattr(names, "_keys", {})
    assert shown() == before and taken == [False, True]


@pytest.mark.parametrize("damage", ["DROP TABLE client_stamp", "DROP TABLE client_counts"])
def test_a_file_whose_derived_list_table_was_dropped_opens_and_follows_changes(qtbot, tmp_path, damage):
    """A hand dropped a table the list's rows are derived into (app.persistence.repair): the window opens with
    every client, writes work and a reload after a change shows it."""
    import sqlite3

    import ui
    from app.services.changes import Changes

    path = demo_file(tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute(damage)
    window = ui.create_main_window(f"sqlite:///{path}")
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.wait_for_background(60_000)
    model = window.findChild(QTableView, "clientList").model()
    assert window.is_loaded() and model.rowCount() == 12
    with sqlite3.connect(path) as conn:  # another program renames a client: the triggers follow again
        conn.execute("UPDATE client SET name = 'ООО «Переименовано»' WHERE id = (SELECT min(id) FROM client)")
    window.apply_changes(Changes(replaced=True))
    window.wait_for_background(60_000)
    names = {model.index(row, 0).data() for row in range(model.rowCount())}
    assert "ООО «Переименовано»" in names and model.rowCount() == 12


def test_the_application_lets_the_ui_thread_take_the_interpreter_lock_within_a_millisecond():
    """A worker running Python holds the lock up to the switch interval each time a paint's data() call asks for
    it (ui.app.SWITCH_INTERVAL_S): the application sets it, whoever made the QApplication."""
    import ui.app

    sys.setswitchinterval(0.005)
    ui.app.ensure_application()
    assert sys.getswitchinterval() == pytest.approx(0.001)


def test_a_window_opening_a_file_with_a_blob_for_a_name_names_the_value(qtbot, tmp_path):
    """The list read failed far from any value reader (``"".join`` of the names) and the window said a bare English
    «TypeError: sequence item 0: expected str instance, bytes found» (a tester's find)."""
    import sqlite3

    path = demo_file(tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE client SET name = x'fffe' WHERE id = 4")
    conn.close()
    window, shown, failed = open_refused(qtbot, f"sqlite:///{path}")
    offered = window.offered  # the one box: the refusal offering the restore, declined here
    assert shown == [] and len(offered) == 1 and failed == [(offered[0], 2)]
    assert "таблица client, запись 4, поле name: «ff fe»" in offered[0] and "Восстановить из резервной копии" in offered[0]


def test_a_fault_while_the_window_opens_is_said_as_an_internal_error_in_russian(qtbot, tmp_path, monkeypatch):
    import ui.loading

    def fault(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(ui.loading, "read_initial_data", fault)
    _window, shown, failed = open_refused(qtbot, f"sqlite:///{demo_file(tmp_path)}")
    assert shown == ["Внутренняя ошибка: RuntimeError: boom"] and failed == [(shown[0], 1)]
