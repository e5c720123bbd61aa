"""A kanban card: its colours and fonts, its lines fitted to a column's width, and the delegate that paints it."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.domain.budget_summary import BudgetSummary
from app.domain.client_summary import ClientSummary
from app.i18n import _
from ui.models.client_columns import approach_label, whole_roubles
from ui.models.client_roles import ClientRole
from ui.models.names import list_name
from ui.palette import color, is_dark
from ui.views.pixmap_store import PixmapStore, painted_pixmap

APPROACHES = ("accompanied", "remote", "onsite")  # their strip colours come from ui.palette
MEMO_SIZE = 4096  # measurements a CardStyle keeps (CardStyle.measured)
FRAMES_BYTES = 4 << 20  # card frames a delegate keeps (~60 KB each at a pixel ratio of 1, ~250 KB at 2)
PIECES_BYTES = 2 << 20  # painted lines a delegate keeps (~12 KB each at 1, ~50 KB at 2)
T = TypeVar("T")
# as plain ints: PySide converts an enum flag argument per call (~3 µs of a card's six drawText calls each)
LEFT = int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value)
RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
ELIDE = Qt.TextElideMode.ElideRight
SELECTED, HAS_FOCUS, MOUSE_OVER = (QStyle.StateFlag.State_Selected, QStyle.StateFlag.State_HasFocus,
                                   QStyle.StateFlag.State_MouseOver)


class CardStyle:
    """The colours and fonts of the cards painted with one palette and font (and light or dark theme), made
    once: looking them up per card (ui.palette reads the application palette per colour) was a third of a
    card's paint, and a search keystroke paints up to ~25 new cards."""

    def __init__(self, palette: QPalette, font: QFont) -> None:
        role = QPalette.ColorRole
        self.base, self.mid = palette.color(role.Base), palette.color(role.Mid)
        self.highlight = palette.color(role.Highlight)
        self.hover = self.highlight.lighter(140)
        self.text, self.muted = palette.color(role.Text), palette.color(role.PlaceholderText)
        self.stalled, self.link, self.over_budget = color("stalled"), color("link"), color("over_budget")
        self.track, self.progress = color("track"), color("progress")
        self.strips = {approach: color(approach) for approach in APPROACHES}
        self.font = QFont(font)
        self.bold = QFont(font)
        self.bold.setBold(True)
        self.small = QFont(font)
        if self.small.pointSizeF() > 0:
            self.small.setPointSizeF(max(6.0, self.small.pointSizeF() * 0.9))
        # the card's fixed wordings in the interface language of the moment (a new language: a new style)
        self.days, self.lessons, self.lessons_short = _("{n} d"), _("Lessons {done}/{total}"), _("Les. {done}/{total}")
        self.stalled_text, self.questions = _("Stalled at this stage"), _("?{n}")
        # what cards share, measured once: the stalled line and approach labels elided to a width, the days'
        # and lessons' widths, the third line's layout (few distinct values; a fresh card measured them each time);
        # and each name elided to its width, for a card painted again once its pixmap left the cache
        self.memo: dict[tuple, object] = {}
        self.key: tuple = ()  # what the delegate made it for (palette, colour group, font, theme, language)

    def measured(self, key: tuple, make: Callable[[], T]) -> T:
        """``make()`` for ``key`` (a tuple naming what is measured and every input: font, text, width, device
        DPI), kept while this style lives; at most MEMO_SIZE values (then forgotten at once)."""
        memo = self.memo
        try:
            return memo[key]  # type: ignore[return-value]
        except KeyError:
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            value = memo[key] = make()
            return value


def budget_text(budget: BudgetSummary, metrics: QFontMetrics, width: int) -> str:
    """The card's «actual of planned» line in the longest wording that fits ``width`` pixels, so that a sum
    is never cut in the middle («Факт 267 40…»): «Факт 267 400 из 300 000 ₽», «267 400 из 300 000 ₽»,
    «267 400 / 300 000 ₽», «267 400 ₽» (the tooltip has the full line); ▲ in front when over budget."""
    actual, planned = whole_roubles(budget.actual_total), whole_roubles(budget.planned_total)
    if budget.unreadable:  # the work log holds entries the program cannot read: no fact to show (the card says why)
        actual = "—"
    texts = [_("Actual {actual} of {planned} ₽").format(actual=actual, planned=planned),
             _("{actual} of {planned} ₽").format(actual=actual, planned=planned),
             f"{actual} / {planned} ₽", f"{actual} ₽"]
    if budget.over_budget:
        texts = ["▲ " + t for t in texts]
    for text in texts:
        if metrics.horizontalAdvance(text) <= width:
            return text
    return metrics.elidedText(texts[-1], Qt.TextElideMode.ElideRight, width)


def progress_line(metrics: QFontMetrics, width: int, lessons: str, short: str, done: int,
                  total: int) -> tuple[str, int, str]:
    """A card's third line in ``width`` pixels: (the lessons text — ``lessons`` or its ``short`` form, elided only
    when even that is too wide alone; the checklist bar's width, 0 for none; the checklist's «done/total», ""
    when it does not fit beside either form of the lessons). The short form is taken to keep «done/total» in
    sight; the lessons stay right, the bar and «done/total» on the left; nothing overlaps (trial 17: at 14 pt
    «1/4» was painted over «Уроки 6/26»)."""

    def wide(text: str) -> int:
        return metrics.horizontalAdvance(text) + 2

    check = f"{done}/{total}" if total else ""
    check_width = metrics.horizontalAdvance(check) + 4 if check else 0
    if check:
        for text in (lessons, short):
            if 4 + check_width + 6 + wide(text) <= width:
                bar_width = width - wide(text) - check_width - 10
                return text, (bar_width if bar_width > 12 else 0), check
    for text in (lessons, short):  # not even «done/total» beside the lessons: the lessons alone
        if wide(text) <= width:
            return text, 0, ""
    return metrics.elidedText(short, Qt.TextElideMode.ElideRight, max(0, width - 2)), 0, ""


def budget_marks(budget: BudgetSummary | None) -> str:
    """Short marks for logged hours / on-site days over the estimate (empty when within it)."""
    if budget is None:
        return ""
    return " ".join(mark for mark, over in ((_("▲h"), budget.hours_over), (_("▲d"), budget.days_over)) if over)


class CardDelegate(QStyledItemDelegate):
    """Paints one client card: name, approach, checklist progress, lessons, days in stage, stalled
    mark and, when the client has an estimate, actual against planned cost with an over-budget mark."""

    MARGIN = 4
    PAD = 8
    CACHE_SIZE = 240  # painted cards kept as pixmaps (a screenful is ~40)
    _STATE = QStyle.StateFlag.State_Selected | QStyle.StateFlag.State_HasFocus | QStyle.StateFlag.State_MouseOver

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._cache: OrderedDict[tuple, QPixmap] = OrderedDict()
        self._styles: dict[tuple, CardStyle] = {}
        self._frames = PixmapStore(FRAMES_BYTES)  # a card's cell with its frame, by kind (see paint)
        self._pieces = PixmapStore(PIECES_BYTES)  # lines cards share (see _piece)

    def style_for(self, option: QStyleOptionViewItem) -> CardStyle:
        """The card style of ``option``'s palette and font in the current theme and language (made once per
        combination)."""
        palette = option.palette
        return self._style(palette.cacheKey(), palette.currentColorGroup().value, option.font.key(), option)

    def _style(self, palette_key: int, group: int, font_key: str, option: QStyleOptionViewItem) -> CardStyle:
        """``style_for`` with the option's palette key, colour group and font key already read (``paint`` reads
        them once for its pixmap key). The theme (``is_dark``: the strips' and marks' colours follow the
        application palette, which a view's own palette need not) and the language (one of its wordings) are in
        the key too."""
        key = (palette_key, group, font_key, is_dark(), _("Lessons {done}/{total}"))
        style = self._styles.get(key)
        if style is None:
            if len(self._styles) > 16:  # palettes and fonts come and go with theme and scale changes
                self._styles.clear()
            style = self._styles[key] = CardStyle(option.palette, option.font)
            style.key = key
        return style

    def _lines(self, option: QStyleOptionViewItem) -> tuple[int, int]:
        fm = option.fontMetrics
        return fm.height(), fm.height() + 3

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        _h, step = self._lines(option)
        return QSize(160, 4 * step + 2 * self.PAD + 2 * self.MARGIN)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        """Blit the card from a pixmap cache when nothing it shows has changed: a move or a filter
        shifts cards, a reload hands over equal rows, and repainting them in Python costs ~1 ms each.

        The card's whole cell is painted, its margins in the view's base colour: a table view (CardColumnView)
        has the style paint a selected row's background first, which must not show around the card."""
        card = index.data(ClientRole.CARD)
        if card is None:
            return super().paint(painter, option, index)
        rect = option.rect
        device = painter.device()
        ratio = device.devicePixelRatioF() if device is not None else 1.0
        palette = option.palette
        palette_key, group, font_key = palette.cacheKey(), palette.currentColorGroup().value, option.font.key()
        key = (card, int((option.state & self._STATE).value), rect.width(), rect.height(), ratio, palette_key, group,
               font_key, _("Lessons {done}/{total}"))
        try:
            pixmap = self._cache.get(key)
        except TypeError:  # something on the card is not hashable: paint it every time
            painter.fillRect(rect, palette.brush(palette.currentColorGroup(), QPalette.ColorRole.Base))
            self.paint_card(painter, option, *card)
            return
        if pixmap is None:
            local = QStyleOptionViewItem(option)
            local.rect = QRect(0, 0, rect.width(), rect.height())
            style = self._style(palette_key, group, font_key, option)
            summary, stalled = card[0], card[1]
            # the frame (background, border, strip) shared by cards alike, copied: its antialiased rounded
            # rectangles were a third of a fresh card's paint
            pixmap = self._frames.get(
                (style.key, rect.width(), rect.height(), ratio, key[1], stalled, summary.approach),
                lambda: self._frame_pixmap(local, style, ratio, stalled, summary.approach)).copy()
            card_painter = QPainter(pixmap)
            try:
                card_painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
                self.paint_lines(card_painter, local, *card, style=style, pieces=True)
            finally:
                card_painter.end()
            self._cache[key] = pixmap
            if len(self._cache) > self.CACHE_SIZE:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        painter.drawPixmap(rect.topLeft(), pixmap)

    def _frame_pixmap(self, option: QStyleOptionViewItem, style: CardStyle, ratio: float, stalled: bool,
                      approach: str) -> QPixmap:
        """A card's cell (``option.rect`` at the origin) in the view's base colour with the card's frame painted."""
        return painted_pixmap(option.rect.width(), option.rect.height(), ratio, style.base,
                              lambda painter: self.paint_frame(painter, option, style, stalled, approach))

    def _piece(self, painter: QPainter, style: CardStyle, key: tuple, area: QRect,
               draw: Callable[[QPainter], None]) -> None:
        """Paint what ``draw(painter)`` paints inside ``area`` (a part of the card on the base colour that nothing
        else paints into) by copying a pixmap kept for ``key`` (every input of ``draw`` but the area's place:
        texts, widths, the device's DPI; the style and the pixel ratio are added here). The same pixels as drawn
        directly: the same calls, moved by whole device pixels, on the same colour — so only at a whole pixel
        ratio (at 1.25 or 1.5 an odd place is half a device pixel: the text's antialiasing would differ), else
        drawn directly. For a painter without a transform (the card's own pixmap)."""
        device = painter.device()
        ratio = device.devicePixelRatioF() if device is not None else 1.0
        if not ratio.is_integer():
            draw(painter)
            return

        def moved(local: QPainter) -> None:
            local.translate(-area.left(), -area.top())
            draw(local)

        pixmap = self._pieces.get((style.key, ratio, *key),
                                  lambda: painted_pixmap(area.width(), area.height(), ratio, style.base, moved))
        painter.drawPixmap(area.topLeft(), pixmap)

    def paint_card(self, painter: QPainter, option: QStyleOptionViewItem, summary: ClientSummary, stalled: bool,
                   budget: BudgetSummary | None, days: int, questions: int = 0, *,
                   style: CardStyle | None = None) -> None:
        """Paint one card into ``option.rect`` (its frame, then its lines); ``style``: ``style_for(option)`` when
        the caller has it."""
        if style is None:
            style = self.style_for(option)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.paint_frame(painter, option, style, stalled, summary.approach)
        self.paint_lines(painter, option, summary, stalled, budget, days, questions, style=style)
        painter.restore()

    def paint_frame(self, painter: QPainter, option: QStyleOptionViewItem, style: CardStyle, stalled: bool,
                    approach: str) -> None:
        """The card's background and border (by selection, focus, hover and stall) and its approach's strip."""
        state = option.state
        selected = bool(state & SELECTED)
        focused = bool(state & HAS_FOCUS)
        hovered = bool(state & MOUSE_OVER)
        card = option.rect.adjusted(self.MARGIN, self.MARGIN, -self.MARGIN, -self.MARGIN)
        border = style.highlight if selected else (style.stalled if stalled else style.mid)
        if hovered and not selected:
            painter.setPen(QPen(style.hover, 1))
        else:
            painter.setPen(QPen(border, 2 if selected or (focused and selected) else 1))
        painter.setBrush(style.base)
        painter.drawRoundedRect(card, 6, 6)  # filled, then its border
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(style.strips.get(approach, style.mid))
        painter.drawRoundedRect(QRect(card.left(), card.top(), 5, card.height()), 2, 2)

    def paint_lines(self, painter: QPainter, option: QStyleOptionViewItem, summary: ClientSummary, stalled: bool,
                    budget: BudgetSummary | None, days: int, questions: int = 0, *, style: CardStyle,
                    pieces: bool = False) -> None:
        """The card's four lines of text, progress bar and marks (antialiased painter; sets pen, brush and font).
        ``pieces``: the painter has no transform and the card's background is in place (the card's own pixmap):
        lines that repeat from card to card are copied from pieces (``_piece``)."""
        measured = style.measured
        device = painter.device()
        dpi = device.logicalDpiY() if device is not None else 0  # the metrics' device
        card = option.rect.adjusted(self.MARGIN, self.MARGIN, -self.MARGIN, -self.MARGIN)
        text_color = style.text
        muted = style.muted
        height, step = self._lines(option)
        left = card.left() + 5 + self.PAD
        width = card.right() - self.PAD - left
        top = card.top() + self.PAD
        bold, small = style.bold, style.small

        # line 1: name, open questions on the right (issue 16)
        painter.setFont(bold)
        name_width = width
        if questions:
            mark = style.questions.format(n=questions)
            mark_width = painter.fontMetrics().horizontalAdvance(mark) + 2
            painter.setPen(style.link)
            painter.drawText(QRect(left + width - mark_width, top, mark_width, height), RIGHT, mark)
            name_width = max(0, width - mark_width - 6)
        painter.setPen(text_color)
        name_metrics = painter.fontMetrics()
        name = measured(("name", dpi, summary.name, name_width),
                        lambda: name_metrics.elidedText(list_name(summary.name), ELIDE, name_width))
        painter.drawText(QRect(left, top, name_width, height), LEFT, name)

        # line 2: approach, days in stage (stalled mark) on the right
        top += step
        painter.setFont(small)
        days_text = style.days.format(n=days)
        if stalled:
            days_text = "◷ " + days_text
        fm = painter.fontMetrics()
        days_width = measured(("advance", dpi, days_text), lambda: fm.horizontalAdvance(days_text)) + 2
        painter.setPen(style.stalled if stalled else muted)
        painter.drawText(QRect(left + width - days_width, top, days_width, height), RIGHT, days_text)
        painter.setPen(muted)
        approach_width = max(0, width - days_width - 6)
        approach = measured(("approach", dpi, summary.approach, approach_width),
                            lambda: fm.elidedText(approach_label(summary.approach), ELIDE, approach_width))
        painter.drawText(QRect(left, top, width - days_width - 6, height), LEFT, approach)

        # line 3: checklist progress bar + lessons
        top += step
        done, total = summary.lessons_done, summary.lessons_total
        checked, checks = summary.checklist_done, summary.checklist_total

        def third_line() -> tuple[str, int, str, int, int]:
            line = progress_line(fm, width, style.lessons.format(done=done, total=total),
                                 style.lessons_short.format(done=done, total=total), checked, checks)
            return (*line, fm.horizontalAdvance(line[0]) + 2, fm.horizontalAdvance(line[2]) + 4 if line[2] else 0)

        lessons_text, bar_width, check_text, lessons_width, check_width = measured(
            ("third line", dpi, width, done, total, checked, checks), third_line)
        line_top = top

        def draw_third(painter: QPainter) -> None:
            painter.setFont(small)
            painter.setPen(muted)
            painter.drawText(QRect(left + width - lessons_width, line_top, lessons_width, height), RIGHT, lessons_text)
            if bar_width:
                bar = QRect(left, line_top + height // 2 - 3, bar_width, 6)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(style.track)
                painter.drawRoundedRect(bar, 3, 3)
                filled = QRect(bar)
                filled.setWidth(int(bar_width * checked / checks))
                if filled.width() > 0:
                    painter.setBrush(style.progress)
                    painter.drawRoundedRect(filled, 3, 3)
            if check_text:
                painter.setPen(text_color)
                painter.drawText(QRect(left + bar_width + 4, line_top, check_width, height), LEFT, check_text)

        if pieces:  # lines 3 and 4 repeat from card to card: painted once, copied
            self._piece(painter, style, ("third", dpi, width, height, done, total, checked, checks),
                        QRect(left - 2, top, width + 4, step), draw_third)
        else:
            draw_third(painter)

        # line 4: estimate against actual
        top += step
        if budget is not None and budget.has_estimate:
            over = budget.over_budget
            marks = budget_marks(budget)
            text_width = width
            if marks:  # hours / days over the estimate, on the right
                painter.setFont(bold)
                marks_width = painter.fontMetrics().horizontalAdvance(marks) + 2
                painter.setPen(style.over_budget)
                painter.drawText(QRect(left + width - marks_width, top, marks_width, height), RIGHT, marks)
                text_width = max(0, width - marks_width - 6)
            painter.setPen(style.over_budget if over else muted)
            painter.setFont(bold if over else small)
            text = budget_text(budget, painter.fontMetrics(), text_width)
            painter.drawText(QRect(left, top, text_width, height), LEFT, text)
        elif stalled:
            stalled_text = measured(("stalled", dpi, width), lambda: fm.elidedText(style.stalled_text, ELIDE, width))
            line_top = top

            def draw_stalled(painter: QPainter) -> None:
                painter.setFont(small)
                painter.setPen(style.stalled)
                painter.drawText(QRect(left, line_top, width, height), LEFT, stalled_text)

            if pieces:
                self._piece(painter, style, ("stalled", dpi, width, height, stalled_text),
                            QRect(left - 2, top, width + 4, step), draw_stalled)
            else:
                draw_stalled(painter)
