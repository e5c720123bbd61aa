"""The application's identity on the desktop: its icon (resources/icons) and its .desktop file name."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication, QIcon

# The freedesktop application id: the .desktop file, the AppStream component and the installed icon share it.
APP_ID = "ru.vnedrenie.Vnedrenie"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

_icon: QIcon | None = None


def app_icon() -> QIcon:
    """The icon drawn in resources/icons/vnedrenie.svg, as its rendered PNG sizes (no SVG plugin needed)."""
    global _icon
    if _icon is None:
        import resources  # the package's folder (also in a PyInstaller bundle); importlib.resources costs ~6 ms of start-up

        folder = Path(resources.__file__).parent / "icons"
        icon = QIcon()
        for size in ICON_SIZES:
            icon.addFile(str(folder.joinpath(f"vnedrenie-{size}.png")))
        _icon = icon
    return _icon


def set_application_identity(app: QGuiApplication) -> None:
    """Window icon for every window, and the desktop file name (Wayland/X11 match the window to
    ru.vnedrenie.Vnedrenie.desktop, so the task bar shows our icon and name)."""
    app.setWindowIcon(app_icon())
    QGuiApplication.setDesktopFileName(APP_ID)
