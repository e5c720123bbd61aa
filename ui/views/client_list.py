"""The client list panel: instant search, stage and approach filters, a sortable table view."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QBrush, QFontMetrics, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionComboBox,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.stages import APPROACH_UI, STAGE_SHORT, Approach, Stage
from app.i18n import _
from ui.models.client_filter import ClientFilter, ClientFilterProxy
from ui.models.client_roles import ClientRole
from ui.models.clients import ClientTableModel
from ui.models.names import list_name
from ui.palette import text_style
from ui.views.groove_style import cache_grooves

SEARCH_DELAY_MS = 60  # coalesce fast typing; still feels instant


class ClientTableView(QTableView):
    """The client list's table view. It paints no card and no budget mark, so a ``dataChanged`` that names only
    those roles repaints nothing here: the reload's question counts and budgets each announced all 5 000 rows,
    and Qt repaints the whole viewport for any range of more than one cell (11–44 ms a paint, twice a reload)."""

    UNPAINTED_ROLES = frozenset((int(ClientRole.CARD), int(ClientRole.BUDGET)))

    def dataChanged(self, topLeft, bottomRight, roles=()) -> None:
        if roles and self.UNPAINTED_ROLES.issuperset(int(role) for role in roles):
            return
        super().dataChanged(topLeft, bottomRight, roles)


class ClientListPanel(QWidget):
    """Search box ``clientSearch`` and table ``clientList`` over a ClientFilterProxy."""

    current_changed = Signal(object)  # client id or None
    activated = Signal(int)  # Enter / double click: open the card
    filter_changed = Signal(object)  # ClientFilter, so the kanban shows the same clients

    def __init__(self, model: ClientTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        # set by the work area: ids of clients the text matches elsewhere (their questions); no query here
        self.also_matching: Callable[[str], set[int]] | None = None
        self.proxy = ClientFilterProxy(self)
        self.proxy.setSourceModel(model)

        self.search = QLineEdit(self)
        self.search.setObjectName("clientSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(_("Search: name, INN, contact, phone (Ctrl+F)"))
        self.stage_combo = QComboBox(self)
        self.stage_combo.setObjectName("stageFilter")
        self.stage_combo.addItem(_("All stages"), None)
        for stage in Stage:
            self.stage_combo.addItem(_(STAGE_SHORT[stage]), int(stage))
        self.approach_combo = QComboBox(self)
        self.approach_combo.setObjectName("approachFilter")
        self.approach_combo.addItem(_("All approaches"), None)
        for approach in Approach:
            self.approach_combo.addItem(_(APPROACH_UI[approach]), approach.value)
        self.stalled_check = QCheckBox(_("Stalled"), self)
        self.stalled_check.setObjectName("stalledFilter")
        self.stalled_check.setToolTip(_("Only clients without a stage change for too long"))
        # «Мои заказчики» (issue 17): ui.controllers.team enables it in a team and sets ``only_ids``
        self.mine_check = QCheckBox(_("Mine"), self)
        self.mine_check.setObjectName("mineFilter")
        self.mine_check.setEnabled(False)
        self.only_ids: frozenset[int] | None = None

        self.view = ClientTableView(self)
        self.view.setObjectName("clientList")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        cache_grooves(self.view)  # its bar repaints with every filter: Fusion's groove from a cache
        self.view.setWordWrap(False)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.view.horizontalHeader()
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ClientTableModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        char = self.fontMetrics().horizontalAdvance("0")
        widths = {ClientTableModel.COL_INN: 13, ClientTableModel.COL_APPROACH: 16,
                  ClientTableModel.COL_CONTACT: 22, ClientTableModel.COL_PHONE: 17}
        for column, chars in widths.items():
            self.view.setColumnWidth(column, char * chars + 16)
        self._fit_narrow_columns()
        self.view.setSortingEnabled(True)
        self.cell_delegate = ClientCellDelegate(self.view)
        self.view.setItemDelegate(self.cell_delegate)
        # narrow by default: the work area matters more; the user can show them from the header menu
        for column in (ClientTableModel.COL_INN, ClientTableModel.COL_CONTACT, ClientTableModel.COL_PHONE,
                       ClientTableModel.COL_APPROACH, ClientTableModel.COL_LESSONS):
            self.view.setColumnHidden(column, True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)

        self.empty_hint = QLabel(self)
        self.empty_hint.setObjectName("clientListHint")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet(text_style("muted"))
        self.empty_hint.hide()

        # one row when it fits, else the ticks go under the combos: squeezed into one row at 1280×720 and 125 %
        # they read «Все этапі», «Все подх», «Застрявші» (tester O, round 11)
        for combo in (self.stage_combo, self.approach_combo):  # the two share what the ticks leave
            combo.setSizePolicy(QSizePolicy.Policy.Ignored, combo.sizePolicy().verticalPolicy())
            combo.setMinimumWidth(24)
            combo.currentIndexChanged.connect(self._replace_filters)
        for check in (self.stalled_check, self.mine_check):
            check.setMinimumWidth(24)  # the one row does not hold the list wider: the ticks move down instead
        self.filters = QGridLayout()
        self.filters.setContentsMargins(0, 0, 0, 0)
        self._filters_state: tuple[bool, tuple[int, int]] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addLayout(self.filters)
        self._replace_filters()
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_hint)

        self._quiet = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._on_text)
        self.search.returnPressed.connect(self._focus_first)
        escape = QAction(self.search)  # Esc clears the search; in an empty box it goes back to the list
        escape.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        escape.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        escape.triggered.connect(self._escape)
        self.search.addAction(escape)
        self.stage_combo.currentIndexChanged.connect(self.apply_filter)
        self.approach_combo.currentIndexChanged.connect(self.apply_filter)
        self.stalled_check.toggled.connect(self.apply_filter)
        self.view.selectionModel().currentRowChanged.connect(self._on_current)
        self.view.activated.connect(self._on_activated)
        self.proxy.rowsInserted.connect(self._update_hint)
        self.proxy.rowsRemoved.connect(self._update_hint)
        self.proxy.modelReset.connect(self._update_hint)
        self.proxy.layoutChanged.connect(self._update_hint)

    def _fit_narrow_columns(self) -> None:
        """The stage, checklist, lessons and days columns as wide as their header and their widest value, so the
        name (stretched) gets the rest: at 1280×720 and 125 % they kept ~240 of the list's 320 px and names read
        «Волжс…» (tester O, round 11)."""
        header = self.view.horizontalHeader()
        plain = self.view.fontMetrics()
        bold_font = self.view.font()
        bold_font.setBold(True)  # a stalled client's days are bold
        bold = QFontMetrics(bold_font)
        samples = {
            ClientTableModel.COL_STAGE: [plain.horizontalAdvance(_(STAGE_SHORT[stage])) for stage in Stage],
            ClientTableModel.COL_CHECKLIST: [plain.horizontalAdvance("88/88")],
            ClientTableModel.COL_LESSONS: [plain.horizontalAdvance("88/88")],
            ClientTableModel.COL_DAYS: [bold.horizontalAdvance("◷ 888")],
        }
        padding = 2 * (self.view.style().pixelMetric(self.view.style().PixelMetric.PM_FocusFrameHMargin) + 1) + 8
        for column, texts in samples.items():
            self.view.setColumnWidth(column, max(header.sectionSizeHint(column), max(texts) + padding))

    @staticmethod
    def _combo_width(combo: QComboBox) -> int:
        """What ``combo`` needs to show its chosen text whole."""
        option = QStyleOptionComboBox()
        combo.initStyleOption(option)
        text = QSize(combo.fontMetrics().horizontalAdvance(combo.currentText()), combo.fontMetrics().height())
        return combo.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, text, combo).width()

    def _filters_width(self) -> int:
        """The width the filters need in one row."""
        spacing = max(0, self.filters.horizontalSpacing())
        combos = self._combo_width(self.stage_combo) + self._combo_width(self.approach_combo)
        return combos + self.stalled_check.sizeHint().width() + self.mine_check.sizeHint().width() + 3 * spacing

    def _replace_filters(self, *_args) -> None:
        """One row or two, and the combos' shares of the room by what their chosen texts need (they ignore their
        hints: the longest item's), applied at once: what was in one row is not drawn over."""
        needs = (self._combo_width(self.stage_combo), self._combo_width(self.approach_combo))
        one_row = self.width() >= self._filters_width()
        if (one_row, needs) == self._filters_state:
            return
        self._filters_state = (one_row, needs)
        self.filters.setColumnStretch(0, needs[0])
        self.filters.setColumnStretch(1, needs[1])
        for widget in (self.stage_combo, self.approach_combo, self.stalled_check, self.mine_check):
            self.filters.removeWidget(widget)
        self.filters.addWidget(self.stage_combo, 0, 0)
        self.filters.addWidget(self.approach_combo, 0, 1)
        self.filters.addWidget(self.stalled_check, 0 if one_row else 1, 2 if one_row else 0)
        self.filters.addWidget(self.mine_check, 0 if one_row else 1, 3 if one_row else 1)
        layout = self.layout()
        if layout is not None:
            layout.activate()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._replace_filters()

    # ------------------------------------------------------------ filter

    def current_filter(self) -> ClientFilter:
        text = self.search.text()
        also = self.also_matching(text) if self.also_matching is not None and text.strip() else frozenset()
        return ClientFilter(text=text, stage=self.stage_combo.currentData(),
                            approach=self.approach_combo.currentData(), stalled_only=self.stalled_check.isChecked(),
                            also_ids=frozenset(also), only_ids=self.only_ids)

    def set_only_ids(self, ids: frozenset[int] | None) -> None:
        """Show only these clients in the list and on the board (None: everyone); filters at once."""
        if ids != self.only_ids:
            self.only_ids = ids
            self.apply_filter()

    def _on_text(self, text: str) -> None:
        """Typing waits for a pause; clearing the box (the clear button, Esc, a new search) shows
        everyone at once, so that nothing is left to do later, in the middle of the next action."""
        if text:
            self._timer.start()
        else:
            self.apply_filter()

    def apply_filter(self) -> None:
        """Run the filter now (the search box calls it after a short pause)."""
        self._timer.stop()
        value = self.current_filter()
        current = self.current_id()
        self._quiet = True
        try:
            self.proxy.set_filter(value)
        finally:
            self._quiet = False
        self.filter_changed.emit(value)
        if current is not None:
            self.select_client(current, emit=False)
        self._update_hint()

    def _update_hint(self, *args) -> None:
        hidden = self.model.rowCount() > 0 and self.proxy.rowCount() == 0
        self.empty_hint.setVisible(hidden)
        if hidden:
            self.empty_hint.setText(_("No client matches the search or the filters."))

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _escape(self) -> None:
        """Esc in the search box: clears a typed search (everyone shown again); in an empty box, the focus goes to
        the list (the current client, else the first row)."""
        if self.search.text():
            self.search.clear()
            return
        if not self.view.currentIndex().isValid() and self.proxy.rowCount():
            self.view.setCurrentIndex(self.proxy.index(0, 0))
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _focus_first(self) -> None:
        self.apply_filter()
        if self.proxy.rowCount():
            index = self.proxy.index(0, 0)
            self.view.setCurrentIndex(index)
            self.view.setFocus()

    # ------------------------------------------------------------ selection

    def current_id(self) -> int | None:
        index = self.view.currentIndex()
        return index.data(ClientRole.ID) if index.isValid() else None

    def select_client(self, client_id: int | None, *, emit: bool = True) -> None:
        selection = self.view.selectionModel()
        quiet, self._quiet = self._quiet, self._quiet or not emit
        try:
            if client_id is None:
                selection.clear()
                return
            row = self.model.row_of(client_id)
            index = self.proxy.mapFromSource(self.model.index(row, 0)) if row is not None else QModelIndex()
            if not index.isValid():
                selection.clear()
                return
            selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                      | QItemSelectionModel.SelectionFlag.Rows)
            self.view.scrollTo(index)
        finally:
            self._quiet = quiet

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet:  # the filter hid the current row: not the user's choice
            return
        self.current_changed.emit(current.data(ClientRole.ID) if current.isValid() else None)

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.activated.emit(index.data(ClientRole.ID))

    def _header_menu(self, pos) -> None:
        from PySide6.QtWidgets import QMenu

        menu = QMenu(self)
        for column in range(1, self.model.columnCount()):
            action = menu.addAction(str(self.model.headerData(column, Qt.Orientation.Horizontal)))
            action.setCheckable(True)
            action.setChecked(not self.view.isColumnHidden(column))
            action.toggled.connect(lambda on, c=column: self.view.setColumnHidden(c, not on))
        from ui.dialogs.keyboard import keep_mnemonics

        keep_mnemonics(menu)
        menu.exec(self.view.horizontalHeader().mapToGlobal(pos))
        menu.deleteLater()


class ClientCellDelegate(QStyledItemDelegate):
    """The list's cells: the style option filled from the client's row at once (``ClientFilterProxy.look``), as
    the default would from the display, alignment, foreground and font roles; a name with the distinctive part
    first (ui.models.names.list_name: «Заречный лесхоз, ООО», eliding cuts the form) — the model's DisplayRole
    and the tool tip keep the full registered name.

    The default asks the model for its seven roles through ``multiData``, and PySide wraps each role's slot for
    Python: ~12 % of a repaint of the list's rows, which a search keystroke, a scroll and a move wait for."""

    def initStyleOption(self, option: QStyleOptionViewItem, index) -> None:
        model = index.model()
        look = model.look(index.row(), index.column()) if isinstance(model, ClientFilterProxy) else None
        if look is None:  # another model (tests), or off the rows: the default
            super().initStyleOption(option, index)
            if index.column() == ClientTableModel.COL_NAME and option.text:
                option.text = list_name(option.text)
            return
        text, align, color, font = look
        option.index = index
        if font is not None:
            option.font = font.resolve(option.font)
            option.fontMetrics = QFontMetrics(option.font)
        if align is not None:
            option.displayAlignment = Qt.AlignmentFlag(align)
        if color is not None:
            option.palette.setBrush(QPalette.ColorRole.Text, QBrush(color))
        if text is not None:
            option.features |= QStyleOptionViewItem.ViewItemFeature.HasDisplay
            option.text = list_name(text) if index.column() == ClientTableModel.COL_NAME else text
