"""Our documents embed font subsets made once per process (app/reports/subsets.py): the same characters in the
same order in every document, so two acts carry the same font programs; a kept program gives the very bytes a
fresh one gives; a rarer character still prints and extracts; a document that is not ours is left alone."""

from __future__ import annotations

import io

from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from app.reports import render, subsets
from app.reports.fonts import BOLD, REGULAR, register_fonts
from app.services import documents as docs
from tests.reports.helpers import ACT_DAY, MARCH, build_world, pdf_text


def font_programs(pdf: bytes) -> dict[str, bytes]:
    """BaseFont without its subset tag (DejaVuSerif, DejaVuSerif-Bold …) → its embedded FontFile2, decoded."""
    found = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            if "/FontDescriptor" not in font:  # the canvas's initial Helvetica, never embedded
                continue
            name = str(font["/BaseFont"]).split("+")[-1]
            found[name] = font["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
    return found


def act_content(db) -> dict:
    world = build_world(db)
    return docs.prepare_act(db, world.client_id, *MARCH, on=ACT_DAY).content


def test_two_acts_embed_the_same_font_programs_and_a_kept_program_gives_the_same_bytes(db):
    content = act_content(db)
    other = {**content, "client": {**content["client"], "name": "ИП Щукин Эдуард Юрьевич"},
             "total_words": "Двадцать шесть тысяч двести пятьдесят рублей 00 копеек"}
    subsets.forget()
    fresh = render(content)
    assert subsets.forget() >= 2  # regular and bold at least were made and kept
    assert render(content) == fresh  # made again: the same document
    assert render(content) == fresh  # from the kept programs: the same bytes
    first, second = font_programs(fresh), font_programs(render(other))
    assert {"DejaVuSerif", "DejaVuSerif-Bold"} <= set(first)
    assert first == second  # different text, one subset per font


def test_the_kept_objects_are_the_bytes_reportlab_makes(db, monkeypatch):
    content = act_content(db)
    rare = {**content, "client": {**content["client"], "name": "ТОВ «Київська їдальня»"}}
    shared = [render(content), render(rare), render(content)]
    monkeypatch.setattr(subsets, "SHARING", False)  # the same numbering, every object made by reportlab
    assert [render(content), render(rare)] == shared[:2]
    assert shared[2] == shared[0]


def test_a_character_outside_the_shared_order_is_embedded_and_extracted(db):
    content = act_content(db)
    rare = {**content, "client": {**content["client"], "name": "ТОВ «Київська їдальня»"}}
    assert "ї" not in subsets.SHARED_ORDER and "і" not in subsets.SHARED_ORDER
    pdf = render(rare)
    assert "ТОВ «Київська їдальня»" in pdf_text(pdf)
    assert font_programs(pdf)["DejaVuSerif"] != font_programs(render(content))["DejaVuSerif"]


def test_a_document_that_is_not_ours_gets_reportlabs_own_subset():
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    canvas.setFont(REGULAR, 12)
    canvas.drawString(72, 720, "abc")
    canvas.setFont(BOLD, 12)
    canvas.drawString(72, 700, "Акт")
    canvas.save()
    programs = font_programs(buffer.getvalue())
    seeded = font_programs(render_minimal())
    assert len(programs["DejaVuSerif"]) < len(seeded["DejaVuSerif"])  # no Russian alphabet in it
    assert "abc" in pdf_text(buffer.getvalue()) and "Акт" in pdf_text(buffer.getvalue())


def render_minimal() -> bytes:
    """A seeded document with the same two strings (our canvas)."""
    from app.reports.styles import numbered_canvas

    buffer = io.BytesIO()
    canvas = numbered_canvas("x")(buffer, invariant=1)
    canvas.setFont(REGULAR, 12)
    canvas.drawString(72, 720, "abc")
    canvas.setFont(BOLD, 12)
    canvas.drawString(72, 700, "Акт")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
