"""QApplication set-up: translations (ours and Qt's own), style, and the GUI entry point."""

from __future__ import annotations

import argparse
import os
import sys

from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from ui.qtfix import keep_no_sources

keep_no_sources()  # before the imports below: PySide's import hook must not keep their sources

from app import i18n  # noqa: E402
from ui.settings import APP, ORG, settings  # noqa: E402

_translators: list[QTranslator] = []


def install_qt_translations(app: QApplication, language: str) -> None:
    """Load qtbase_<lang>.qm so Qt's own dialogs (file dialogs, buttons) speak the UI language."""
    for translator in _translators:
        app.removeTranslator(translator)
    _translators.clear()
    from ui.controllers.qt_translations import AcceleratorFallback, load_qt_catalogue

    translator = QTranslator(app)
    if load_qt_catalogue(translator, language):
        app.installTranslator(translator)
        _translators.append(translator)
        fallback = AcceleratorFallback(app)  # installed last = asked first
        app.installTranslator(fallback)
        _translators.append(fallback)
    QLocale.setDefault(QLocale(QLocale.Language.Russian if language == "ru" else QLocale.Language.English))


# How long a Python thread may hold the interpreter lock while another waits for it (CPython's default 5 ms).
# A view's paint calls the model's data() once per cell and role, and each call waits up to this long while a
# worker runs Python (a CSV import, a reload): paints of 20–110 ms during a CSV import of 5 000 clients, against
# ≤ 14 ms in 9 runs of 10 at 1 ms (bench/RESULTS.md); the workers' own time did not change measurably.
SWITCH_INTERVAL_S = 0.001


def ensure_application() -> QApplication:
    """The QApplication (made once), named for QSettings, in the saved interface language; the interpreter's
    thread switch interval set for a responsive UI thread (SWITCH_INTERVAL_S)."""
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORG)
    app.setApplicationName(APP)
    from ui.views.app_icon import set_application_identity

    set_application_identity(app)
    from ui.dialogs import keyboard

    keyboard.install(app)  # Tab leaves tables and multi-line boxes, in every window and dialog
    language = str(settings().value("ui/language", i18n.DEFAULT_LANGUAGE))
    if language != i18n.language():
        i18n.set_language(language)
    install_qt_translations(app, i18n.language())
    return app


def start_main_window(db_path: str | None = None, database_url: str | None = None):
    """The window as ``python main.py`` opens it: the frame now, the database and the rows after its
    first paint (see MainWindow's lazy start). Show it and run the event loop. The first rows are read from here
    on, beside the window's imports and construction (app.services.first_screen.EarlyRead)."""
    from app.services.first_screen import EarlyRead

    early = EarlyRead(db_path, database_url)
    from ui.main_window import open_window

    return open_window(db_path, database_url, early=early)


def has_display() -> bool:
    """False on a Linux/BSD console with no X11/Wayland, where Qt would abort with an English message."""
    if sys.platform in ("win32", "darwin") or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_gui(argv: list[str], quit_signals: list[int] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="vnedrenie")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--db")
    group.add_argument("--database-url")
    parser.add_argument("--lang", choices=list(i18n.LANGUAGES))
    parser.add_argument("--quit-when-loaded", action="store_true", help=argparse.SUPPRESS)  # build checks
    args = parser.parse_args(argv)
    if not has_display():
        print(i18n._("No graphical display: run the app in a desktop session, or use the headless "
                     "commands (see «python main.py --help»)."), file=sys.stderr)
        return 2
    app = ensure_application()
    if args.lang:
        i18n.set_language(args.lang)
        install_qt_translations(app, args.lang)
    window = start_main_window(args.db, args.database_url)
    window.load_failed.connect(lambda _message, status: app.exit(status))
    from app.config import data_dir
    from ui.controllers import unhandled

    unhandled.install(window)  # a failure in a slot is said in the window, not only on stderr
    unhandled.log_to_file(data_dir())
    if args.quit_when_loaded:  # scripts/check-build.sh: the window opened on its database, then quit
        from ui.controllers.qt_translations import build_check_line

        window.rows_loaded.connect(lambda: (print(window.windowTitle()), print(build_check_line()), app.exit(0)))
    window.show()
    if os.name == "posix":
        from ui.controllers.quit_signals import QuitOnSignal

        # ``quit_signals``: Ctrl+C / SIGTERM that main.py noted while the window was being made
        quitter = QuitOnSignal(window.close, app, received=quit_signals)
        try:
            return app.exec()
        finally:
            quitter.uninstall()
    return app.exec()
