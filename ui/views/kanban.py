"""Stage kanban (``stageKanban``): five card columns (CardColumnView) over column models; cards by a delegate."""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
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
    QPalette,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QMenu,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.stages import STAGE_SHORT, Stage
from app.i18n import _, format_number
from ui.models.client_filter import ClientFilter
from ui.models.client_roles import ClientRole
from ui.models.clients import ClientTableModel
from ui.models.kanban_columns import KanbanColumnModel
from ui.palette import hex_color
from ui.views.card_column_view import CardColumnView
from ui.views.groove_style import cache_grooves
from ui.views.kanban_card import CardDelegate


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
    """Header (title, count, soft limit) and a view of cards (CardColumnView)."""

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
        self.view = CardColumnView(self)
        self.view.setObjectName(f"kanbanList{int(stage)}")
        self.view.setAccessibleName(_("Clients at stage «{stage}»").format(stage=_(STAGE_SHORT[stage])))
        self.view.setModel(model)
        self.view.setItemDelegate(delegate)
        self.view.setMouseTracking(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        cache_grooves(self.view)  # its bar repaints with every count change: Fusion's groove from a cache
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
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

    def view_of(self, stage: int) -> CardColumnView:
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
        action.setEnabled(column.stage > Stage.INTRO)  # the last completed stage is signed off: none before stage 2
        action.triggered.connect(lambda _checked=False, cid=client_id: self.signoff_requested.emit(cid))
        return menu

    def _show_card_menu(self, column: KanbanColumn, pos) -> None:
        menu = self.card_menu(column, pos)
        if menu is not None:
            from ui.dialogs.keyboard import keep_mnemonics

            keep_mnemonics(menu)
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
