"""Client card: an editable form with validation next to each field, contacts, staff and stage history."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.stages import Stage
from app.errors import NotFoundError, UserError
from app.i18n import _
from app.services import clients as client_service
from app.services import edit_undo
from app.services.changes import Changes, requires_card
from app.services.clients import ClientDetails
from ui.dialogs.clients.client_form import ClientForm, FormState, format_date
from ui.models.card import HistoryModel
from ui.ops import Ops
from ui.palette import banner_style, text_style
from ui.qtutil import after_colon
from ui.undo import HistoryKeysInFields, edit_step
from ui.views.audit_history import ClientHistoryView
from ui.views.budget_view import BudgetBox
from ui.views.lazy import ReloadWhenShown


class ClientCard(QWidget):
    """The selected client's card: form, stage history, Save (one transaction) and Revert.
    Unsaved edits of a client are kept as a draft when another client is selected."""

    dirty_changed = Signal(bool)
    draft_kept = Signal(str)  # name of the client whose unsaved edits were kept
    print_signoff_requested = Signal(int)  # client id: print the sign-off sheet of its current stage

    def __init__(self, db, parent: QWidget | None = None, ops: Ops | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clientCard")
        self.db = db
        # a change elsewhere while the card sits on a background tab re-reads it when shown (issue 11 §1)
        self.when_shown = ReloadWhenShown(self, lambda: self._load(keep_form=self._dirty))
        self.ops = ops if ops is not None else Ops(db, self)
        if ops is None:  # on its own (tests, a dialog): it hears its own runner; in the window the work area calls
            self.ops.changed.connect(self.on_changes)
        self.client_id: int | None = None
        self.details: ClientDetails | None = None
        # a client's unsaved edits while another is shown: (its uuid, what was stored when the user began, the form)
        self.drafts: dict[int, tuple[str, FormState, FormState]] = {}
        # what the form was filled from (the client as read then), per draft too: a save writes only the fields the
        # user changed since, so that what another program or a sync changed meanwhile stays (r13 lost update)
        self._base: edit_undo.Base | None = None
        self._draft_bases: dict[int, edit_undo.Base | None] = {}
        self._loaded: FormState | None = None
        self._dirty = False

        self.form = ClientForm(self)
        self.form.edited.connect(self._update_dirty)
        self._history_keys = HistoryKeysInFields(self)  # Ctrl+Z after Ctrl+S undoes the save (tester K #14)
        for field in (*self.form.fields.values(), self.form.notes):
            field.installEventFilter(self._history_keys)
        self.history = HistoryModel(self)
        self.history_view = QTableView(self)
        self.history_view.setObjectName("stageHistory")
        self.history_view.setModel(self.history)
        self.history_view.verticalHeader().hide()
        self.history_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.history_view.horizontalHeader().setStretchLastSection(True)
        self.history_view.setMinimumHeight(self.fontMetrics().height() * 6)
        history_box = QGroupBox(_("Stage history"), self)
        QVBoxLayout(history_box).addWidget(self.history_view)

        content = QWidget(self)
        content_layout = QVBoxLayout(content)
        self.budget_box = BudgetBox(self)  # filled by the window from the budgets it already holds
        content_layout.addWidget(self.budget_box)
        content_layout.addWidget(self.form)
        content_layout.addWidget(history_box)
        content_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)

        self.banner = QLabel(self)
        self.banner.setObjectName("cardBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(banner_style("error"))
        self.banner.hide()
        self.status = QLabel(self)
        self.status.setStyleSheet(text_style("muted"))
        self.save_button = QPushButton(_("Save"), self)
        self.save_button.setObjectName("cardSave")
        self.save_button.setToolTip(_("Save the card (Ctrl+S)"))
        self.save_button.setDefault(True)
        self.revert_button = QPushButton(_("Revert"), self)
        self.revert_button.setObjectName("cardRevert")
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.signoff_button = QPushButton(_("Print sign-off sheet"), self)  # the toolbar's name (tester O)
        self.signoff_button.setObjectName("cardPrintSignoff")
        self.signoff_button.setToolTip(_("Preview and print the stage sign-off sheet"))
        self.signoff_button.clicked.connect(self._request_signoff)
        buttons = QHBoxLayout()
        buttons.addWidget(self.signoff_button)
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        self.sections = QTabWidget(self)  # the form first; others (the questions log) are added by the window
        self.sections.setObjectName("cardSections")
        self.sections.setDocumentMode(True)
        self.sections.addTab(scroll, _("Details"))
        self.audit = ClientHistoryView(db, self)  # «История изменений» (issue 17), read when its tab is shown
        self.sections.addTab(self.audit, _("History of changes"))
        layout.addWidget(self.sections, 1)
        layout.addLayout(buttons)
        self.set_client(None)

    # ------------------------------------------------------------ loading

    def add_section(self, widget: QWidget, title: str) -> None:
        """Another page of the card beside the form (e.g. the client's questions log, issue 16)."""
        self.sections.insertTab(self.sections.indexOf(self.audit), widget, title)  # the history stays last

    def is_dirty(self) -> bool:
        return self._dirty

    def set_client(self, client_id: int | None) -> None:
        """Show another client; unsaved edits of the previous one are kept as its draft."""
        if client_id is not None and client_id == self.client_id:
            self.reload()
            return
        if (self.client_id is not None and self._dirty and client_id != self.client_id and self._loaded is not None
                and self.details is not None):
            self.drafts[self.client_id] = (self.details.uuid, self._loaded, self.form.state())
            self._draft_bases[self.client_id] = self._base
            self.draft_kept.emit(self.details.data.name if self.details else str(self.client_id))
        self.client_id = client_id
        self.banner.hide()
        self._load(keep_form=False)
        self.audit.set_client(self.client_id)

    def reload(self) -> None:
        """The client changed elsewhere: refresh history and, unless the user is editing, the fields."""
        self._load(keep_form=self._dirty)

    def _load(self, keep_form: bool) -> None:
        enabled = self.client_id is not None
        self.setEnabled(enabled)
        if not enabled:
            self.details = None
            self._loaded = None
            self._base = None
            # no client: an empty disabled form, not validated (the ИНН check's import and ~14 ms at start-up)
            self.form.set_state(FormState(client_service.ClientInput(name="", inn="", approach="accompanied"), ""),
                                validate=False)
            self.history.set_rows([])
            self.budget_box.set_budget(None, pending=False)  # not «being calculated»: there is nothing to calculate
            self._set_dirty(False)
            self.status.setText(_("Select a client in the list or on the board."))
            return
        client_id = self.client_id
        assert client_id is not None
        before = self.details
        try:
            self.details = client_service.get_client(self.db, client_id)
        except NotFoundError:  # deleted meanwhile: no client shown
            self.client_id = None
            self._load(keep_form=False)
            return
        except UserError as exc:  # e.g. a date another program wrote (app.persistence.damaged): said, not a blank card
            self.client_id = None
            self._load(keep_form=False)
            self.status.setText("")
            self.banner.setText(exc.full_text())
            self.banner.show()
            return
        self._loaded = FormState(self.details.data, format_date(self.details.data.contract_date))
        # a sheet signs off the last completed stage: at stage 0 or 1 none is («укажите --stage» was the answer)
        self.signoff_button.setEnabled(self.details.stage > Stage.INTRO)
        self.history.set_rows(self.details.history)
        # the edits were made on another client (a restore or an import gave its number to another one): never
        # carried over to this one
        if not keep_form:
            draft = self.drafts.pop(client_id, None)
            draft_base = self._draft_bases.pop(client_id, None)
            if draft is not None and draft[0] != self.details.uuid:
                self._edits_dropped()
                draft = None
            self._base = draft_base if draft is not None and draft_base is not None else self._opened()
            self._show_edits(draft[2] if draft is not None else None)
            if draft is not None:
                self._take_stored()  # what was saved elsewhere while the draft waited
        elif before is not None and before.uuid != self.details.uuid:
            self._base = self._opened()
            self._show_edits(None)
            self._edits_dropped()
        else:
            self._take_stored()
        self._update_dirty()

    def _take_stored(self) -> None:
        """While the user edits the card: the fields (and the contacts and staff) they have not changed show what is
        stored now (another program, a sync), and the form's base moves on with them; what the user changed keeps
        their text (its save says the conflict)."""
        if self.details is None or self._base is None:
            return
        taken = self.form.take_stored(self._base.values, self.details.data)
        if taken:
            values = {**self._base.values, **taken}
            self._base = edit_undo.Base("card", {key: value for key, value in values.items()
                                                 if not (value is None and ":" in key)})  # None: a person gone

    def _opened(self) -> edit_undo.Base | None:
        """The base of the form filled with the client as just read."""
        return None if self.details is None else edit_undo.base_of("card", self.details.data)

    def _edits_dropped(self) -> None:
        self.banner.setText(_("The unsaved changes were dropped: the client they were made on is not in the data "
                              "any more."))
        self.banner.show()

    def _show_edits(self, edits: FormState | None) -> None:
        """The form shows the stored data (``edits`` None) or the user's unsaved ``edits`` with their errors."""
        assert self._loaded is not None
        self.form.set_state(edits or self._loaded)
        if edits is not None and edits != self._loaded:
            self.form.show_all_errors = True
            self.form.show_errors()

    def _request_signoff(self) -> None:
        if self.client_id is not None:
            self.print_signoff_requested.emit(self.client_id)

    # ------------------------------------------------------------ saving

    def _update_dirty(self) -> None:
        self._set_dirty(self._loaded is not None and self.form.state() != self._loaded)

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        if self.client_id is not None:
            self.status.setText(_("Unsaved changes") if dirty else _("All changes saved"))

    def save(self) -> Changes | None:
        """Validate; save in one transaction when valid; otherwise keep the input and explain."""
        if self.client_id is None or not self._dirty:
            return None
        errors = self.form.reveal_errors()
        if errors:
            self.banner.setText(_("Not saved: correct the fields marked in red."))
            self.banner.show()
            return None
        db, client_id, new, base = self.db, self.client_id, self.form.value(), self._base
        self.banner.hide()
        # only the fields the user changed since the form was filled are written: the whole form wrote back a КПП
        # another program had changed meanwhile (r13). Undo and redo write only the fields this save changed,
        # refused for now when one was changed since: the whole card as it was took back that КПП too (tester Q #1)
        result = self.ops.run(lambda: edit_undo.save_card(db, client_id, new, base), initiator=self,
                              undo=lambda saved: edit_step(db, _("editing the card"), saved[0]), on_error=self._refused)
        return None if result is None else result[1]

    def _refused(self, exc: UserError) -> None:
        if isinstance(exc, edit_undo.EditConflict):  # changed elsewhere too: the next save writes the user's value
            self._base = exc.base
            self.banner.setText(exc.full_text())
            self.banner.show()
            return
        self.banner.setText(_("Not saved: {error}").format(error=after_colon(exc.full_text())))
        self.banner.show()

    def on_changes(self, changes: Changes, initiator: object = None) -> None:
        """Re-read the shown client: after our own save the form shows what was stored; after a change
        elsewhere the history and, unless the user is editing, the fields."""
        if requires_card(changes, self.client_id):
            if initiator is self:  # our own save: the form shows what was stored
                self._load(keep_form=False)
            else:
                self.when_shown.request()
        self.audit.on_changes(changes, initiator)

    def revert(self) -> None:
        if self._loaded is not None:
            self.form.set_state(self._loaded)
            self._base = self._opened()
            self.banner.hide()
            self._update_dirty()

    def discard_drafts(self) -> None:
        self.drafts.clear()
        self._draft_bases.clear()

    def discard_edits(self) -> None:
        """Drop every unsaved edit: the other clients' drafts and the shown card's (it shows what is stored)."""
        self.discard_drafts()
        self.revert()

    def unsaved_clients(self) -> list[int]:
        ids = list(self.drafts)
        if self._dirty and self.client_id is not None:
            ids.append(self.client_id)
        return ids

    def set_budget(self, budget) -> None:
        """Estimate against actual of the shown client (a BudgetSummary, or None while not known)."""
        self.budget_box.set_budget(budget if budget is not None and budget.client_id == self.client_id else None,
                                   pending=self.client_id is not None)

    def forget(self, client_id: int) -> None:
        """The client was deleted: drop its draft."""
        self.drafts.pop(client_id, None)
        self._draft_bases.pop(client_id, None)
        if self.client_id == client_id:
            self._dirty = False
            self.set_client(None)
