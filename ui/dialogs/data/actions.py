"""Backup, restore, export/import bundles and personal-data erase as menu actions (dialogs around app.exchange).

Every action runs through the window's operations runner (``ui.ops.Ops.run``, issue 11 §2): long work behind
the task runner's progress dialog, a refusal (UserError) shown the runner's one way, the resulting Changes
announced there with the initiator (restore and import replace the database: the undo history is cleared).
The functions return the Changes they announced (None when nothing changed) for callers that want to know."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from app.domain.quotes import in_quotes
from app.errors import UserError
from app.i18n import _, format_number
from ui.ops import Ops, changes_of
from ui.qtutil import program_title
from ui.tasks import Cancelled

log = logging.getLogger(__name__)


def _run_busy(parent: QWidget | None, text: str, work: Callable[..., Any], cancellable: bool = False) -> Any:
    """Run ``work`` through the task runner behind a window-modal progress dialog (the window keeps painting).

    ``work`` takes no argument, or one: the task's Progress (for determinate progress and cancelling)."""
    import inspect

    from ui.tasks import Progress, task_manager

    takes_progress = bool(inspect.signature(work).parameters)

    def with_progress(progress: Progress) -> Any:
        return work(progress) if takes_progress else work()

    return task_manager().run_modal(parent, text, with_progress, cancellable=cancellable, title=program_title())


def _run(ops: Ops, parent: QWidget | None, text: str | None, work: Callable[..., Any], *, cancellable: bool = False,
         on_error: Callable[[UserError], None] | None = None, initiator: object = None) -> Any:
    """One data action through the runner: ``work`` behind the progress dialog (``text``; None: on the UI
    thread, it is quick), a refusal shown by the runner (or ``on_error``), the Changes announced. Returns
    the work's result, or None when refused, cancelled («Отмена»: said so) or failed (said so)."""
    action = (lambda: _run_busy(parent, text, work, cancellable)) if text is not None else work
    try:
        return ops.run(action, initiator=initiator if initiator is not None else parent, on_error=on_error)
    except Cancelled:
        QMessageBox.information(parent, program_title(), _("Cancelled: nothing was changed."))
    except Exception as exc:  # a fault no stored value explains (the runner asked): said once, the window stays
        from ui.ops import show_internal_error

        log.error("a data action failed", exc_info=exc)  # the box says one line; the log keeps the traceback
        show_internal_error(parent, exc)
    return None


def _confirm(parent: QWidget | None, text: str, informative: str = "", default_yes: bool = False) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, program_title(), text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setInformativeText(informative)
    box.setDefaultButton(QMessageBox.StandardButton.Yes if default_yes else QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def _ask_scope(parent: QWidget | None, client_ids: list[int] | None, name: str = "") -> list[int] | bool | None:
    """Which clients to export: the selected one(s) or all. Returns the ids, None for all, False when cancelled."""
    if client_ids is None:
        return None
    selected = _("Only «{client}»").format(client=in_quotes(name)) if name else _("Only the selected client")
    everyone = _("All clients")
    choice, ok = QInputDialog.getItem(parent, program_title(), _("Which clients to export?"), [selected, everyone], 0, False)
    if not ok:
        return False
    return client_ids if choice == selected else None


def _ask_password(parent: QWidget | None, prompt: str) -> str | None:
    text, ok = QInputDialog.getText(parent, program_title(), prompt, QLineEdit.EchoMode.Password)
    return text if ok else None


# ------------------------------------------------------------------ actions


def backup_now(parent: QWidget, ops: Ops):
    """Make a backup now and tell the user where it went. Returns None (nothing in the views changes)."""
    from app.exchange.backup import make_backup

    db = ops.db
    info = _run(ops, parent, _("Making a backup…"), lambda: make_backup(db, "manual"))
    if info is not None:
        QMessageBox.information(parent, program_title(), _("Backup made: {path}").format(path=info.path))
    return None


def restore_backup(parent: QWidget, ops: Ops):
    """Ask for a backup file, confirm, back up first, restore. Returns the Changes (everything) or None."""
    from app.exchange.backup import backups_dir
    from app.exchange.restore import preview_restore
    from app.exchange.restore import restore_backup as restore

    db = ops.db
    folder = _run(ops, parent, None, lambda: str(backups_dir(db)))  # PostgreSQL: the administrator does it
    if folder is None:
        return None
    path, _filter = QFileDialog.getOpenFileName(parent, _("Restore from a backup"), folder,
                                                _("Backups (*.sqlite3 *.db);;All files (*)"))
    if not path:
        return None
    # checked as the restore checks it, and compared with the current data: the question says what would be undone
    loss = _run(ops, parent, _("Checking the backup…"), lambda: preview_restore(db, path))
    if loss is None:
        return None
    if not _confirm(parent, _("Replace all current data with the backup {name}?").format(name=Path(path).name),
                    "\n".join([*loss.lines(), "",
                               _("The current data are backed up first, so this step can be undone by restoring "
                                 "that copy.")])):
        return None
    result = _run(ops, parent, _("Restoring…"), lambda: restore(db, path))
    if result is None:
        return None
    QMessageBox.information(parent, program_title(), _("Restored from {path}.").format(path=result.restored_from) + "\n"
                            + _("The current data were backed up first: {path}").format(path=result.safety_backup.path)
                            + "".join("\n\n" + notice for notice in result.notices))
    return result.changes


def export_bundle(parent: QWidget, ops: Ops, client_ids: list[int] | None = None, name: str = ""):
    """Ask whether to export the selected clients (``client_ids``, shown as ``name``) or all of them, then
    write one file, protected with a password unless the user declines. Cancelling removes the file."""
    from app.exchange.bundle import SUFFIX
    from app.exchange.bundle_export import export_bundle as export

    scope = _ask_scope(parent, client_ids, name)
    if scope is False:
        return None
    client_ids = scope  # type: ignore[assignment]

    default = str(Path.home() / f"vnedrenie-{date.today():%Y-%m-%d}{SUFFIX}")
    path, _filter = QFileDialog.getSaveFileName(parent, _("Export clients"), default,
                                                _("Exchange files (*.zip)"))
    if not path:
        return None
    password = None
    if _confirm(parent, _("Protect the file with a password?"),
                _("Recommended when the file travels by mail or on a flash drive: it holds personal data."),
                default_yes=True):
        password = _ask_password(parent, _("Password (at least 8 characters):"))
        if password is None:
            return None
        if _ask_password(parent, _("Repeat the password:")) != password:
            ops.report_error(UserError(_("The passwords do not match; nothing was exported.")))
            return None
    refs: list[str | int] | None = None if client_ids is None else [str(i) for i in client_ids]
    db = ops.db

    def work(progress):
        progress.check()
        result = export(db, refs, path, password)
        if progress.cancelled:  # the file is complete but unwanted: remove it, the database is untouched
            Path(path).unlink(missing_ok=True)
            raise Cancelled
        return result

    info = _run(ops, parent, _("Exporting…"), work, cancellable=True)
    if info is not None:
        QMessageBox.information(parent, program_title(), "\n".join([
            _("Exported clients: {n} → {path}").format(n=format_number(info.clients), path=info.path),
            *(_("Removed the unfinished file of an earlier write that was interrupted: {path}").format(path=p)
              for p in info.leftovers)]))
    return None


def import_bundle(parent: QWidget, ops: Ops):
    """Ask for a bundle (and its password, again after a wrong one), merge it. Returns the Changes or None.

    The whole file is read and checked first; cancelling before the merge starts changes nothing. A merge
    replaces records wholesale, so its Changes say the database was replaced (the undo history is cleared:
    an entry that came in with the id of an undone one must never be deleted by a redo+undo)."""
    from app.exchange.bundle_import import import_bundle as merge
    from app.exchange.bundle_read import check_bundle, read_info
    from app.exchange.crypto import WrongPassword

    path, _filter = QFileDialog.getOpenFileName(parent, _("Import an exchange file"), str(Path.home()),
                                                _("Exchange files (*.zip);;All files (*)"))
    if not path:
        return None
    info = _run(ops, parent, None, lambda: read_info(path))
    if info is None:
        return None
    db = ops.db
    prompt = _("The file is protected with a password. Password:")
    while True:
        password = None
        if info.encrypted:
            password = _ask_password(parent, prompt)
            if password is None:
                return None

        def work(progress, password=password):
            progress.set(0, 2)
            check_bundle(path, password)  # checks the whole file and the password before anything changes
            progress.set(1, 2)
            progress.check()
            result = merge(db, path, password)
            progress.set(2, 2)
            return result

        wrong: list[UserError] = []

        def refused(exc: UserError, wrong=wrong) -> None:
            if isinstance(exc, WrongPassword):
                wrong.append(exc)
            ops.report_error(exc)

        result = _run(ops, parent, _("Importing…"), work, cancellable=True, on_error=refused)
        if result is None and wrong:
            prompt = _("Wrong password. Try again:")
            continue
        if result is None:
            return None
        break
    lines = result.report.lines()
    box = QMessageBox(QMessageBox.Icon.Information, program_title(),
                      _("Imported from {file}.").format(file=Path(path).name) + "\n" + lines[0], parent=parent)
    details = lines[1:]
    if result.backup_path:
        details.append(_("The data before the import were backed up: {path}").format(path=result.backup_path))
    if details:
        box.setDetailedText("\n".join(details))
    box.exec()
    return result.changes


def erase_personal_data(parent: QWidget, ops: Ops, client_id: int):
    """Confirm, then erase the client's contacts and staff. Returns the Changes or None."""
    from app.services.privacy import erase_personal_data as erase

    if not _confirm(parent, _("Erase the personal data of this client?"),
                    _("Names, positions, phones and e-mails of its contacts and staff and the signer's name are "
                      "erased for good. The work log, stage history and documents register stay.")):
        return None
    db = ops.db
    result = _run(ops, parent, None, lambda: erase(db, client_id))
    if result is None:
        return None
    erased = result[0]
    QMessageBox.information(
        parent, program_title(),
        _("Personal data of «{name}» erased: contacts {contacts}, employees {employees}.").format(
            name=in_quotes(erased.client_name), contacts=format_number(erased.contacts),
            employees=format_number(erased.employees)) + "\n"
        + _("Copies made earlier (backups, exported files) still contain them until they are deleted."))
    return changes_of(result)
