"""Paragraph and table styles of the documents, and the A4 page with «Страница N из M»."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from app.reports.fonts import BOLD, ITALIC, REGULAR, register_fonts

MM = 72 / 25.4  # points per millimetre
PAGE_MARGINS = {"left": 25 * MM, "right": 15 * MM, "top": 15 * MM, "bottom": 20 * MM}
BASE_SIZE = 9.5
GRID_WIDTH = 0.6
HEADER_FILL = "#EDEDED"


@dataclass(frozen=True)
class Styles:
    body: object
    body_justify: object
    title: object
    subtitle: object
    heading: object
    cell: object
    cell_bold: object
    cell_right: object
    cell_right_bold: object
    cell_center: object
    head: object
    caption: object
    small: object
    words: object
    label: object


@cache
def styles() -> Styles:
    register_fonts()
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    body = ParagraphStyle("body", fontName=REGULAR, fontSize=BASE_SIZE, leading=BASE_SIZE * 1.32,
                          alignment=TA_LEFT, spaceAfter=2)
    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=11, spaceAfter=0)
    return Styles(
        body=body,
        body_justify=ParagraphStyle("body_justify", parent=body, alignment=TA_JUSTIFY),
        title=ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=13, leading=16, alignment=TA_CENTER,
                             spaceAfter=1),
        subtitle=ParagraphStyle("subtitle", parent=body, fontName=BOLD, fontSize=10.5, leading=13.5,
                                alignment=TA_CENTER, spaceAfter=0),
        heading=ParagraphStyle("heading", parent=body, fontName=BOLD, fontSize=10, leading=13,
                               spaceBefore=9, spaceAfter=4),
        cell=cell,
        cell_bold=ParagraphStyle("cell_bold", parent=cell, fontName=BOLD),
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        cell_right_bold=ParagraphStyle("cell_right_bold", parent=cell, fontName=BOLD, alignment=TA_RIGHT),
        cell_center=ParagraphStyle("cell_center", parent=cell, alignment=TA_CENTER),
        head=ParagraphStyle("head", parent=cell, fontName=BOLD, fontSize=8.5, leading=10.5, alignment=TA_CENTER),
        caption=ParagraphStyle("caption", parent=cell, fontName=ITALIC, fontSize=7, leading=8.5,
                               alignment=TA_CENTER, textColor=colors.HexColor("#333333")),
        small=ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#444444")),
        words=ParagraphStyle("words", parent=body, fontName=BOLD, spaceBefore=2),
        label=ParagraphStyle("label", parent=cell, fontName=BOLD),
    )


def grid_style(header_rows: int = 1, extra: list | None = None):
    """Bordered table: thin black grid, grey bold header, cells vertically centred."""
    from reportlab.lib import colors
    from reportlab.platypus import TableStyle

    commands = [
        ("FONT", (0, 0), (-1, -1), REGULAR, 9),  # plain-string cells too: never a non-embedded base font
        ("GRID", (0, 0), (-1, -1), GRID_WIDTH, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3.5),
    ]
    if header_rows:
        commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor(HEADER_FILL)))
    return TableStyle(commands + (extra or []))


def plain_style(extra: list | None = None):
    """Borderless layout table."""
    from reportlab.platypus import TableStyle

    commands = [
        ("FONT", (0, 0), (-1, -1), REGULAR, 9),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]
    return TableStyle(commands + (extra or []))


def numbered_canvas(footer_left: str, demo: bool = False, voided: str = ""):
    """A canvas class that writes «Страница N из M» (and the document's name) on every page; with ``demo``
    (a document of the demo database) also a large grey «ДЕМО» across every page and «ДЕМО» in the footer;
    with ``voided`` (the line «АННУЛИРОВАН 30.11.2026. Причина: …» of a voided document's reprint) a large
    red «АННУЛИРОВАН» across every page and that line at the top of every page."""
    from reportlab.pdfgen.canvas import Canvas

    from app.reports.fonts import FILES
    from app.reports.subsets import seed

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []
            seed(self._doc, FILES)  # the same subsets in every document: embedded once per process

        def showPage(self) -> None:  # reportlab API name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            width, _height = self._pagesize
            y = 10 * MM
            self.saveState()
            self.setFont(REGULAR, 7.5)
            self.setFillGray(0.3)
            self.setStrokeGray(0.6)
            self.setLineWidth(0.4)
            self.line(PAGE_MARGINS["left"], y + 9, width - PAGE_MARGINS["right"], y + 9)
            self.drawString(PAGE_MARGINS["left"], y, f"ДЕМО · {footer_left}" if demo else footer_left)
            self.drawRightString(width - PAGE_MARGINS["right"], y,
                                 f"Страница {self._pageNumber} из {total}")
            self.restoreState()
            if demo:
                self._demo_mark()
            if voided:
                self._voided_mark()

        def _voided_mark(self) -> None:
            """«АННУЛИРОВАН» across the page and the day and reason above the text, in red."""
            width, height = self._pagesize
            self.saveState()
            self.setFillColorRGB(0.75, 0, 0)
            if "\n" in voided:  # a reason of several lines: line by line in the top margin (at most three)
                self._voided_lines(width, height)
            else:
                self.setFont(REGULAR, 9)
                self.drawString(PAGE_MARGINS["left"], height - 8 * MM, voided[:150])
            self.setFont(REGULAR, 72)
            self.setFillColorRGB(0.75, 0, 0, alpha=0.25)
            self.translate(width / 2, height / 2)
            self.rotate(45)
            self.drawCentredString(0, 20, "АННУЛИРОВАН")
            self.restoreState()

        def _voided_lines(self, width: float, height: float) -> None:
            """The day and a reason of several lines above the text, each wrapped to the page's width, in 7.5
            points, the third line ending in «…» when more follow (the register keeps the whole reason)."""
            from reportlab.lib.utils import simpleSplit

            size, room = 7.5, width - PAGE_MARGINS["left"] - PAGE_MARGINS["right"]
            lines = [piece for line in voided.split("\n") for piece in simpleSplit(line, REGULAR, size, room)]
            if len(lines) > 3:
                lines = [*lines[:2], lines[2].rstrip(" .…") + " …"]
            self.setFont(REGULAR, size)
            for index, line in enumerate(lines):
                self.drawString(PAGE_MARGINS["left"], height - (5 + 3.1 * index) * MM, line)

        def _demo_mark(self) -> None:
            """«ДЕМО» diagonally across the page, light enough to read the text through it."""
            width, height = self._pagesize
            self.saveState()
            self.setFont(REGULAR, 110)
            self.setFillGray(0.5, alpha=0.18)
            self.translate(width / 2, height / 2)
            self.rotate(45)
            self.drawCentredString(0, -40, "ДЕМО")
            self.restoreState()

    return NumberedCanvas
