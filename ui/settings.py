"""The user's interface settings (QSettings under Vnedrenie/Vnedrenie), importable from any ui module."""

from __future__ import annotations

from PySide6.QtCore import QSettings

ORG, APP = "Vnedrenie", "Vnedrenie"


def settings() -> QSettings:
    """The application's QSettings (window geometry, folders, language, column limits)."""
    return QSettings(ORG, APP)
