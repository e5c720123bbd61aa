"""Issue 14, points 3 and 5: the icon (own SVG + PNG sizes) on the window, the desktop file name, the
.desktop entry and AppStream metainfo that scripts/install-desktop.sh installs, and the window's settings
kept in the data folder (VNEDRENIE_DATA_DIR)."""

from __future__ import annotations

import configparser
import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication, QImage

from ui.app import ensure_application, settings
from ui.settings import settings_path
from ui.views.app_icon import APP_ID, ICON_SIZES, app_icon

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "resources" / "icons"


def test_icon_files_are_the_rendered_sizes_of_the_svg():
    svg = (ICONS / "vnedrenie.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    for size in ICON_SIZES:
        image = QImage(str(ICONS / f"vnedrenie-{size}.png"))
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel() and image.pixelColor(size // 2, size // 2).alpha() == 255
        assert image.pixelColor(0, 0).alpha() == 0  # rounded tile: transparent corners
    ico = (ICONS / "vnedrenie.ico").read_bytes()
    assert ico[:4] == b"\0\0\1\0" and int.from_bytes(ico[4:6], "little") == 7


def test_window_icon_and_desktop_file_name_are_set(qtbot):
    app = ensure_application()
    assert QGuiApplication.desktopFileName() == APP_ID
    assert not app.windowIcon().isNull()
    assert {s.width() for s in app_icon().availableSizes()} >= {16, 32, 48, 256}
    import ui

    window = ui.create_main_window(f"sqlite:///{Path(os.environ['VNEDRENIE_DATA_DIR']) / 'icon.sqlite3'}")
    qtbot.addWidget(window)
    assert window.windowIcon().cacheKey() == app.windowIcon().cacheKey()
    assert window.wait_for_rows(60_000)  # not left loading into the next test


def test_desktop_entry_and_metainfo_are_valid_and_installed(tmp_path):
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keep the keys' case
    entry.read(ROOT / "packaging" / f"{APP_ID}.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application" and section["Icon"] == APP_ID and section["Name[ru]"] == "Внедрение"
    assert section["Exec"] == "vnedrenie-gui" and section["Terminal"] == "false"
    meta = ET.parse(ROOT / "packaging" / f"{APP_ID}.metainfo.xml").getroot()
    assert meta.findtext("id") == APP_ID and meta.find("launchable").text == f"{APP_ID}.desktop"

    share = tmp_path / "share"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_DATA_HOME": str(share)}
    result = subprocess.run(["bash", str(ROOT / "scripts" / "install-desktop.sh")], capture_output=True, text=True,
                            env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    installed = (share / "applications" / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    assert "Exec=" in installed and ("vnedrenie-gui" in installed or "scripts/run.sh" in installed)
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    for size in ICON_SIZES:
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    removed = subprocess.run(["bash", str(ROOT / "scripts" / "install-desktop.sh"), "--uninstall"],
                             capture_output=True, text=True, env=env, timeout=60)
    assert removed.returncode == 0 and not (share / "applications" / f"{APP_ID}.desktop").exists()


def test_settings_live_in_the_data_folder(tmp_path, monkeypatch):
    first, second = tmp_path / "first", tmp_path / "second"
    monkeypatch.setenv("VNEDRENIE_DATA_DIR", str(first))
    s = settings()
    s.setValue("ui/language", "en")
    s.setValue("kanban/limits", "3,3,3,3,3")
    s.sync()
    assert settings_path() == first / "settings.ini" and (first / "settings.ini").is_file()
    monkeypatch.setenv("VNEDRENIE_DATA_DIR", str(second))
    other = settings()
    assert other.value("ui/language") is None  # another data folder, other settings
    other.setValue("ui/language", "ru")
    other.sync()
    monkeypatch.setenv("VNEDRENIE_DATA_DIR", str(first))
    assert settings().value("ui/language") == "en" and settings().value("kanban/limits") == "3,3,3,3,3"


def test_settings_of_earlier_versions_are_adopted_once(tmp_path, monkeypatch):
    before = os.environ.get("XDG_CONFIG_HOME", str(Path.home() / ".config"))
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "config"))
    try:
        legacy = QSettings(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, "Vnedrenie", "Vnedrenie")
        legacy.setValue("window/tab", 3)
        legacy.sync()
        monkeypatch.setenv("VNEDRENIE_DATA_DIR", str(tmp_path / "data"))
        assert int(settings().value("window/tab")) == 3
        legacy.setValue("window/tab", 5)
        legacy.sync()
        assert int(settings().value("window/tab")) == 3  # the data folder has its own now
    finally:
        QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, before)
