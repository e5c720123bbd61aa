"""PDF documents (always Russian) rendered with reportlab from a stored content snapshot.

reportlab is imported only inside the functions here, so importing this package stays cheap."""

from __future__ import annotations

KINDS = ("signoff", "estimate", "act", "progress")  # the DocumentKind registry (app.services.documents.kinds)


def render(content: dict) -> bytes:
    """The PDF (A4, fonts embedded, «Страница N из M») for a content snapshot; same content → same bytes."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    from app.reports.documents import BUILDERS, TITLES
    from app.reports.fonts import REGULAR, register_fonts
    from app.reports.styles import BASE_SIZE, PAGE_MARGINS, numbered_canvas

    register_fonts()
    kind = content["kind"]
    story, footer = BUILDERS[kind](content)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=A4,
        leftMargin=PAGE_MARGINS["left"], rightMargin=PAGE_MARGINS["right"],
        topMargin=PAGE_MARGINS["top"], bottomMargin=PAGE_MARGINS["bottom"],
        title=f"{TITLES[kind]} № {content['code']}", author=content["executor"]["company"],
        subject=content["client"]["name"], creator="Внедрение", lang="ru-RU", invariant=1,
        initialFontName=REGULAR, initialFontSize=BASE_SIZE,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(story, canvasmaker=numbered_canvas(footer, demo=bool(content.get("demo")),
                                                     voided=str(content.get("voided_mark") or "")))
    return buffer.getvalue()


def title(kind: str) -> str:
    """Russian name of a document kind."""
    from app.reports.documents import TITLES

    return TITLES[kind]
