"""A bare reportlab document with the same text as one of ours: the baseline of the document figures.

``text_runs(pdf)`` reads every run of text a PDF shows with its face and size (pypdf); ``bare_pdf(runs)`` sets the
same runs in the same faces, sizes and margins with plain reportlab Paragraphs, one page per page.
Hooks into the product: ``app.reports.fonts.FILES/register_fonts``, ``app.reports.styles.PAGE_MARGINS``."""

from __future__ import annotations

from pathlib import Path


def text_runs(pdf: bytes) -> list[list[tuple[str, str, float]]]:
    """Per page, every run of text the PDF shows (a paragraph line, a cell line) with its face and size."""
    import io

    from pypdf import PdfReader

    from app.reports.fonts import FILES

    faces = {Path(file).stem: name for name, file in FILES.items()}  # DejaVuSerif-Bold → DocSerif-Bold
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        runs: list[tuple[str, str, float]] = []

        def visit(text, _cm, _tm, font, size, runs=runs):
            if text.strip():
                base = str((font or {}).get("/BaseFont", "")).lstrip("/").split("+")[-1]
                runs.append((text.strip(), faces.get(base, faces["DejaVuSerif"]), float(size)))

        page.extract_text(visitor_text=visit)
        pages.append(runs)
    return pages


def bare_pdf(pages: list[list[tuple[str, str, float]]]) -> bytes:
    """A bare reportlab document of the same size with the same fonts: the same text runs in the same
    faces and sizes, one Paragraph per run, a page break where the document has one, the same margins."""
    import io
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    from app.reports.fonts import register_fonts
    from app.reports.styles import PAGE_MARGINS

    register_fonts()
    height = A4[1] - PAGE_MARGINS["top"] - PAGE_MARGINS["bottom"] - 12  # the frame's padding
    styles: dict[tuple[str, float, float], ParagraphStyle] = {}
    story: list = []
    for number, runs in enumerate(pages):
        if number:
            story.append(PageBreak())
        # The document sets runs side by side in table rows; one under another they may need more
        # height than a page has: then lines are set tighter, so the page count stays the same.
        squeeze = min(1.0, height / max(1.0, sum(size for _text, _face, size in runs) * 1.02))
        for text, face, size in runs:
            key = (face, size, squeeze)
            style = styles.get(key)
            if style is None:
                style = styles[key] = ParagraphStyle(f"{face}-{size}", fontName=face, fontSize=size,
                                                     leading=size * squeeze)
            story.append(Paragraph(escape(text), style))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=PAGE_MARGINS["left"], rightMargin=PAGE_MARGINS["right"],
                      topMargin=PAGE_MARGINS["top"], bottomMargin=PAGE_MARGINS["bottom"]).build(story)
    return buffer.getvalue()


def page_count(pdf: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)
