"""Stage kanban (``stageKanban``): five QListView columns over filter proxies, cards painted by a delegate."""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QSize,
    QSizeF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QListView,
    QMenu,
    QScrollArea,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.budget_summary import BudgetSummary
from app.domain.client_summary import ClientSummary
from app.domain.stages import STAGE_SHORT, Stage
from app.i18n import _, format_number
from ui.models.clients import (
    ClientFilter,
    ClientRole,
    ClientTableModel,
    approach_label,
    whole_roubles,
)
from ui.models.kanban_columns import KanbanColumnModel
from ui.models.names import list_name
from ui.palette import color, hex_color, is_dark
from ui.views.groove_style import cache_grooves

APPROACHES = ("accompanied", "remote", "onsite")  # their strip colours come from ui.palette
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
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


def budget_text(budget: BudgetSummary, metrics: QFontMetrics, width: int) -> str:
    """The card's «actual of planned» line in the longest wording that fits ``width`` pixels, so that a sum
    is never cut in the middle («Факт 267 40…»): «Факт 267 400 из 300 000 ₽», «267 400 из 300 000 ₽»,
    «267 400 / 300 000 ₽», «267 400 ₽» (the tooltip has the full line); ▲ in front when over budget."""
    actual, planned = whole_roubles(budget.actual_total), whole_roubles(budget.planned_total)
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

    def style_for(self, option: QStyleOptionViewItem) -> CardStyle:
        """The card style of ``option``'s palette and font in the current theme (made once per combination)."""
        palette = option.palette
        key = (palette.cacheKey(), palette.currentColorGroup().value, option.font.key(), is_dark())
        style = self._styles.get(key)
        if style is None:
            if len(self._styles) > 16:  # palettes and fonts come and go with theme and scale changes
                self._styles.clear()
            style = self._styles[key] = CardStyle(palette, option.font)
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
        shifts cards, a reload hands over equal rows, and repainting them in Python costs ~1 ms each."""
        card = index.data(ClientRole.CARD)
        if card is None:
            return super().paint(painter, option, index)
        rect = option.rect
        device = painter.device()
        ratio = device.devicePixelRatioF() if device is not None else 1.0
        key = (card, int((option.state & self._STATE).value), rect.width(), rect.height(), ratio,
               option.palette.cacheKey(), option.palette.currentColorGroup().value, option.font.key(),
               _("Lessons {done}/{total}"))
        try:
            pixmap = self._cache.get(key)
        except TypeError:  # something on the card is not hashable: paint it every time
            self.paint_card(painter, option, *card)
            return
        if pixmap is None:
            pixmap = QPixmap(max(1, round(rect.width() * ratio)), max(1, round(rect.height() * ratio)))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            local = QStyleOptionViewItem(option)
            local.rect = QRect(0, 0, rect.width(), rect.height())
            card_painter = QPainter(pixmap)
            try:
                self.paint_card(card_painter, local, *card)
            finally:
                card_painter.end()
            self._cache[key] = pixmap
            if len(self._cache) > self.CACHE_SIZE:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        painter.drawPixmap(rect.topLeft(), pixmap)

    def paint_card(self, painter: QPainter, option: QStyleOptionViewItem, summary: ClientSummary, stalled: bool,
                   budget: BudgetSummary | None, days: int, questions: int = 0) -> None:
        style = self.style_for(option)
        state = option.state
        selected = bool(state & SELECTED)
        focused = bool(state & HAS_FOCUS)
        hovered = bool(state & MOUSE_OVER)

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        card = option.rect.adjusted(self.MARGIN, self.MARGIN, -self.MARGIN, -self.MARGIN)
        path = QPainterPath()
        path.addRoundedRect(card, 6, 6)
        painter.fillPath(path, style.base)
        border = style.highlight if selected else (style.stalled if stalled else style.mid)
        painter.setPen(QPen(border, 2 if selected or (focused and selected) else 1))
        if hovered and not selected:
            painter.setPen(QPen(style.hover, 1))
        painter.drawPath(path)
        strip = QRect(card.left(), card.top(), 5, card.height())
        strip_path = QPainterPath()
        strip_path.addRoundedRect(strip, 2, 2)
        painter.fillPath(strip_path, style.strips.get(summary.approach, style.mid))

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
            mark = _("?{n}").format(n=questions)
            mark_width = painter.fontMetrics().horizontalAdvance(mark) + 2
            painter.setPen(style.link)
            painter.drawText(QRect(left + width - mark_width, top, mark_width, height), RIGHT, mark)
            name_width = max(0, width - mark_width - 6)
        painter.setPen(text_color)
        name = painter.fontMetrics().elidedText(list_name(summary.name), ELIDE, name_width)
        painter.drawText(QRect(left, top, name_width, height), LEFT, name)

        # line 2: approach, days in stage (stalled mark) on the right
        top += step
        painter.setFont(small)
        days_text = _("{n} d").format(n=days)
        if stalled:
            days_text = "◷ " + days_text
        fm = painter.fontMetrics()
        days_width = fm.horizontalAdvance(days_text) + 2
        painter.setPen(style.stalled if stalled else muted)
        painter.drawText(QRect(left + width - days_width, top, days_width, height), RIGHT, days_text)
        painter.setPen(muted)
        approach = fm.elidedText(approach_label(summary.approach), ELIDE, max(0, width - days_width - 6))
        painter.drawText(QRect(left, top, width - days_width - 6, height), LEFT, approach)

        # line 3: checklist progress bar + lessons
        top += step
        done, total = summary.lessons_done, summary.lessons_total
        lessons_text, bar_width, check_text = progress_line(
            fm, width, _("Lessons {done}/{total}").format(done=done, total=total),
            _("Les. {done}/{total}").format(done=done, total=total), summary.checklist_done, summary.checklist_total)
        lessons_width = fm.horizontalAdvance(lessons_text) + 2
        painter.setPen(muted)
        painter.drawText(QRect(left + width - lessons_width, top, lessons_width, height), RIGHT, lessons_text)
        if bar_width:
            bar = QRect(left, top + height // 2 - 3, bar_width, 6)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(style.track)
            painter.drawRoundedRect(bar, 3, 3)
            filled = QRect(bar)
            filled.setWidth(int(bar_width * summary.checklist_done / summary.checklist_total))
            if filled.width() > 0:
                painter.setBrush(style.progress)
                painter.drawRoundedRect(filled, 3, 3)
        if check_text:
            painter.setPen(text_color)
            painter.drawText(QRect(left + bar_width + 4, top, fm.horizontalAdvance(check_text) + 4, height), LEFT,
                             check_text)

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
            painter.setPen(style.stalled)
            painter.drawText(QRect(left, top, width, height), LEFT,
                             fm.elidedText(_("Stalled at this stage"), ELIDE, width))
        painter.setFont(style.font)
        painter.restore()


class ColumnHeader(QWidget):
    """A column's title line — the stage in bold, then «· count» in a colour — that repaints itself when its
    text changes and nothing else: the count changes with every move, and a QLabel's geometry update re-laid
    out the board and repainted all five columns (a third of a move's time at 5 000 clients). The two parts
    are plain-text QStaticText: a rich-text line was laid out anew by Qt's HTML engine at each count change,
    ~1 ms a column, five a search keystroke. A column too narrow for the line elides the stage name first, so
    that the count and its over-limit ⚠ stay in sight (``shown_parts``); the tooltip holds the line whole."""

    MARGINS = (6, 4, 6, 2)  # left, top, right, bottom
    GAP = 4  # pixels between the title and the count (a space of the old rich-text line)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._parts = ("", "", "")
        self._shorter: tuple[str, ...] = ()
        self._title = self._plain()
        self._count = self._plain()
        self._color = QColor()

    @staticmethod
    def _plain() -> QStaticText:
        static = QStaticText()
        static.setTextFormat(Qt.TextFormat.PlainText)
        static.setPerformanceHint(QStaticText.PerformanceHint.AggressiveCaching)
        return static

    def text(self) -> str:
        """The line as markup (``<b>title</b> <span style='color:#…'>count</span>``): what is painted, for tests
        (screen readers get ``accessibleName``, «title · count»)."""
        title, count, color = self._parts
        return f"<b>{title}</b> <span style='color:{color}'>{count}</span>"

    def _bold(self) -> QFont:
        bold = QFont(self.font())
        bold.setBold(True)
        return bold

    def text_size(self) -> QSizeF:
        """The laid-out size of the line (pixels): one line however narrow the column."""
        title, count = self._title.size(), self._count.size()
        line = float(QFontMetrics(self._bold()).height())  # an empty part has no height of its own
        return QSizeF(title.width() + self.GAP + count.width(), max(line, title.height(), count.height()))

    def set_line(self, title: str, count: str, color: str, shorter: tuple[str, ...] = ()) -> None:
        """Show ``title`` in bold and ``count`` (e.g. «· 12 из 214 / 1 ⚠») in ``color`` (a ``#rrggbb`` name);
        ``shorter``: the count in fewer words, longest first (e.g. «· 12 из 214 ⚠», «· 12 ⚠»), for a narrow column."""
        if (title, count, color) == self._parts and shorter == self._shorter:
            return
        self._parts = (title, count, color)
        self._shorter = shorter
        self._title.setText(title)
        self._count.setText(count)
        self._color = QColor(color)
        self.setAccessibleName(f"{title} {count}")
        self._lay_out()

    def _lay_out(self) -> None:
        """Lay both parts out in the widget's font now (sizes are known before the paint) and repaint."""
        self._title.prepare(QTransform(), self._bold())
        self._count.prepare(QTransform(), self.font())
        self.update()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._lay_out()

    def sizeHint(self) -> QSize:
        left, top, right, bottom = self.MARGINS
        return QSize(left + right + 60, QFontMetrics(self._bold()).height() + top + bottom)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def shown_parts(self) -> tuple[str, str] | None:
        """What a column too narrow for the whole line shows: (title, count) so that the count and its ⚠ stay in
        sight — the longest form of the count that leaves room for the stage name's first letters (the name
        elided, the tooltip holds it), else the shortest form elided in the middle and no name. None when the
        whole line fits (the laid-out parts are painted as they are)."""
        left, _top, right, _bottom = self.MARGINS
        room = self.width() - left - right
        if self.text_size().width() <= room:
            return None
        title, count, _color = self._parts
        bold, plain = QFontMetrics(self._bold()), self.fontMetrics()
        least_title = bold.horizontalAdvance(title[:2] + "…") + self.GAP
        for form in (count, *self._shorter):
            width = plain.horizontalAdvance(form)
            if width + least_title <= room:
                return bold.elidedText(title, Qt.TextElideMode.ElideRight, room - width - self.GAP), form
        return "", plain.elidedText((count, *self._shorter)[-1], Qt.TextElideMode.ElideMiddle, max(0, room))

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        left, top, _right, _bottom = self.MARGINS
        title_color = self.palette().color(QPalette.ColorRole.WindowText)
        shown = self.shown_parts()
        if shown is None:  # the common case: the parts laid out once per change
            painter.setFont(self._bold())
            painter.setPen(title_color)
            painter.drawStaticText(left, top, self._title)
            painter.setFont(self.font())
            painter.setPen(self._color)
            painter.drawStaticText(QPointF(left + self._title.size().width() + self.GAP, top), self._count)
        else:
            title, count = shown
            height = self.height() - top
            painter.setFont(self._bold())
            painter.setPen(title_color)
            title_width = painter.fontMetrics().horizontalAdvance(title) if title else -self.GAP
            painter.drawText(QRect(left, top, title_width, height), Qt.AlignmentFlag.AlignLeft, title)
            painter.setFont(self.font())
            painter.setPen(self._color)
            painter.drawText(QRect(left + title_width + self.GAP, top, self.width(), height),
                             Qt.AlignmentFlag.AlignLeft, count)
        painter.end()


class KanbanColumn(QFrame):
    """Header (title, count, soft limit) and a QListView of cards."""

    def __init__(self, stage: Stage, model: KanbanColumnModel, delegate: CardDelegate,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self.model = model
        self.limit = 0
        self.setObjectName(f"kanbanColumn{int(stage)}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.header = ColumnHeader(self)
        self.header.setObjectName(f"kanbanHeader{int(stage)}")
        self.view = QListView(self)
        self.view.setObjectName(f"kanbanList{int(stage)}")
        self.view.setAccessibleName(_("Clients at stage «{stage}»").format(stage=_(STAGE_SHORT[stage])))
        self.view.setModel(model)
        self.view.setItemDelegate(delegate)
        self.view.setUniformItemSizes(True)
        self.view.setMouseTracking(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        cache_grooves(self.view)  # its bar repaints with every count change: Fusion's groove from a cache
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setMinimumWidth(150)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        layout.addWidget(self.header)
        layout.addWidget(self.view, 1)
        self._header_timer = QTimer(self)  # a filter change removes rows one range at a time: coalesce
        self._header_timer.setSingleShot(True)
        self._header_timer.setInterval(0)
        self._header_timer.timeout.connect(self.update_header)
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self._header_timer.start)
        self.update_header()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the count's colour comes from the palette
            self.update_header()

    def update_header(self, *args) -> None:
        self._header_timer.stop()
        shown, total = self.model.rowCount(), self.model.total_count()
        title = _(STAGE_SHORT[self.stage])
        shown_text, total_text = format_number(shown), format_number(total)
        count = total_text if shown == total else _("{shown} of {total}").format(shown=shown_text, total=total_text)
        whole = count
        over = self.limit and total > self.limit
        tip = ""
        if self.limit:
            count += f" / {format_number(self.limit)}"
            tip = _("Soft limit {limit}: {n} clients at this stage.").format(limit=format_number(self.limit),
                                                                           n=total_text)
        color = hex_color("over_budget" if over else "muted")
        mark = " ⚠" if over else ""
        shorter = (f"· {whole}{mark}", f"· {shown_text}{mark}") if self.limit or shown != total else ()
        self.header.set_line(title, f"· {count}{mark}", color, tuple(dict.fromkeys(shorter)))
        self.header.setToolTip(f"{title} · {count}{mark}" + (f"\n{tip}" if tip else ""))


class KanbanBoard(QWidget):
    """The five stage columns side by side in a horizontal scroll area (``scroller``: a window narrower than
    ~1 366 px scrolls instead of squeezing the 150 px lists); emits the current card and move requests (drops)."""

    current_changed = Signal(object)  # client id or None
    activated = Signal(int)
    move_requested = Signal(int, int)  # client id, target stage
    signoff_requested = Signal(int)  # client id: the sign-off sheet of its current stage (context menu)
    move_refused = Signal(str)  # why a card cannot go to the column it is dragged over

    def __init__(self, model: ClientTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stageKanban")
        self.model = model
        self.delegate = CardDelegate(self)
        self.columns: list[KanbanColumn] = []
        self._refused_over: QWidget | None = None  # the viewport a refusal was explained for, during the current drag
        # below ~1 366 px the five columns do not fit at their minimum width: the board scrolls sideways
        # instead of squeezing the columns under their lists (they overlapped at 1 000 px)
        self.scroller = QScrollArea(self)
        self.scroller.setObjectName("kanbanScroll")
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.strip = QWidget(self.scroller)
        self.strip.setObjectName("kanbanStrip")
        self.scroller.setWidget(self.strip)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroller)
        layout = QHBoxLayout(self.strip)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for stage in Stage:
            column_model = KanbanColumnModel(int(stage), model, self)
            column_model.move_requested.connect(self.move_requested.emit, Qt.ConnectionType.QueuedConnection)
            column_model.move_refused.connect(self.move_refused.emit)
            column = KanbanColumn(stage, column_model, self.delegate, self.strip)
            column.view.selectionModel().currentChanged.connect(
                lambda current, _prev, c=column: self._on_current(c, current))
            column.view.activated.connect(self._on_activated)
            column.view.viewport().installEventFilter(self)
            column.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            column.view.customContextMenuRequested.connect(lambda pos, c=column: self._show_card_menu(c, pos))
            self.columns.append(column)
            layout.addWidget(column, 1)
        self._selecting = False

    def eventFilter(self, watched, event) -> bool:
        """A card dragged over a column it cannot go to: say why (the view itself refuses silently)."""
        kind = event.type()
        if kind == QEvent.Type.DragEnter:
            self._refused_over = None
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and self._refused_over is not watched:
            for column in self.columns:
                if column.view.viewport() is watched:
                    message = column.model.refusal(event.mimeData())
                    if message:
                        self._refused_over = watched  # once per drag over a column
                        self.move_refused.emit(message)
                    break
        return super().eventFilter(watched, event)

    def column_models(self) -> list[KanbanColumnModel]:
        return [c.model for c in self.columns]

    def set_filter(self, value: ClientFilter) -> None:
        for column in self.columns:
            column.model.set_filter(value)

    def set_limits(self, limits: list[int]) -> None:
        for column, limit in zip(self.columns, limits, strict=False):
            column.limit = max(0, int(limit))
            column.update_header()

    def update_headers(self) -> None:
        for column in self.columns:
            column.update_header()

    def view_of(self, stage: int) -> QListView:
        return self.columns[int(stage)].view

    def _on_current(self, column: KanbanColumn, current: QModelIndex) -> None:
        if self._selecting or not current.isValid():
            return
        self._selecting = True
        try:
            for other in self.columns:
                if other is not column:
                    other.view.selectionModel().clear()
        finally:
            self._selecting = False
        self.current_changed.emit(current.data(ClientRole.ID))

    def card_menu(self, column: KanbanColumn, pos) -> QMenu | None:
        """The context menu of the card at ``pos`` (viewport coordinates); None off the cards."""
        index = column.view.indexAt(pos)
        if not index.isValid():
            return None
        client_id = index.data(ClientRole.ID)
        menu = QMenu(column.view)
        action = menu.addAction(_("Stage sign-off sheet…"))
        action.setObjectName("kanbanSignoff")
        action.setEnabled(column.stage > Stage.NEW)  # stage 0 has nothing to sign off
        action.triggered.connect(lambda _checked=False, cid=client_id: self.signoff_requested.emit(cid))
        return menu

    def _show_card_menu(self, column: KanbanColumn, pos) -> None:
        menu = self.card_menu(column, pos)
        if menu is not None:
            menu.exec(column.view.viewport().mapToGlobal(pos))
            menu.deleteLater()

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.activated.emit(index.data(ClientRole.ID))

    def select_client(self, client_id: int | None, *, focus: bool = False) -> None:
        """Select the card of ``client_id`` (and nothing else) without emitting current_changed."""
        self._selecting = True
        try:
            summary = self.model.summary(client_id)
            for column in self.columns:
                selection = column.view.selectionModel()
                if summary is None or summary.stage != column.stage:
                    selection.clear()
                    continue
                row = column.model.row_of(summary.id)
                index = column.model.index(row, 0) if row is not None else QModelIndex()
                if not index.isValid():
                    selection.clear()
                    continue
                selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
                column.view.scrollTo(index)
                self.scroller.ensureWidgetVisible(column, 0, 0)  # a narrow window: bring the column in sight
                if focus:
                    column.view.setFocus(Qt.FocusReason.OtherFocusReason)
        finally:
            self._selecting = False
