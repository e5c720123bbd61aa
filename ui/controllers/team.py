"""«Мои заказчики»: the list's and the board's filter to the clients the signed-in person is responsible for."""

from __future__ import annotations

from PySide6.QtCore import QObject

from app.i18n import _
from app.services.changes import Changes, requires_all_rows
from app.team.users import my_client_ids, team_login
from ui.ops import Ops
from ui.views.client_list import ClientListPanel


class MyClientsFilter(QObject):
    """Drives the list panel's «Мои» check box: enabled only in a team (a team server connection, or a laptop
    after «sync setup»); when checked the list and the board show app.team.users.my_client_ids. Outside a
    team it stays disabled and its tool tip says why (every client here is the one person's)."""

    def __init__(self, db, ops: Ops, panel: ClientListPanel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db, self.panel = db, panel
        self.check = panel.mine_check
        self.check.toggled.connect(self._toggled)
        ops.changed.connect(self.on_changes)
        self.update_availability()

    def update_availability(self) -> bool:
        """Enable the box in a team; outside one, uncheck and disable it with the reason in its tool tip."""
        login = team_login(self.db)
        self.check.setEnabled(bool(login))
        if login:
            self.check.setToolTip(_("Only my clients: those whose responsible specialist or manager is {login}").format(
                login=login))
        else:
            self.check.setChecked(False)
            self.check.setToolTip(_("«My clients» works in a team: this computer is not connected to a team "
                                    "server («sync setup»), so every client here is yours."))
        return bool(login)

    def _toggled(self, on: bool) -> None:
        self.panel.set_only_ids(frozenset(my_client_ids(self.db)) if on else None)

    def on_changes(self, changes: Changes, initiator: object = None) -> None:
        """A sync, an assignment or a new client may change who is mine: read the ids again (one query)."""
        if changes.settings or changes.replaced:
            self.update_availability()
        if self.check.isChecked() and (requires_all_rows(changes) or changes.clients):
            self.panel.set_only_ids(frozenset(my_client_ids(self.db)))
