"""The keys of a date field (``ui.dialogs.date_field.DateField``): its text is fixed sections under an input mask
(dd.MM.yyyy HH:mm, typing overwrites). A click or Tab puts a whole section up for typing and Tab walks the sections
before it leaves, as QDateEdit did; a separator typed as another one («1/4/2026») skips to the next section; what the
mask alone gets wrong is laid here: a date typed year first («2026-04-01» made 20.26.0401) and a whole date pasted.
It notes which sections hold what erasing left rather than what was typed («06.12.20__» erased from 2027 is no year
2020, «1_» erased from 16 no day 1: ``_cut``). A digit of another script («２», typed through an IME) is the digit
0–9, as in every number field (``app.domain.money.typed_digits``). The reading of the text is the field's
(``_typed``)."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QAction, QContextMenuEvent, QFocusEvent, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QDateTimeEdit, QWidget

from app.domain.money import typed_digits
from ui.dialogs.date_typing import BLANK, not_a_date, pasted, sections, separator_for, year_first

_QT_SECTIONS = {QDateTimeEdit.Section.DaySection: "day", QDateTimeEdit.Section.MonthSection: "month",
                QDateTimeEdit.Section.YearSection: "year", QDateTimeEdit.Section.HourSection: "hour",
                QDateTimeEdit.Section.MinuteSection: "minute"}


class SectionedEdit(QAbstractSpinBox):
    """A spin box whose text is the sections of ``fmt`` (``date_typing.DATE``…), typed key by key."""

    def __init__(self, fmt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._format = fmt
        self._sections = sections(fmt)
        self._current = 0  # the section Up/Down step and Tab starts from
        self._digits = {section.kind: section.width for section in self._sections}  # in each section, last seen
        self._cut: set[str] = set()  # sections holding what erasing left of them («06.12.20__»): not typed whole
        self._over: set[str] = set()  # sections the key being typed replaces whole (selected)
        self._keys: str | None = None  # typed from the field's start: a year first («2026-04-01») is laid here
        self._keys_over = ""  # the text those keys are typed over
        edit = self.lineEdit()
        edit.setInputMask(re.sub(r"[dMyHm]", "0", fmt) + ";" + BLANK)
        edit.textEdited.connect(self._edited)
        edit.cursorPositionChanged.connect(self._cursor_moved)
        edit.installEventFilter(self)

    def _typed(self, text: str) -> None:
        """The text as the user has just made it (the field reads it)."""
        raise NotImplementedError

    def _not_pasted(self, clip: str) -> None:
        """``clip``, pasted, is no date and is not laid in the sections (the field says so)."""

    def _edited(self, text: str) -> None:
        ascii_text = typed_digits(text)  # «２» from an input method: one character for one, the cursor stays
        if ascii_text != text:
            edit = self.lineEdit()
            at = edit.cursorPosition()
            edit.setText(ascii_text)
            edit.setCursorPosition(at)
            text = ascii_text
        for section in self._sections:
            digits = sum(c.isdigit() for c in text[section.start:section.start + section.width])
            if digits in (0, section.width) or section.kind in self._over:
                self._cut.discard(section.kind)
            elif digits < self._digits[section.kind]:  # erased, not typed: «20» left of 2027 is no year 2020
                self._cut.add(section.kind)
            self._digits[section.kind] = digits
        self._over = set()
        self._typed(text)

    def _keys_forgotten(self) -> None:
        """The text was set whole (a date shown): no section cut, no date being typed year first."""
        self._digits = {section.kind: section.width for section in self._sections}
        self._cut, self._keys = set(), None

    def _section_at(self, position: int) -> int:
        for index, section in enumerate(self._sections):
            if position <= section.start + section.width:
                return index
        return len(self._sections) - 1

    def _cursor_moved(self, _old: int, new: int) -> None:
        if self.lineEdit().hasFocus() or self.hasFocus():
            edit = self.lineEdit()
            self._current = self._section_at(edit.selectionStart() if edit.hasSelectedText() else new)

    def select_section(self, index: int) -> None:
        """Select the index-th section (0: the first), as Tab and a click do."""
        self._current = max(0, min(index, len(self._sections) - 1))
        section = self._sections[self._current]
        self.lineEdit().setSelection(section.start, section.width)

    def currentSectionIndex(self) -> int:
        return self._current

    def setSelectedSection(self, section: QDateTimeEdit.Section) -> None:
        """QDateTimeEdit's way of putting a section up for typing (DaySection, MonthSection…)."""
        kinds = [s.kind for s in self._sections]
        kind = _QT_SECTIONS.get(section)
        if kind in kinds:
            self.select_section(kinds.index(kind))

    def currentSection(self) -> QDateTimeEdit.Section:
        kind = self._sections[self._current].kind
        return next(qt for qt, own in _QT_SECTIONS.items() if own == kind)

    @staticmethod
    def _ascii_key(event: QKeyEvent) -> QKeyEvent:
        """``event``, or the same key with the ASCII character its text stands for: a digit of another script
        («２», full-width as an IME types it) is that digit, «．» and «－» the separators."""
        text = event.text()
        plain = typed_digits(text)
        if plain == text or len(plain) != 1:
            return event
        key = Qt.Key(ord(plain)) if plain.isdigit() else {".": Qt.Key.Key_Period, "-": Qt.Key.Key_Minus,
                                                          ",": Qt.Key.Key_Comma, ":": Qt.Key.Key_Colon}.get(
            plain, Qt.Key.Key_unknown)
        return QKeyEvent(event.type(), key, event.modifiers(), plain, event.isAutoRepeat(), event.count())

    def _as_separator(self, event: QKeyEvent) -> QKeyEvent | None:
        """``event``, or the separator key it stands for, or None for a key that does nothing
        (``date_typing.separator_for``)."""
        if event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            return event
        edit = self.lineEdit()
        at = edit.selectionStart() if edit.hasSelectedText() else edit.cursorPosition()
        following = separator_for(self._format, at, event.text())
        if following is None or following == event.text():
            return None if following is None else event
        key = {".": Qt.Key.Key_Period, " ": Qt.Key.Key_Space, ":": Qt.Key.Key_Colon}.get(following, Qt.Key.Key_Period)
        return QKeyEvent(event.type(), key, Qt.KeyboardModifier.NoModifier, following)

    def _took_key(self, event: QKeyEvent) -> bool:
        """Keys the mask alone gets wrong, before it sees them: Paste (Ctrl+V, Shift+Insert) of a whole date, and a
        date typed year first («2026-04-01» made 20.26.0401), laid here; True when the key is taken. Notes, for
        ``_edited``, which sections the key replaces whole."""
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
            return True
        if event.key() in (Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta):
            return False
        edit, typed = self.lineEdit(), event.text()
        if not typed or not typed.isprintable() or self.isReadOnly() or event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            self._keys = None
            return False
        self._over = self._covered()
        at = edit.selectionStart() if edit.hasSelectedText() else edit.cursorPosition()
        if at == 0 and (self._keys is None or year_first(self._keys, self._format, self._keys_over) is None):
            end = edit.selectionEnd() if edit.hasSelectedText() else 0
            self._keys, self._keys_over = "", "".join(  # what the mask leaves of a selection typed over: blanks
                BLANK if i < end and c.isalpha() else shown for i, (c, shown) in enumerate(
                    zip(self._format, edit.displayText(), strict=False)))
        if self._keys is None:
            return False
        self._keys += typed
        laid = year_first(self._keys, self._format, self._keys_over)
        if laid is None:
            if not re.fullmatch(r"\d{0,4}", self._keys):  # no year typed first
                self._keys = None
            return False
        self._over = set(self._digits)
        edit.setText(laid[0])
        edit.setCursorPosition(laid[1])
        self._edited(laid[0])
        return True

    def _covered(self) -> set[str]:
        """The sections the selection holds whole (one selected, or all): what is typed there replaces them."""
        edit = self.lineEdit()
        start, end = (edit.selectionStart(), edit.selectionEnd()) if edit.hasSelectedText() else (0, 0)
        return {s.kind for s in self._sections if start <= s.start and s.start + s.width <= end}

    def paste(self) -> None:
        """Paste: a whole date («2026-04-01», «01/04/2026», «1.4.26», with a time or not) fills every section as it
        means (``date_typing.pasted``); anything else goes to the mask as typed."""
        edit = self.lineEdit()
        clip = QGuiApplication.clipboard().text()
        laid = pasted(clip, self._format, edit.displayText())
        if laid is None and not self.isReadOnly() and not_a_date(clip):
            self._not_pasted(clip)  # its digits poured into the sections made «1 апреля 2026» 12.02.6
            return
        if laid is None or self.isReadOnly():
            self._over = self._covered()
            edit.paste()
            return
        self._keys, self._over = None, set(self._digits)
        edit.setText(laid)
        edit.setCursorPosition(len(self._format))
        self._edited(laid)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """The spin box's menu, its Paste going through ``paste``."""
        menu = self.lineEdit().createStandardContextMenu()
        action = menu.findChild(QAction, "edit-paste")
        if action is not None:
            action.triggered.disconnect()
            action.triggered.connect(self.paste)
        menu.addSeparator()
        up = menu.addAction(QCoreApplication.translate("QAbstractSpinBox", "&Step up"))
        up.setEnabled(bool(self.stepEnabled() & QAbstractSpinBox.StepEnabledFlag.StepUpEnabled))
        down = menu.addAction(QCoreApplication.translate("QAbstractSpinBox", "Step &down"))
        down.setEnabled(bool(self.stepEnabled() & QAbstractSpinBox.StepEnabledFlag.StepDownEnabled))
        chosen = menu.exec(event.globalPos())
        menu.deleteLater()
        if chosen in (up, down):
            self.stepBy(1 if chosen is up else -1)
        event.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.lineEdit() and event.type() == QEvent.Type.MouseButtonPress:
            self._keys = None
        if watched is self.lineEdit() and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            plain = self._ascii_key(event)
            if plain is not event:  # the key as the ASCII one, through this same filter
                QCoreApplication.sendEvent(watched, plain)
                return True
            if self._took_key(event):
                return True
            separator = self._as_separator(event)
            if separator is not event:
                if separator is not None:
                    self.lineEdit().event(separator)
                return True
        # a click puts the whole section under the cursor up for typing (typing overwrites: a click just after
        # «06» would have typed the day into the month)
        if (watched is self.lineEdit() and event.type() == QEvent.Type.MouseButtonRelease
                and not self.lineEdit().hasSelectedText()):
            self.select_section(self._section_at(self.lineEdit().cursorPosition()))
        return super().eventFilter(watched, event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if event.reason() == Qt.FocusReason.TabFocusReason:
            self.select_section(0)
        elif event.reason() == Qt.FocusReason.BacktabFocusReason:
            self.select_section(len(self._sections) - 1)

    def focusNextPrevChild(self, forward: bool) -> bool:
        # Tab walks the sections, then leaves the field (as QDateEdit did); the calendar button takes no focus
        if self.hasFocus():
            following = self._current + (1 if forward else -1)
            if 0 <= following < len(self._sections):
                self.select_section(following)
                return True
        return super().focusNextPrevChild(forward)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        event = self._ascii_key(event)
        if self._took_key(event):
            event.accept()
            return
        separator = self._as_separator(event)
        if separator is None:
            event.accept()
            return
        super().keyPressEvent(separator)
