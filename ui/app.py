"""QApplication set-up: translations (ours and Qt's own), style, and the GUI entry point."""

from __future__ import annotations

import argparse
import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from app import i18n
from app.errors import UserError

ORG, APP = "Vnedrenie", "Vnedrenie"
_translators: list[QTranslator] = []


def settings() -> QSettings:
    return QSettings(ORG, APP)


def install_qt_translations(app: QApplication, language: str) -> None:
    """Load qtbase_<lang>.qm so Qt's own dialogs (file dialogs, buttons) speak the UI language."""
    for translator in _translators:
        app.removeTranslator(translator)
    _translators.clear()
    translator = QTranslator(app)
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{language}", path):
        app.installTranslator(translator)
        _translators.append(translator)
    QLocale.setDefault(QLocale(QLocale.Language.Russian if language == "ru" else QLocale.Language.English))


def ensure_application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORG)
    app.setApplicationName(APP)
    language = str(settings().value("ui/language", i18n.DEFAULT_LANGUAGE))
    if language != i18n.language():
        i18n.set_language(language)
    install_qt_translations(app, i18n.language())
    return app


def run_gui(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="vnedrenie")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--db")
    group.add_argument("--database-url")
    parser.add_argument("--lang", choices=list(i18n.LANGUAGES))
    args = parser.parse_args(argv)
    app = ensure_application()
    if args.lang:
        i18n.set_language(args.lang)
        install_qt_translations(app, args.lang)
    from app.services.workspace import open_workspace
    from ui.main_window import MainWindow

    try:
        workspace = open_workspace(args.db, args.database_url)
    except UserError as exc:
        QMessageBox.critical(None, "Внедрение", exc.full_text())
        return 2
    window = MainWindow(workspace)
    window.show()
    return app.exec()
