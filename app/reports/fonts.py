"""Registers the shipped DejaVu Serif family (resources/fonts) in reportlab, once per process."""

from __future__ import annotations

import threading
from importlib import resources

FAMILY = "DocSerif"
REGULAR, BOLD, ITALIC, BOLD_ITALIC = FAMILY, f"{FAMILY}-Bold", f"{FAMILY}-Italic", f"{FAMILY}-BoldItalic"
FILES = {
    REGULAR: "DejaVuSerif.ttf",
    BOLD: "DejaVuSerif-Bold.ttf",
    ITALIC: "DejaVuSerif-Italic.ttf",
    BOLD_ITALIC: "DejaVuSerif-BoldItalic.ttf",
}

_lock = threading.Lock()
_registered = False


def font_file(name: str):
    """A Traversable for one of the shipped font files."""
    return resources.files("resources").joinpath("fonts", name)


def register_fonts() -> str:
    """Register the family (TrueType, embedded as a subset by reportlab); returns the family name."""
    global _registered
    if _registered:
        return FAMILY
    with _lock:
        if _registered:
            return FAMILY
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        from app.reports.subsets import share

        for name, filename in FILES.items():
            with resources.as_file(font_file(filename)) as path:
                font = TTFont(name, str(path))
            share(font)  # seeded documents embed subsets made once per process (app/reports/subsets.py)
            pdfmetrics.registerFont(font)
        pdfmetrics.registerFontFamily(FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
        for bold, italic, name in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, ITALIC), (1, 1, BOLD_ITALIC)):
            addMapping(FAMILY, bold, italic, name)
        _registered = True
    return FAMILY
