"""Qt's own texts in the UI language: qtbase_<lang>.qm plus a fix for the msgids its catalogue lacks.

Why the file dialog said «Look in:» and «Files of type:» although qtbase_ru.qm was loaded: Qt 6 labels
the non-native QFileDialog «&Look in:» and «Files of &type:» (with accelerators), while the Russian
catalogue shipped with Qt (and PySide6's wheels) only has the older msgids «Look in:» and «Files of
type:». ``AcceleratorFallback`` answers such a lookup with the translation of the text without «&» and
puts the accelerator back in front, so every Qt dialog label whose only change was an added accelerator
is Russian too (tests/ui/test_qt_dialogs_russian.py grabs the file dialog and reads its labels)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator


class AcceleratorFallback(QTranslator):
    """A translator consulted first: for a text with «&» that no catalogue has, the «&»-less text's
    translation with «&» in front; None (not found) for everything else, so the next translator answers."""

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        if not context or not source or "&" not in source or "&&" in source:
            return None
        plain = source.replace("&", "", 1)
        translated = QCoreApplication.translate(context, plain, disambiguation, n)
        if not translated or translated == plain:
            return None
        return "&" + translated

    def isEmpty(self) -> bool:
        return False


def qt_translation_dirs() -> list[str]:
    """Where qtbase_<lang>.qm may be: Qt's TranslationsPath, and in a PyInstaller build the bundled copy."""
    dirs = [QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        dirs += [str(Path(bundle) / "PySide6" / "Qt" / "translations"), str(Path(bundle) / "PySide6" / "translations")]
    return dirs


def load_qt_catalogue(translator: QTranslator, language: str) -> bool:
    """Load qtbase_<language>.qm from the first folder that has it; False when none has it."""
    return any(translator.load(f"qtbase_{language}", folder) for folder in qt_translation_dirs())


def build_check_line() -> str:
    """``Qt: Отмена | &Перейти к:`` — Qt's own texts as the running program translates them (printed by the
    hidden ``--quit-when-loaded`` option, so scripts/check-build.sh sees that a build found qtbase_ru.qm)."""
    return "Qt: {} | {}".format(QCoreApplication.translate("QPlatformTheme", "Cancel"),
                                QCoreApplication.translate("QFileDialog", "&Look in:"))
