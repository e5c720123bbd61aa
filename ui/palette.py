"""The one set of colours the interface uses, by meaning, readable on a light and on a dark palette.

Each role has a light-theme and a dark-theme shade; ``color(role)`` picks by the application palette's
window colour, so a dark desktop theme never gets dark red on dark grey. Style sheets come from here too."""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette

# role: (on a light window, on a dark window)
_ROLES: dict[str, tuple[str, str]] = {
    "error": ("#b00020", "#ff8a80"),
    "success": ("#2e7d32", "#81c784"),
    "warning": ("#8a5a00", "#ffcc80"),
    "stalled": ("#b35c00", "#ffb74d"),
    "over_budget": ("#c62828", "#ef9a9a"),
    "muted": ("#5f6368", "#a0a4a8"),
    "link": ("#1565c0", "#90caf9"),
    "accompanied": ("#2e7d32", "#81c784"),
    "remote": ("#1565c0", "#90caf9"),
    "onsite": ("#6a1b9a", "#ce93d8"),
    "progress": ("#43a047", "#66bb6a"),
    "track": ("#e3e6ea", "#4a4d52"),
    "next": ("#fff4c2", "#5c5220"),
    "error_bg": ("#fde2e1", "#5a2a2a"),
    "error_fg": ("#8a1c1c", "#ffd6d6"),
    "note_bg": ("#fff4ce", "#4d4420"),
    "note_fg": ("#5c4400", "#fff0c0"),
    "badge_bg": ("#e8eef7", "#34445a"),
    "demo_bg": ("#ffc83d", "#8a6a00"),  # the «ДЕМО» badge of a demo window
    "demo_fg": ("#3a2a00", "#fff4c2"),
}


def is_dark() -> bool:
    """True when the application palette's window colour is dark."""
    app = QGuiApplication.instance()
    if app is None:
        return False
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    return window.lightness() < 128


def hex_color(role: str) -> str:
    """The colour of ``role`` as #rrggbb for the current palette (KeyError for an unknown role)."""
    light, dark = _ROLES[role]
    return dark if is_dark() else light


def color(role: str) -> QColor:
    return QColor(hex_color(role))


def text_style(role: str, bold: bool = False) -> str:
    """A style sheet colouring a label's text by ``role``."""
    return f"color: {hex_color(role)};" + (" font-weight: bold;" if bold else "")


def banner_style(kind: str = "error") -> str:
    """A banner (``error`` or ``note``): tinted background, readable text, a little padding."""
    bg, fg = (("error_bg", "error_fg") if kind == "error" else ("note_bg", "note_fg"))
    return f"background: {hex_color(bg)}; color: {hex_color(fg)}; padding: 6px; border-radius: 4px;"


def field_error_style() -> str:
    """A line edit marked as wrong."""
    return f"QLineEdit {{ border: 1px solid {hex_color('over_budget')}; }}"
