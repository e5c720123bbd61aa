"""The embedded font subsets our documents share: one fixed character order, each font program made once.

reportlab embeds a subset of each TrueType font per document, numbering the characters in the order the text
first uses them, so two documents almost never embed the same subset: each one cut the glyphs out of the font
again (``makeSubset``), checksummed the result in Python and compressed it, ~25 KB per font and a quarter of an
act's rendering time. Our documents number the same characters first, in the same order (``seed``: the Russian
alphabet and the signs the documents print), so their subsets are equal and the compressed font program is made
once per process (``share``). A document with a rarer character (say, Ukrainian «ї») gets it appended and a
subset of its own, made and kept the same way. Pages look the same and the text extracts the same; each
embedded font carries the whole Russian alphabet (~10 KB more per document). Documents that are not ours
(never seeded) are embedded exactly as reportlab does it."""

from __future__ import annotations

import threading
import zlib
from collections import OrderedDict
from collections.abc import Iterable

from reportlab.pdfbase.pdfdoc import PDFObject  # this module is imported only when a PDF is made

SHARED_ORDER = ("".join(chr(code) for code in range(0x410, 0x450))  # А … я
                + "Ёё«»№—–…“”„•−")
_MARK = "_vn_shared_subsets"  # set on a PDFDocument whose subsets may come from the cache
KEPT = 32  # subset programs kept per font (a few KB each, compressed)
# font name → subset → (compressed program, length); font name + "/objects" → (n, subset) → (widths, ToUnicode)
_kept: dict[str, OrderedDict] = {}
_lock = threading.Lock()
SHARING = True  # False: seeded documents are still numbered alike, but every object is made as reportlab makes it


def seed(doc, font_names: Iterable[str]) -> None:
    """Number ``SHARED_ORDER`` first in each of the (registered TrueType) fonts for the PDF document ``doc``
    (a canvas's ``_doc``), before any text is set, and let its subsets come from the cache."""
    from reportlab.pdfbase import pdfmetrics

    setattr(doc, _MARK, True)
    for name in font_names:
        pdfmetrics.getFont(name).splitString(SHARED_ORDER, doc)


def share(font) -> None:
    """Make the subset programs of ``font`` (a reportlab TTFont) once per process for seeded documents: the
    compressed program of a subset is kept (the ``KEPT`` most recent) and reused by every document that embeds
    the same subset; the PDF objects are those reportlab writes, byte for byte."""
    face = font.face
    original = face.addSubsetObjects
    kept = _kept.setdefault(font.fontName, OrderedDict())

    def add_subset_objects(doc, fontname, subset):
        if not (SHARING and getattr(doc, _MARK, False) and doc.compression):
            return original(doc, fontname, subset)
        key = tuple(subset)
        with _lock:
            program = kept.get(key)
            if program is not None:
                kept.move_to_end(key)
        if program is None:
            raw = face.makeSubset(subset)
            program = (zlib.compress(raw), len(raw))  # what reportlab's FlateDecode filter gives
            with _lock:
                kept[key] = program
                while len(kept) > KEPT:
                    kept.popitem(last=False)
        return _descriptor(doc, face, fontname, *program)

    face.addSubsetObjects = add_subset_objects
    original_objects = font.addObjects
    parts = _kept.setdefault(font.fontName + "/objects", OrderedDict())

    def add_objects(doc):
        if not (SHARING and getattr(doc, _MARK, False) and doc.compression):
            return original_objects(doc)
        return _add_objects(font, doc, parts)

    font.addObjects = add_objects


def forget() -> int:
    """Drop every kept subset program (they are made again on next use); returns how many were kept."""
    with _lock:
        count = sum(len(kept) for kept in _kept.values())
        for kept in _kept.values():
            kept.clear()
    return count


class _Formatted(PDFObject):
    """A PDF value formatted once (a subset's /Widths array), written as is into every document."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, _document) -> bytes:
        return self.data


def _add_objects(font, doc, parts: OrderedDict) -> None:
    """reportlab's ``TTFont.addObjects`` (one Font object per subset, its /Widths, its ToUnicode CMap and its
    FontDescriptor) with the formatted /Widths and the compressed CMap of a subset made once per process."""
    from reportlab.pdfbase import pdfdoc
    from reportlab.pdfbase.ttfonts import SUBSETN, makeToUnicodeCMap

    state = font._assignState(doc)
    state.frozen = 1
    face = font.face
    for n, subset in enumerate(state.subsets):
        internal_name = font.getSubsetInternalName(n, doc)[1:]
        base_font_name = b"".join((SUBSETN(n), b"+", face.name, face.subfontNameX)).decode("pdfdoc")
        key = (n, tuple(subset))
        with _lock:
            made = parts.get(key)
            if made is not None:
                parts.move_to_end(key)
        if made is None:
            widths = pdfdoc.PDFArray(list(map(face.getCharWidth, subset))).format(doc)
            made = (widths, zlib.compress(makeToUnicodeCMap(base_font_name, subset).encode("utf8")))
            with _lock:
                parts[key] = made
                while len(parts) > KEPT:
                    parts.popitem(last=False)
        pdf_font = pdfdoc.PDFTrueTypeFont()
        pdf_font.__Comment__ = f"Font {font.fontName} subset {n}"
        pdf_font.Name = internal_name
        pdf_font.BaseFont = base_font_name
        pdf_font.FirstChar = 0
        pdf_font.LastChar = len(subset) - 1
        pdf_font.Widths = _Formatted(made[0])
        cmap = pdfdoc.PDFStream(content=made[1])
        cmap.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName(pdfdoc.PDFZCompress.pdfname)])
        pdf_font.ToUnicode = doc.Reference(cmap, "toUnicodeCMap:" + base_font_name)
        pdf_font.FontDescriptor = face.addSubsetObjects(doc, base_font_name, subset)
        doc.Reference(pdf_font, internal_name)
        doc.idToObject["BasicFonts"].dict[internal_name] = pdf_font
    del font.state[doc]


def _descriptor(doc, face, fontname: str, compressed: bytes, length: int):
    """reportlab's ``TTFontFace.addSubsetObjects`` with the font program already compressed: the FontFile2
    stream and the FontDescriptor, returned as a reference."""
    from reportlab.pdfbase import pdfdoc
    from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC

    font_file = pdfdoc.PDFStream(content=compressed)
    font_file.dictionary["Length1"] = length
    font_file.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName(pdfdoc.PDFZCompress.pdfname)])
    font_file_ref = doc.Reference(font_file, f"fontFile:{face.filename}({fontname})")
    descriptor = pdfdoc.PDFDictionary({
        "Type": "/FontDescriptor",
        "Ascent": face.ascent,
        "CapHeight": face.capHeight,
        "Descent": face.descent,
        "Flags": (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC,
        "FontBBox": pdfdoc.PDFArray(face.bbox),
        "FontName": pdfdoc.PDFName(fontname),
        "ItalicAngle": face.italicAngle,
        "StemV": face.stemV,
        "FontFile2": font_file_ref,
        "MissingWidth": face.defaultWidth,
    })
    return doc.Reference(descriptor, "fontDescriptor:" + fontname)
