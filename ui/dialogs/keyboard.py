"""Keyboard use of the window and its dialogs, in one place for every widget, old and new.

- Tab leaves a table or a multi-line box (``tab_leaves``, applied app-wide by ``install`` as a widget gets the
  focus): ``QTableView`` turns ``tabKeyNavigation`` on, so Tab walked its cells and wrapped round — the client
  list, the agenda and «Требует внимания» trapped the focus for good (tester K, 2026-12-05); the arrows still move
  between cells, and Tab in a cell's editor still goes to the next cell. A ``QPlainTextEdit`` typed a tab
  character instead of moving on.
- Menus get an Alt-letter on every item, unique within the menu (``keep_mnemonics``): the first free letter of
  the translated title, a word's first letter preferred, so a translation needs no «&» in each msgid; an «&»
  already in a text is kept. Texts that change (Undo's «Отменить: …») get theirs again when the menu opens.
- A form dialog asks before Esc or its window's close button throws typed data away (``confirm_discard``, used by
  ``ui.dialogs.form_dialog.FormDialog``).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QDockWidget,
    QLineEdit,
    QMenu,
    QMenuBar,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from app.i18n import _

log = logging.getLogger(__name__)

# ================================================================ Tab


def tab_leaves(widget: QWidget | None) -> None:
    """Tab (Shift+Tab) moves the focus out of ``widget`` when it is a table, a tree or a multi-line text box."""
    if isinstance(widget, QAbstractItemView):
        if widget.tabKeyNavigation():
            widget.setTabKeyNavigation(False)
    elif isinstance(widget, (QPlainTextEdit, QTextEdit)) and not widget.tabChangesFocus():
        widget.setTabChangesFocus(True)


def release_tab(root: QWidget) -> None:
    """``tab_leaves`` for ``root`` and every widget under it (at once, before any of them has had the focus)."""
    tab_leaves(root)
    for widget in root.findChildren(QWidget):
        tab_leaves(widget)


_installed: list[QApplication] = []


def install(app: QApplication | None = None) -> None:
    """``tab_leaves`` for every widget of the application as it gets the focus — a Tab reaches a widget only
    through its focus, so a table made anywhere later (a dialog, a new view) releases Tab too. One Python call a
    focus change (not an event filter on every event). Idempotent."""
    app = app or QApplication.instance()  # type: ignore[assignment]
    if not isinstance(app, QApplication) or any(known is app for known in _installed):
        return
    app.focusChanged.connect(_focus_changed)
    _installed.append(app)


def _focus_changed(_old: QWidget | None, new: QWidget | None) -> None:
    if new is not None:
        tab_leaves(new)


def no_tab_while_behind(dock: QDockWidget) -> None:
    """Tab skips ``dock``'s widgets while another dock's tab is in front of it. Qt keeps a tabified dock that is
    not the current tab visible (only covered), so Tab walked into the agenda behind «Требует внимания», where Del or
    Ctrl+Enter would act on an event nobody sees (tester M). While behind, the widgets that take Tab focus take
    clicks only (their own policy back once the tab is in front); nothing is disabled, so the dock's content keeps
    its looks and its programmatic use."""
    kept: dict[int, tuple[QWidget, Qt.FocusPolicy]] = {}

    def shown(visible: bool) -> None:
        if visible:
            for widget, policy in kept.values():
                widget.setFocusPolicy(policy)
            kept.clear()
            return
        content = dock.widget()
        if content is None:
            return
        for widget in (content, *content.findChildren(QWidget)):
            policy = widget.focusPolicy()
            if policy.value & Qt.FocusPolicy.TabFocus.value and id(widget) not in kept:
                kept[id(widget)] = (widget, policy)
                widget.setFocusPolicy(Qt.FocusPolicy.ClickFocus)

    dock.visibilityChanged.connect(shown)


# ================================================================ menus' Alt-letters


def mnemonic_of(text: str) -> str | None:
    """The letter after a single «&» in ``text`` (casefolded), None without one («&&» is a literal «&»)."""
    i = 0
    while i < len(text) - 1:
        if text[i] == "&":
            if text[i + 1] == "&":
                i += 2
                continue
            return text[i + 1].casefold()
        i += 1
    return None


def with_mnemonic(text: str, taken: set[str]) -> str:
    """``text`` with «&» before its first letter not in ``taken`` (a word's first letter first, then any letter,
    then a digit), which is added to ``taken``; ``text`` unchanged when it has an «&» already (its letter taken) or
    no free character."""
    own = mnemonic_of(text)
    if own is not None:
        taken.add(own)
        return text
    starts = [i for i, ch in enumerate(text) if ch.isalpha() and (i == 0 or not text[i - 1].isalnum())]
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    for i in (*starts, *letters, *digits):
        key = text[i].casefold()
        if key not in taken:
            taken.add(key)
            return text[:i] + "&" + text[i:]
    return text


def assign_mnemonics(actions: list[QAction]) -> None:
    """Unique Alt-letters for ``actions`` (one menu's items, or a menu bar's titles): the «&» a text has is kept and
    its letter taken first, the others get a free one (``with_mnemonic``)."""
    items = [a for a in actions if not a.isSeparator() and a.text()]
    taken: set[str] = set()
    for action in items:
        own = mnemonic_of(action.text())
        if own is not None:
            taken.add(own)
    for action in items:
        text = action.text()
        if mnemonic_of(text) is None:
            marked = with_mnemonic(text, taken)
            if marked != text:
                action.setText(marked)


def keep_mnemonics(menu: QMenu) -> QMenu:
    """Alt-letters for ``menu``'s items now and each time it opens (a text set since, such as Undo's, gets one);
    a submenu's too."""
    def refresh() -> None:
        assign_mnemonics(menu.actions())
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu) and sub.property("vnMnemonics") is None:
                keep_mnemonics(sub)

    if menu.property("vnMnemonics") is None:
        menu.setProperty("vnMnemonics", True)
        menu.aboutToShow.connect(refresh)
    refresh()
    return menu


def keep_bar_mnemonics(bar: QMenuBar) -> None:
    """Unique Alt-letters for the menu bar's titles and every item of its menus (``keep_mnemonics``)."""
    assign_mnemonics(bar.actions())
    for action in bar.actions():
        menu = action.menu()
        if isinstance(menu, QMenu):
            keep_mnemonics(menu)


# ================================================================ form dialogs: Esc asks before discarding


def _state(dialog: QDialog) -> list:
    """What the user can have typed or chosen in ``dialog``: texts, choices, ticks, values, small tables' cells."""
    values: list = []
    for widget in dialog.findChildren(QWidget):
        if isinstance(widget, QLineEdit):
            values.append(widget.text())
        elif isinstance(widget, (QPlainTextEdit, QTextEdit)):
            values.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            values.append((widget.currentIndex(), widget.currentText()))
        elif isinstance(widget, QAbstractSpinBox):
            values.append(widget.text())
        elif isinstance(widget, QAbstractButton) and widget.isCheckable():
            values.append(widget.isChecked())
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            values.append(_cells(widget))
    return values


def _cells(view: QAbstractItemView) -> tuple:
    model, root = view.model(), view.rootIndex()
    rows = model.rowCount(root)
    try:
        columns = model.columnCount(root)
    except TypeError:  # a QAbstractListModel's columnCount is private: one column
        columns = 1
    if rows * columns > 2000:  # not a form's list: its size stands for it
        return (rows, columns)
    cells = [model.index(r, c, root) for r in range(rows) for c in range(columns)]
    return tuple((cell.data(), cell.data(Qt.ItemDataRole.CheckStateRole)) for cell in cells)


def confirm_discard(dialog: QDialog) -> bool:
    """True when the user agrees to close ``dialog`` and lose what was typed (tests replace it)."""
    box = QMessageBox(QMessageBox.Icon.Question, dialog.windowTitle(),
                      _("Close without saving? What you typed will be lost."),
                      QMessageBox.StandardButton.NoButton, dialog)
    discard = box.addButton(_("Close without saving"), QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton(_("Continue editing"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    chosen = box.clickedButton() is discard
    box.deleteLater()
    return chosen


def dialog_state(dialog: QDialog) -> list | None:
    """What can have been typed or chosen in ``dialog`` (``_state``); None when a widget could not be read."""
    try:
        return _state(dialog)
    except Exception as exc:  # a widget this does not know how to read: no question rather than a crash
        log.warning("reading the dialog's inputs failed: %r", exc)
        return None
