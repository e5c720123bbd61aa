"""The work area's state kept between sessions: the splitter, the list's header, the tab, the list's filters, the
card's section and the client last looked at (a base of WorkArea)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray

from ui.actions import TAB_BOARD
from ui.models.clients import ClientTableModel
from ui.views.list_header import HEADER_KEY

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QSplitter, QTabWidget
    from PySide6.QtWidgets import QStackedWidget as AreaBase

    from ui.views.client_card import ClientCard
    from ui.views.client_list import ClientListPanel
else:
    AreaBase = object

# what the last session was looking at (WorkArea.restore_choice)
CLIENT_KEY, CLIENT_DATABASE_KEY, CARD_SECTION_KEY = "window/client", "window/clientDatabase", "window/cardSection"
STAGE_FILTER_KEY, APPROACH_FILTER_KEY, STALLED_FILTER_KEY = "clientList/stage", "clientList/approach", "clientList/stalled"


def _int_or_text(value: object) -> int | str | None:
    """A value read from the settings (an INI file gives text back): a whole number as int, else the text."""
    if value is None:
        return None
    text = str(value).strip()
    return int(text) if text.isdigit() else text


class AreaState(AreaBase):
    """Saving and restoring the work area's state (``ui.work_area.WorkArea``)."""

    if TYPE_CHECKING:  # the work area's state and methods these use
        db: Any
        settings: QSettings
        clients: ClientTableModel
        list_panel: ClientListPanel
        card: ClientCard
        splitter: QSplitter
        tabs: QTabWidget
        current_id: int | None
        _default_splitter: bool

        def set_current_client(self, client_id: int | None, source: str = "") -> None: ...

    def restore_state(self) -> None:
        s = self.settings
        splitter = s.value("window/splitter")
        self._default_splitter = not (isinstance(splitter, QByteArray) and self.splitter.restoreState(splitter))
        header = s.value(HEADER_KEY)
        if isinstance(header, QByteArray) and not header.isEmpty():
            view_header = self.list_panel.view.horizontalHeader()
            view_header.restoreState(header)
            self.list_panel.proxy.sort(view_header.sortIndicatorSection(), view_header.sortIndicatorOrder())
        try:
            tab = int(str(s.value("window/tab", TAB_BOARD)))
        except (TypeError, ValueError):
            tab = TAB_BOARD
        self.tabs.setCurrentIndex(tab if 0 <= tab < self.tabs.count() else TAB_BOARD)

    def restore_choice(self) -> None:
        """What the last session was looking at, once the rows and the card are here: the list's filters (stage,
        approach, «Застрявшие»), the card's section and the client — unless one was chosen on the first screen
        meanwhile. A client no longer there, or chosen in another database (the demo's window, another --db), is not
        chosen (tester K: all of it was lost at every start)."""
        s, panel = self.settings, self.list_panel
        for combo, key in ((panel.stage_combo, STAGE_FILTER_KEY), (panel.approach_combo, APPROACH_FILTER_KEY)):
            saved = s.value(key)
            found = combo.findData(_int_or_text(saved)) if saved not in (None, "") else -1
            if found > 0:
                combo.setCurrentIndex(found)
        if str(s.value(STALLED_FILTER_KEY, "")).lower() == "true":
            panel.stalled_check.setChecked(True)
        section = _int_or_text(s.value(CARD_SECTION_KEY))
        if isinstance(section, int) and 0 <= section < self.card.sections.count():
            self.card.sections.setCurrentIndex(section)
        client = _int_or_text(s.value(CLIENT_KEY))
        same = str(s.value(CLIENT_DATABASE_KEY, "")) == self.db.display_name()  # not a demo's or another file's id
        if self.current_id is None and same and isinstance(client, int) and self.clients.summary(client) is not None:
            self.set_current_client(client)

    def apply_default_splitter(self, width: int) -> None:
        if self._default_splitter:  # first start: a third of the window for the list, the rest for work
            self._default_splitter = False
            left = max(320, min(600, int(width * 0.3)))
            self.splitter.setSizes([left, max(600, width - left)])
            if width >= 1700:
                self.list_panel.view.setColumnHidden(ClientTableModel.COL_LESSONS, False)

    def save_state(self) -> None:
        s = self.settings
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("window/tab", self.tabs.currentIndex())
        s.setValue(HEADER_KEY, self.list_panel.view.horizontalHeader().saveState())
        if self.db is None:  # the first screen: nothing chosen there is the last session's yet
            return
        panel = self.list_panel
        s.setValue(STAGE_FILTER_KEY, "" if panel.stage_combo.currentData() is None else panel.stage_combo.currentData())
        s.setValue(APPROACH_FILTER_KEY, panel.approach_combo.currentData() or "")
        s.setValue(STALLED_FILTER_KEY, panel.stalled_check.isChecked())
        s.setValue(CARD_SECTION_KEY, self.card.sections.currentIndex())
        s.setValue(CLIENT_KEY, "" if self.current_id is None else self.current_id)
        s.setValue(CLIENT_DATABASE_KEY, self.db.display_name())
