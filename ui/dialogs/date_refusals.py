"""How a form says that a date field holds no date: beside the form as soon as the field is left, and on the
dialog's OK (a view's Add), which is refused with the field's label in front («Начало: даты 31.04.2027 нет…»)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from ui.dialogs.date_field import DateField


def refusal(field: DateField) -> str:
    """Why ``field`` holds no date, with its label («Начало: даты 31.04.2027 нет…»); «» when it holds one. The text
    typed is taken first, as OK and Enter do."""
    field.interpretText()
    return field.labelled(field.problem())


def date_problem(root: QWidget) -> str:
    """``refusal`` of the first date field under ``root`` (shown and enabled) that holds no date, which gets the
    focus; «» when every one holds a date. A dialog's OK (a view's Add) asks it before reading ``date()``."""
    for field in root.findChildren(DateField):
        if field.isVisibleTo(root) and field.isEnabled():
            said = refusal(field)
            if said:
                field.setFocus(Qt.FocusReason.OtherFocusReason)
                return said
    return ""


def say_refusals(root: QWidget, show: Callable[[str], None], shown: Callable[[], str]) -> None:
    """Say near the form, as soon as a date field under ``root`` is left (or typed whole) holding no date, why
    (``show(text)``); the sentence goes (``show("")``) once the date is good again, unless something else was said
    meanwhile (``shown()`` returns what is said now)."""
    for field in root.findChildren(DateField):
        field.refused.connect(lambda problem, f=field: _said(f, problem, show, shown))


def _said(field: DateField, problem: str, show: Callable[[str], None], shown: Callable[[], str]) -> None:
    if problem:
        field.setProperty("saidRefusal", field.labelled(problem))
        show(field.labelled(problem))
    elif shown() and shown() == field.property("saidRefusal"):
        show("")
