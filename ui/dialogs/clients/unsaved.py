"""The question before an action that replaces the data under unsaved client-card edits (a restore, a bundle import).

Closing the window asks about unsaved edits; a restore did not, and the card then offered the data the restore took
away as the user's «unsaved changes» (tester Q #2). The answer: save them first, drop them, or stay."""

from __future__ import annotations

from enum import Enum

from PySide6.QtWidgets import QMessageBox, QWidget

from app.domain.quotes import in_quotes
from app.i18n import _, ngettext
from ui.ops import shortened
from ui.qtutil import program_title


class Unsaved(Enum):
    SAVE = "save"
    DISCARD = "discard"


def ask_before_replacing(parent: QWidget | None, names: list[str], informative: str) -> Unsaved | None:
    """Ask what to do with the unsaved edits of the cards of ``names``; None: cancel the action (the default)."""
    quoted = [f"«{in_quotes(name)}»" for name in names]
    shown = shortened(quoted)  # as a refusal's box bounds its lines: drafts of many clients kept the box on screen
    text = ngettext("Unsaved changes in the card: {names}.", "Unsaved changes in the cards: {names}.",
                    len(names)).format(names=", ".join(shown))
    box = QMessageBox(QMessageBox.Icon.Question, program_title(), text, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("unsavedBeforeReplacing")
    box.setInformativeText(informative)
    if shown != quoted:
        box.setDetailedText("\n".join(quoted))
    save = box.addButton(_("Save"), QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(_("Don't save"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    return Unsaved.SAVE if clicked is save else Unsaved.DISCARD if clicked is discard else None
