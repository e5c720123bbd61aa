"""The faster paragraphs of the documents (no markup parsing for plain text, line breaking remembered per
width) give exactly what reportlab's own Paragraph gives: the same fragments and byte-identical PDFs."""

from __future__ import annotations

from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.platypus import Paragraph

from app.reports import parts, render
from app.reports.styles import styles
from app.services import documents as docs
from tests.reports.helpers import ACT_DAY, ISSUED, MARCH, build_world

STYLE_NAMES = ["body", "body_justify", "title", "heading", "cell", "cell_bold", "cell_right", "head", "caption",
               "small", "words", "label"]
PIECES = [*"абвгд АБВ xyz 019 &<>;\"'«»№–—.,:\n\t\u00a0\u00ad#ё", "&amp;", "&lt;", "  ", "\n\n", "<b>"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


def frag_dicts(paragraph):
    return [dict(f.__dict__) for f in paragraph.frags]


@settings(max_examples=300, deadline=None)
@given(text=TEXT, style_name=st.sampled_from(STYLE_NAMES))
def test_plain_text_fragments_are_the_parsers_fragments(text, style_name):
    style = getattr(styles(), style_name)
    fast = parts.para(text, style)
    slow = Paragraph(escape(text), style)
    assert frag_dicts(fast) == frag_dicts(slow)
    assert fast.text == slow.text and fast.style is slow.style
    if fast.frags:  # a fragment's lists belong to it alone, as when parsed
        assert fast.frags[0].link is not parts.para(text, style).frags[0].link


def test_remembered_line_breaking_follows_the_width():
    long = "Вышеперечисленные услуги оказаны полностью и в срок. " * 6
    paragraph = parts.para(long, styles().body)
    fresh = parts.para(long, styles().body)
    assert paragraph.wrap(200, 1000) == fresh.wrap(200, 1000)
    narrow = paragraph.wrap(100, 1000)
    assert narrow[1] > paragraph.wrap(200, 1000)[1]
    assert paragraph.wrap(100, 1000) == narrow == parts.para(long, styles().body).wrap(100, 1000)
    assert len(paragraph.blPara.lines) == len(parts.para(long, styles().body).breakLines([100, 100]).lines)


@pytest.mark.parametrize("kind", ["signoff", "act", "estimate", "progress"])
def test_documents_are_byte_identical_to_plain_reportlab_paragraphs(db, kind, monkeypatch):
    world = build_world(db)
    extra = {"date_from": MARCH[0], "date_to": MARCH[1]} if kind == "act" else {}
    if kind == "signoff":
        extra = {"stage": 1}
    content = docs.prepare(db, kind, world.client_id, on=ACT_DAY if kind == "act" else ISSUED, **extra).content
    fast = render(content)

    def plain_para(value, style=None, *, raw=False, lines=False):  # lines: a text without breaks is plain
        return Paragraph(value if raw else parts.esc(value), style or styles().body)

    monkeypatch.setattr(parts, "para", plain_para)
    assert render(content) == fast


def test_an_equal_paragraph_takes_the_breaking_of_an_earlier_one_only_for_the_same_style_and_width():
    long = "Настоящий акт составлен в двух экземплярах, имеющих одинаковую юридическую силу. " * 3
    first = parts.para(long, styles().body)
    size = first.wrap(300, 1000)
    again = parts.para(long, styles().body)
    assert again.wrap(300, 1000) == size and again.blPara is first.blPara  # taken over, not broken again
    assert parts.para(long, styles().body).wrap(150, 1000)[1] > size[1]  # another width: broken anew
    bold = parts.para(long, styles().words)
    assert bold.wrap(300, 1000)[1] >= size[1] and bold.blPara is not first.blPara  # another style
    plain = Paragraph(escape(long), styles().body)
    assert plain.wrap(300, 1000) == size and len(plain.blPara.lines) == len(again.blPara.lines)


@pytest.mark.parametrize("kind", ["signoff", "act", "estimate", "progress"])
def test_documents_are_byte_identical_to_plain_reportlab_tables(db, kind, monkeypatch):
    """The tables that skip a second identical layout (parts._table_class) give reportlab's own document."""
    from reportlab.platypus import Table

    world = build_world(db)
    extra = {"date_from": MARCH[0], "date_to": MARCH[1]} if kind == "act" else {}
    if kind == "signoff":
        extra = {"stage": 1}
    content = docs.prepare(db, kind, world.client_id, on=ACT_DAY if kind == "act" else ISSUED, **extra).content
    long_lines = [{**line, "label": line["label"] + " — подробно" * 60} for line in content.get("lines", [])]
    variants = [content, {**content, "lines": long_lines * 8}] if kind in ("act", "estimate") else [content]
    fast = [render(variant) for variant in variants]
    monkeypatch.setattr(parts, "_table_class", lambda: Table)
    assert [render(variant) for variant in variants] == fast
