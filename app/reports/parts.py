"""Building blocks shared by the documents: heading, parties, tables, remarks, signatures."""

from __future__ import annotations

import re
import weakref
from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from xml.sax.saxutils import escape

from app.reports import text as t
from app.reports.styles import MM, PAGE_MARGINS, grid_style, plain_style, styles

PAGE_WIDTH_MM = 210
CONTENT_WIDTH = (PAGE_WIDTH_MM * MM) - PAGE_MARGINS["left"] - PAGE_MARGINS["right"]


def esc(value) -> str:
    return escape(str(value or ""))


def para(value: str, style=None, *, raw: bool = False, lines: bool = False):
    """A Paragraph of plain text (escaped) or of reportlab markup when ``raw``; ``lines``: the plain text's line
    breaks are kept (a reason typed as a list prints as one), each line escaped and joined by ``<br/>``.

    Plain text skips reportlab's markup parser: its fragments are made directly, exactly as the parser
    would make them (tests/reports/test_fast_paragraph.py checks that the PDFs stay byte for byte the same)."""
    style = style or styles().body
    cls = _paragraph_class()
    if raw:
        return cls(value, style)
    if lines and "\n" in str(value or ""):
        value = "\n".join(line.strip() for line in str(value).splitlines() if line.strip())
        result = cls("<br/>".join(esc(line) for line in value.split("\n")), style)
        result._plain = (value, style)  # cut into rows at line ends too (flow_rows, _chunks)
        result._lines = True
        return result
    text = esc(value)
    frags = _plain_frags(text, style)
    result = cls(text, style) if frags is None else cls(frags[0], frags[1], frags=frags[2])
    result._plain = (str(value or ""), style)  # lets a table cut a very long text into rows (flow_rows)
    return result


@cache
def _paragraph_class():
    from reportlab.platypus import Paragraph

    class CachedParagraph(Paragraph):
        """A Paragraph that remembers its last line breaking: a table asks each cell for its size two or
        three times at the same width (row heights, drawing, keep-together), and breaking is the slow part.
        A plain-text paragraph also takes the breaking of an equal one (same text, style and width) set in an
        earlier document: the headings, the parties, the closing statements repeat in every act."""

        def wrap(self, availWidth, availHeight):
            last = self.__dict__.get("_last_wrap")
            if last is not None and last[0] == availWidth and last[1] is self.__dict__.get("blPara"):
                return last[2]
            plain = self.__dict__.get("_plain")
            key = (None if plain is None or availWidth < _FUZZ or self.__dict__.get("_lines")  # its own markup
                   else (plain[0], id(plain[1]), availWidth))
            known = None if key is None else _breaks.get(key)
            if known is not None and known[0] is plain[1]:  # type: ignore[index]
                self.__dict__.update(known[1])
                size = (self.width, self.height)
            else:
                size = super().wrap(availWidth, availHeight)
                if key is not None:
                    if len(_breaks) >= MAX_BREAKS:
                        _breaks.clear()
                    _breaks[key] = (plain[1], {name: self.__dict__[name] for name in _WRAP_STATE  # type: ignore[index]
                                               if name in self.__dict__})
            self._last_wrap = (availWidth, self.__dict__.get("blPara"), size)
            return size

    return CachedParagraph


# what Paragraph.wrap (and breakLines inside it) sets on a paragraph: taken over whole by an equal one
_WRAP_STATE = ("width", "_wrapWidths", "blPara", "height", "_width_max", "_splitLongWordCount", "_hyphenations")
_breaks: dict[tuple[str, int, float], tuple[object, dict]] = {}  # (text, id(style), width) → (style, wrap state)
MAX_BREAKS = 20_000
_FUZZ = 1e-6  # reportlab's rl_config._FUZZ: narrower than this, Paragraph.wrap does not break at all


@cache
def _table_class():
    from reportlab.platypus import Table

    class CachedTable(Table):
        """A Table that is not laid out again when wrapped a second time at the same width after a layout that
        placed every row, in at least the height that layout took (KeepTogether measures its tables, then the
        frame places them: the same layout twice). Any other wrap, and every split, lays it out anew."""

        def _calc(self, availWidth, availHeight):
            super()._calc(availWidth, availHeight)
            self._laid_out = (availWidth, None not in self._rowHeights, self._height)

        def wrap(self, availWidth, availHeight):
            laid = self.__dict__.get("_laid_out")
            if laid is not None and laid[0] == availWidth and laid[1] and availHeight >= laid[2]:
                self.availWidth = availWidth
                return self._width, self._height
            return super().wrap(availWidth, availHeight)

    return CachedTable


_MARKUP = re.compile(r"(&amp;|&lt;|&gt;)")
_ENTITY = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}


def _plain_frags(escaped: str, style):
    """(text, style, fragments) as Paragraph's parser makes them for escaped plain text; None: let it parse."""
    from reportlab.platypus.paragraph import cleanBlockQuotedText

    text = cleanBlockQuotedText(escaped)
    if not text:
        return None
    template = _template(style)
    if template is None:
        return None
    parsed_style, frag = template
    frags = []
    for piece in _MARKUP.split(text):  # the parser gives each entity, and each run between them, a fragment
        if piece:
            frags.append(frag.clone(text=_ENTITY.get(piece, piece), link=[], us_lines=[]))
    return text, parsed_style, frags


_templates: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _template(style):
    """The parser's fragment for a plain word in ``style`` (everything but the text is the same for any)."""
    try:
        return _templates[style]
    except KeyError:
        pass
    from reportlab.platypus.paraparser import ParaParser

    parsed_style, frags, bullets = ParaParser().parse("x", style)
    usable = (frags is not None and len(frags) == 1 and not bullets
              and set(frags[0].__dict__) <= _KNOWN_FRAG_KEYS and frags[0].link == [] and frags[0].us_lines == [])
    found = (parsed_style, frags[0]) if usable else None
    _templates[style] = found
    return found


_KNOWN_FRAG_KEYS = {"rise", "greek", "link", "fontName", "bold", "italic", "fontSize", "textColor", "us_lines",
                    "__tag__", "text", "backColor", "underline", "strike"}


MAX_CELL_LINES = 15  # a table row is never split by reportlab: a cell longer than this is cut into rows


def _chunks(text: str, width_pt: float, font_size: float) -> list[str]:
    """``text`` cut at spaces into pieces of at most ~MAX_CELL_LINES lines in a column ``width_pt`` wide (a text
    of several lines, see ``para(lines=True)``, cut at its line ends, each line counted as the lines it takes)."""
    per_line = max(1, int(width_pt / (font_size * 0.62)))
    limit = per_line * MAX_CELL_LINES
    if "\n" in text:
        groups: list[str] = []
        group: list[str] = []
        used = 0
        for line in text.split("\n"):
            for piece in _chunks(line, width_pt, font_size):
                need = max(1, -(-len(piece) // per_line))
                if group and used + need > MAX_CELL_LINES:
                    groups.append("\n".join(group))
                    group, used = [], 0
                group.append(piece)
                used += need
        if group:
            groups.append("\n".join(group))
        return groups
    if len(text) <= limit:
        return [text]
    pieces, rest = [], text
    while len(rest) > limit:
        cut = rest.rfind(" ", 0, limit)
        cut = cut if cut > limit // 2 else limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def flow_rows(rows: list[list], widths_pt: Sequence[float],
              wide: frozenset[int] = frozenset()) -> tuple[list[list], list[int]]:
    """Rows whose plain-text cells are too long for one page become a row plus continuation rows (the other
    cells empty), so that any text a user typed flows across pages; returns the rows and, for each new row, the
    index of the row it continues (-1 for an original row)."""
    out: list[list] = []
    origin: list[int] = []
    for number, row in enumerate(rows):
        pieces = []
        row_widths = [sum(widths_pt), *widths_pt[1:]] if number in wide else widths_pt  # a cell spanning the row
        for cell, width in zip(row, row_widths, strict=False):
            plain = getattr(cell, "_plain", None)
            if plain is None:
                pieces.append([cell])
                continue
            value, style = plain
            chunks = _chunks(value, width - 8, style.fontSize)
            lines = bool(getattr(cell, "_lines", False))
            pieces.append([cell] if len(chunks) == 1 else [para(chunk, style, lines=lines) for chunk in chunks])
        height = max(len(p) for p in pieces) if pieces else 1
        for index in range(height):
            out.append([p[index] if index < len(p) else "" for p in pieces])
            origin.append(-1 if index == 0 else len(out) - 1 - index)
    return out, origin


def spacer(height_mm: float):
    from reportlab.platypus import Spacer

    return Spacer(1, height_mm * MM)


def heading(content: dict, title: str, subtitles: list[str]) -> list:
    """АКТ № АП-3/2026 / subtitle lines / г. Москва ……… «15» марта 2026 г."""
    Table = _table_class()

    s = styles()
    flow = [para(f"{title} № {esc(content['code'])}", s.title, raw=True)]
    flow += [para(line, s.subtitle) for line in subtitles if line]
    where = content.get("place") or (f"г.{t.NBSP}{content['city']}" if content.get("city") else "")
    rows, _origin = flow_rows([[para(where, s.body), para(t.quoted_date(content["issued_on"]), _right(s.body))]],
                              [CONTENT_WIDTH / 2] * 2)
    place = Table(rows, colWidths=[CONTENT_WIDTH / 2] * 2, style=plain_style())
    return [*flow, spacer(4), place, spacer(3)]


@cache
def _right(style):
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(style.name + "_r", parent=style, alignment=TA_RIGHT)


def contract_text(content: dict) -> str:
    contract = content.get("contract") or {}
    number = contract.get("no") or "________"
    when = t.short_date(contract.get("date")) if contract.get("date") else "«___» ____________ 20___ г."
    return f"Договор № {number} от {when}"


def parties(content: dict, *, extra: Sequence[tuple[str, str]] = ()) -> list:
    """Исполнитель / Заказчик with ИНН/КПП and address, Основание: договор № … от …, more rows."""
    Table = _table_class()

    s = styles()
    ex, cl = content["executor"], content["client"]
    rows = [
        ("Исполнитель:", t.party_line(ex["company"], ex["inn"], ex.get("kpp", ""), ex.get("address", ""),
                                      ogrn=ex.get("ogrn", ""), bank=t.bank_line(ex))),
        ("Заказчик:", t.party_line(cl["name"], cl["inn"], cl.get("kpp", ""), cl.get("address", ""),
                                   ogrn=cl.get("ogrn", ""), bank=t.bank_line(cl))),
        ("Основание:", contract_text(content)),
        *extra,
    ]
    widths = [38 * MM, CONTENT_WIDTH - 38 * MM]
    data, _origin = flow_rows([[para(label, s.label), para(value, s.cell)] for label, value in rows], widths)
    return [Table(data, colWidths=widths, hAlign="LEFT",
                  style=plain_style([("BOTTOMPADDING", (0, 0), (-1, -1), 2.5)]))]


def section(title: str) -> list:
    """A numbered heading; it starts a new page rather than stay alone at the bottom of one."""
    from reportlab.platypus import CondPageBreak

    return [CondPageBreak(35 * MM), para(title, styles().heading)]


def grid(rows: list[list], widths_mm: Sequence[float], *, header_rows: int = 1, extra: list | None = None,
         repeat: bool = True):
    """A bordered table whose header repeats on every page."""
    Table = _table_class()

    scale = CONTENT_WIDTH / (sum(widths_mm) * MM)
    widths = [w * MM * scale for w in widths_mm]
    head, body = rows[:header_rows], rows[header_rows:]
    commands = list(extra or [])
    wide = frozenset(c[1][1] - header_rows for c in commands
                     if c[0] == "SPAN" and c[1][0] == 0 and c[2][0] == -1 and c[1][1] == c[2][1])
    flowed, origin = flow_rows(body, widths, wide)
    if len(flowed) != len(body):  # continuation rows: renumber the extra commands, join them to their row
        new_index, position = {}, 0
        for index, source in enumerate(origin):
            if source == -1:
                new_index[position] = index + header_rows
                position += 1
        own = [c for c in commands if c[1][1] == c[2][1] and c[1][1] >= header_rows]  # one-row commands
        commands = [_shift(c, new_index, header_rows) for c in commands]
        for index, source in enumerate(origin):
            if source != -1:
                row = index + header_rows
                first = source + header_rows
                for c in own:  # a continued row keeps its row's span and shading
                    if new_index.get(c[1][1] - header_rows) == first:
                        commands.append((c[0], (c[1][0], row), (c[2][0], row), *c[3:]))
                # one cell continued: no rule between its pieces (drawn over the grid in white, then the
                # column rules again)
                spanned = any(c[0] == "SPAN" and new_index.get(c[1][1] - header_rows) == first for c in own)
                commands.append(("LINEBELOW", (0, row - 1), (-1, row - 1), 1.2, "white"))
                commands.append(("LINEBEFORE", (0, row - 1), (0 if spanned else -1, row), 0.6, "black"))
                commands.append(("LINEAFTER", (-1, row - 1), (-1, row), 0.6, "black"))
    return Table(head + flowed, colWidths=widths, repeatRows=header_rows if repeat else 0,
                 style=grid_style(header_rows, commands), hAlign="LEFT")


def _shift(command: tuple, new_index: dict[int, int], header_rows: int) -> tuple:
    """A table style command with its row numbers moved to where those rows went after ``flow_rows``."""
    name, start, end, *rest = command

    def move(cell):
        column, row = cell
        if row < header_rows or row < 0:
            return cell
        return column, new_index.get(row - header_rows, row)

    return (name, move(start), move(end), *rest)


# the price and the sum hold 99 999 999 999,99 on one line (the sum in bold, as the totals print it): sums in the
# billions wrapped as «1 234 567 / 890,12» (a tester, 2026-12-05); the quantity holds 999 999,99
MONEY_WIDTHS = [8, 56, 13, 21, 34, 38]


def vat_parts(vat) -> list[dict]:
    """VAT of a snapshot as a list of parts; a snapshot of the first version kept one dict (VAT included)."""
    if isinstance(vat, list):
        return vat
    vat = vat or {}
    if vat.get("rate") is None:
        return [{"mode": "none", "rate": None, "label": "Без налога (НДС)", "basis": "", "amount": "0.00"}]
    return [{"mode": "included", "rate": vat["rate"], "label": vat.get("label", ""), "basis": "",
             "amount": vat.get("amount", "0.00")}]


def has_vat(vat) -> bool:
    return any(part["mode"] != "none" for part in vat_parts(vat))


def money_table(lines: list[dict], total: str, vat, *, total_label: str = "Итого:",
                due_label: str | None = None, total_due: str | None = None) -> list:
    """№ · Наименование · Ед. · Кол-во · Цена, руб. · Сумма, руб.; then Итого, the VAT lines («Без налога (НДС)»,
    «В том числе НДС 20 %», «НДС 22 %»), «Всего (с учётом НДС)». The totals never leave the table: the last
    rows and the totals are kept together on one page."""
    from reportlab.lib import colors
    from reportlab.platypus import KeepTogether

    Table = _table_class()

    s = styles()
    head = [para(h, s.head) for h in ("№", "Наименование работ, услуг", "Ед. изм.", "Кол-во", "Цена, руб.",
                                      "Сумма, руб.")]
    rows = [head]
    for number, line in enumerate(lines, start=1):
        rows.append([para(str(number), s.cell_center), para(line["label"], s.cell),
                     para(line["unit"], s.cell_center), para(t.quantity(line["quantity"]), s.cell_right),
                     para(t.amount(line["rate"]), s.cell_right), para(t.amount(line["amount"]), s.cell_right)])
    parts = vat_parts(vat)
    totals = [(total_label, t.amount(total))]
    for part in parts:
        if part["mode"] == "none":
            totals.append(("Без налога (НДС)", "—"))
        else:
            totals.append((f"{part['label']}:", t.amount(part["amount"])))
    if due_label is None:
        due_label = "Всего (с учётом НДС):" if has_vat(vat) else "Всего:"
    totals.append((due_label, t.amount(total_due if total_due is not None else total)))
    scale = CONTENT_WIDTH / (sum(MONEY_WIDTHS) * MM)
    widths = [w * MM * scale for w in MONEY_WIDTHS]
    foot = Table([[para(label, s.cell_right_bold), para(value, s.cell_right_bold)] for label, value in totals],
                 colWidths=[sum(widths[:5]), widths[5]], hAlign="LEFT",
                 style=plain_style([("GRID", (1, 0), (1, -1), 0.6, colors.black),
                                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                    ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                                    ("LEFTPADDING", (0, 0), (-1, -1), 3.5),
                                    ("RIGHTPADDING", (0, 0), (-1, -1), 3.5)]))
    keep = min(2, len(rows) - 1)  # the last rows travel with the totals
    if len(rows) - keep <= 1:
        return [KeepTogether([grid(rows, MONEY_WIDTHS), foot])]
    body = grid(rows[:-keep], MONEY_WIDTHS)
    tail_rows, _origin = flow_rows(rows[-keep:], widths)
    tail = Table(tail_rows, colWidths=widths, style=grid_style(0), hAlign="LEFT")
    return [body, KeepTogether([tail, foot])]


def words_line(total: str, words: str, count: int) -> list:
    s = styles()
    return [spacer(2),
            para(f"Всего оказано услуг {count}, на сумму {esc(t.amount(total))}{t.NBSP}руб.", s.body, raw=True),
            para(words, s.words)]


def remarks(title: str = "Замечания заказчика:", lines: int = 4) -> list:
    """A heading and blank ruled lines to write on by hand."""
    from reportlab.lib import colors
    Table = _table_class()

    s = styles()
    rows = [[""] for _ in range(lines)]
    table = Table(rows, colWidths=[CONTENT_WIDTH], rowHeights=[7.5 * MM] * lines,
                  style=plain_style([("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.black)]))
    return [para(title, s.label), table]


def _party_column(title: str, company: str, position: str, poa: str) -> list:
    """Who signs: the party, the company, the position (or a blank to fill in) and the power of attorney."""
    s = styles()
    cells = [para(title, s.label), para(company, s.cell)]
    if position:
        cells.append(para(position, s.cell))
        if poa:
            cells.append(para(poa, s.cell))
    else:
        cells.append("")
    return cells


def _sign_column(name: str, width: float, blank_position: bool) -> list:
    """The signature line with «/ Фамилия И.О. /», captions, the date and М.П. (short: kept on one page)."""
    from reportlab.lib import colors
    Table = _table_class()

    s = styles()
    sign_w, name_w = width * 0.45, width * 0.55
    short = t.initials(name)
    if len(short) > 60:
        short = short[:60].rstrip() + "…"
    name_cell = para(f"/ {esc(short)} /" if short else "/ ____________________ /", s.cell, raw=True)
    flow = []
    if blank_position:  # blank to be filled in by hand, with a caption
        flow.append(Table([[""], [para("(должность)", s.caption)]], colWidths=[width], rowHeights=[6 * MM, None],
                          style=plain_style([("LINEBELOW", (0, 0), (0, 0), 0.6, colors.black)])))
    flow.append(Table(
        [["", name_cell], [para("(подпись)", s.caption), para("(Фамилия И.О.)", s.caption)]],
        colWidths=[sign_w, name_w], rowHeights=[10 * MM, None],
        style=plain_style([("LINEBELOW", (0, 0), (0, 0), 0.6, colors.black), ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
                           ("LEFTPADDING", (1, 0), (1, -1), 4)])))
    flow += [spacer(2.5), para(t.BLANK_DATE, s.cell), spacer(2.5), para("М.П. (при наличии)", s.cell)]
    return flow


def signatures(content: dict, *, left: str = "Исполнитель:", right: str = "Заказчик:",
               executor_person: str = "signer") -> list:
    """Signature blocks side by side: party, company, position (and power of attorney) — which flow across
    pages however long they are — then the signature lines, Фамилия И.О., date and М.П., kept together.

    ``executor_person`` is ``signer`` (who signs for the company) or ``specialist`` (who wrote it)."""
    Table = _table_class()

    ex, cl = content["executor"], content["client"]
    width = (CONTENT_WIDTH - 12 * MM) / 2
    widths = [width, 12 * MM, width]
    ex_position = ex.get(f"{executor_person}_position", "")
    poa = ex.get("poa", "") if executor_person == "signer" else ""
    lefts = _party_column(left, ex["company"], ex_position, poa)
    rights = _party_column(right, cl["name"], cl.get("signer_position", ""), "")
    count = max(len(lefts), len(rights))
    lefts += [""] * (count - len(lefts))
    rights += [""] * (count - len(rights))
    rows, _origin = flow_rows([[a, "", b] for a, b in zip(lefts, rights, strict=True)], widths)
    parties = Table(rows, colWidths=widths, style=plain_style([("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]),
                    hAlign="LEFT")
    signs = Table([[_sign_column(ex.get(f"{executor_person}_name", ""), width, not ex_position), "",
                    _sign_column(cl.get("signer_name", ""), width, not cl.get("signer_position", ""))]],
                  colWidths=widths, style=plain_style(), hAlign="LEFT")
    # one row: never split; callers keep it with the text before (never nest KeepTogether)
    return [spacer(6), parties, signs]


def statement(text: str) -> list:
    return [spacer(2), para(text, styles().body_justify)]


def decimal(value) -> Decimal:
    return Decimal(str(value))
