"""Where the window keeps its settings: ``settings.ini`` in the data folder, beside the database.

So ``VNEDRENIE_DATA_DIR`` moves the settings with the data (a second data folder has its own window
layout, language and column limits). ``--db``/``--database-url`` choose only the database: the settings
stay in the data folder. Settings an earlier version kept per user (Qt's default place, e.g.
``~/.config/Vnedrenie/Vnedrenie.conf``) are copied once into a data folder that has none yet."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

ORG, APP = "Vnedrenie", "Vnedrenie"
SETTINGS_FILE = "settings.ini"
LEGACY_ORG = LEGACY_APP = "Vnedrenie"


def settings_path() -> Path:
    """``<data folder>/settings.ini``."""
    from app.config import data_dir

    return data_dir() / SETTINGS_FILE


def settings() -> QSettings:
    """The settings of the current data folder (an INI file; created on the first write): window
    geometry, folders, language, column limits."""
    path = settings_path()
    result = QSettings(str(path), QSettings.Format.IniFormat)
    if not path.exists():
        _adopt_legacy(result)
    return result


data_settings = settings  # the name issue 14's code and tests use


def _adopt_legacy(target: QSettings) -> None:
    """Copy the per-user settings of earlier versions into a data folder that has no settings yet."""
    legacy = QSettings(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, LEGACY_ORG, LEGACY_APP)
    keys = legacy.allKeys()
    if not keys:
        return
    from app.config import ensure_private_dir

    try:
        if not settings_path().parent.exists():
            ensure_private_dir(settings_path().parent)
    except OSError:
        return
    for key in keys:
        target.setValue(key, legacy.value(key))
    target.sync()


LIMITS_KEY = "kanban/limits"


def column_limits(settings: QSettings) -> list[int]:
    """The kanban's card limit per stage 0–4 (0: none), as Settings stored them; junk reads as 0."""
    from app.domain.stages import Stage

    raw = settings.value(LIMITS_KEY, [])
    values = raw if isinstance(raw, list) else ([raw] if raw else [])
    limits = []
    for stage in Stage:
        try:
            limits.append(max(0, int(str(values[int(stage)]))))
        except (IndexError, TypeError, ValueError):
            limits.append(0)
    return limits
