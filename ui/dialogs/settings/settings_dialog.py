"""Settings: interface language, stalled threshold, soft column limits, billing rounding, lesson plan import."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import i18n
from app.domain.stages import STAGE_SHORT, Stage
from app.errors import UserError
from app.i18n import _, format_number
from app.services import board
from app.services.changes import Changes
from ui.dialogs.reason import ReasonDialog
from ui.dialogs.templates.checklist_page import ChecklistTemplatePage
from ui.dialogs.templates.rates_page import RatesPage
from ui.dialogs.templates.reminders_page import RemindersPage
from ui.models.worklog import ROUNDING_CHOICES
from ui.ops import Ops
from ui.palette import text_style
from ui.qtutil import fit_to_screen, name_inputs
from ui.settings import LIMITS_KEY, column_limits

LANGUAGE_KEY = "ui/language"
def choose_lesson_plan(parent: QWidget) -> str:
    path, _filter = QFileDialog.getOpenFileName(parent, _("Import the lesson plan"), "",
                                                _("Lesson plan (*.csv *.json);;All files (*)"))
    return path


class SettingsDialog(QDialog):
    """Every write runs through ``ops`` (the window's runner; a dialog on its own makes one) and is also
    emitted as ``changed(changes)``."""

    changed = Signal(object)  # Changes (lesson plan imported, stalled threshold or rounding changed)

    def __init__(self, db, settings: QSettings, parent: QWidget | None = None,
                 choose_file: Callable[[QWidget], str] = choose_lesson_plan, ops: Ops | None = None) -> None:
        from app.services.entry_rounding import billing_rounding

        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(_("Settings"))
        self.db, self.settings, self.choose_file = db, settings, choose_file
        self.ops = ops if ops is not None else Ops(db, self)

        self.language = QComboBox(self)
        self.language.setObjectName("languageCombo")
        self.language.addItem("Русский", "ru")
        self.language.addItem("English", "en")
        current = str(settings.value(LANGUAGE_KEY, i18n.language()))
        self.language.setCurrentIndex(max(0, self.language.findData(current)))
        restart = QLabel(_("The new language applies after the program is restarted."), self)
        restart.setWordWrap(True)
        restart.setStyleSheet(text_style("muted"))

        self.stalled = QSpinBox(self)
        self.stalled.setObjectName("stalledDays")
        self.stalled.setRange(1, board.MAX_STALLED_DAYS)
        self.stalled.setSuffix(_(" days"))
        self.stalled.setValue(board.stalled_days(db))
        self._stalled_before = self.stalled.value()

        general = QGroupBox(_("General"), self)
        form = QFormLayout(general)
        form.addRow(_("Interface language:"), self.language)
        form.addRow("", restart)
        form.addRow(_("A client is stalled after:"), self.stalled)

        billing = QGroupBox(_("Billing"), self)
        billing_form = QFormLayout(billing)
        self.rounding = QComboBox(self)
        self.rounding.setObjectName("billingRounding")
        for step, title in ROUNDING_CHOICES:
            self.rounding.addItem(_(title), step)
        self._rounding_before = billing_rounding(db)
        self.rounding.setCurrentIndex(max(0, self.rounding.findData(self._rounding_before)))
        self.rounding.setToolTip(_("Each time entry is rounded up for billing; raw minutes stay as logged. "
                                   "A bill states hours to 0.01 h and charges them as stated."))
        billing_form.addRow(_("Billing rounding (all clients):"), self.rounding)
        from app.services.billing_settings import team_settings_refusal

        self._team_refusal = team_settings_refusal(db)  # a team laptop, not its administrator: the team's setting
        if self._team_refusal is not None:
            self.rounding.setEnabled(False)
            self.rounding.setToolTip(self._team_refusal.message)

        limits_box = QGroupBox(_("Soft limit of clients per board column (0 — none)"), self)
        grid = QGridLayout(limits_box)
        self.limits: list[QSpinBox] = []
        for stage, limit in zip(Stage, column_limits(settings), strict=True):
            spin = QSpinBox(self)
            spin.setObjectName(f"limit{int(stage)}")
            spin.setRange(0, 100_000)
            spin.setValue(limit)
            spin.setSpecialValueText(_("none"))
            label = QLabel(_(STAGE_SHORT[stage]), self)
            label.setBuddy(spin)
            grid.addWidget(label, 0, int(stage))
            grid.addWidget(spin, 1, int(stage))
            self.limits.append(spin)

        lessons_box = QGroupBox(_("Lesson plan"), self)
        lessons_layout = QVBoxLayout(lessons_box)
        hint = QLabel(_("A ;-separated CSV (UTF-8 or Windows-1251) or a JSON list with the columns code, number, "
                        "title, section, stage, duration_min, video_url. The whole plan is checked first: "
                        "either every lesson is imported or none. Lessons missing from the new plan are hidden, "
                        "their progress is kept."), self)
        hint.setWordWrap(True)
        hint.setObjectName("lessonPlanHint")
        self.import_button = QPushButton(_("Import lesson plan…"), self)
        self.import_button.setObjectName("importLessonPlan")
        self.import_result = QLabel(self)
        self.import_result.setWordWrap(True)
        lessons_layout.addWidget(hint)
        lessons_layout.addWidget(self.import_button)
        lessons_layout.addWidget(self.import_result)
        self.import_button.clicked.connect(self.import_plan)

        executor = QPushButton(_("Executor details…"), self)
        executor.setToolTip(_("Your company's details printed in every document"))
        executor.clicked.connect(self._executor)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        common = QWidget(self)
        common_layout = QVBoxLayout(common)
        for widget in (general, billing, limits_box, lessons_box, executor):
            common_layout.addWidget(widget)
        common_layout.addStretch(1)
        # issue 16's pages write through their services at once; their Changes reach the window here
        self.checklist_page = ChecklistTemplatePage(db, self)
        self.rates_page = RatesPage(db, self)
        self.reminders_page = RemindersPage(db, self)
        self.pages = QTabWidget(self)
        self.pages.setObjectName("settingsPages")
        # the page scrolls in a low dialog: fit to 1024×576 it squeezed «План уроков»'s wrapped text to 34 of the
        # 56 px it needs, cut through its lines (tester O, round 11)
        common_scroll = QScrollArea(self)
        common_scroll.setObjectName("commonSettingsScroll")
        common_scroll.setWidgetResizable(True)
        common_scroll.setFrameShape(QFrame.Shape.NoFrame)
        common_scroll.setWidget(common)
        self.pages.addTab(common_scroll, _("Common"))
        for page, title in ((self.checklist_page, _("Checklist template")), (self.rates_page, _("Rates")),
                            (self.reminders_page, _("Reminders"))):
            page.changed.connect(lambda changes: self.ops.announce(changes, self))
            self.pages.addTab(page, title)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
        fit_to_screen(self, 720, 680)
        name_inputs(self)

    def _run(self, action, on_error=None):
        """One write through the runner; the changes are emitted as ``changed`` too."""
        result = self.ops.run(action, initiator=self, on_error=on_error)
        if result is not None:
            changes = result[-1] if isinstance(result, tuple) else result
            self.changed.emit(changes)
        return result

    def import_plan(self) -> None:
        path = self.choose_file(self)
        if not path:
            return
        from app.services.lessons_import import import_lesson_plan

        def refused(exc: UserError) -> None:
            self.import_result.setText("")
            self.ops.report_error(exc)  # the runner's one way: the message and its details

        outcome = self._run(lambda: import_lesson_plan(self.db, path), refused)
        if outcome is None:
            return
        result = outcome[0]
        self.import_result.setText(_("Imported {total} lessons: {added} new, {updated} updated, {hidden} hidden.")
                                   .format(total=format_number(result.total), added=format_number(result.added),
                                           updated=format_number(result.updated), hidden=format_number(result.hidden)))

    def _executor(self) -> None:
        from ui.dialogs.documents.executor import open_executor_settings

        changes = open_executor_settings(self, self.db)
        if changes is not None:
            self.ops.announce(changes, self)
            self.changed.emit(changes)

    def rounding_reason_dialog(self, step: int, refusal: UserError) -> ReasonDialog:
        """The box asking why the rounding changes over billed work (``refusal`` names the acts); OK forces the
        change with the reason typed, a refusal keeps the box open with the text. The refusal told the user to
        «подтвердите изменение» and the window had no way to (tester P, item 4)."""
        from app.services.entry_rounding import set_billing_rounding

        def submit(text: str) -> str | None:
            errors: list[UserError] = []
            done = self._run(lambda: set_billing_rounding(self.db, step, force=True, reason=text), errors.append)
            return None if done is not None else (errors[0].message if errors else _("Nothing was changed."))

        prompt = refusal.message + "\n\n" + _("Change the rounding anyway? Work already billed keeps the rounding "
                                               "of its act. Why is it changed?")
        return ReasonDialog(_("Change the billing rounding"), prompt, submit, self, ok_text=_("Change"))

    def confirm_rounding(self, step: int, refusal: UserError) -> bool:
        """Ask why (``rounding_reason_dialog``); True once the forced change is saved."""
        return self.rounding_reason_dialog(step, refusal).exec() == QDialog.DialogCode.Accepted

    def accept(self) -> None:
        """One OK is one action: a refused team setting is found before anything is saved (the trial saw the
        threshold and the column limits saved under a «nothing was changed» message)."""
        from app.services.entry_rounding import set_billing_rounding
        from app.services.tariffs import BilledChangeRefused

        def refused(exc: UserError) -> None:
            self.ops.report_error(exc)  # the runner's one way of showing a refusal

        step = int(self.rounding.currentData())
        if step != self._rounding_before and self._team_refusal is not None:
            refused(self._team_refusal)
            return
        if self.stalled.value() != self._stalled_before:
            if self._run(lambda: board.set_stalled_days(self.db, self.stalled.value()), refused) is None:
                return
            self._stalled_before = self.stalled.value()
        if step != self._rounding_before:
            billed: list[UserError] = []

            def rounding_refused(exc: UserError) -> None:
                (billed.append if isinstance(exc, BilledChangeRefused) else refused)(exc)

            if self._run(lambda: set_billing_rounding(self.db, step), rounding_refused) is None:
                if not billed or not self.confirm_rounding(step, billed[0]):
                    return
            self._rounding_before = step
        self.settings.setValue(LANGUAGE_KEY, self.language.currentData())
        self.settings.setValue(LIMITS_KEY, [spin.value() for spin in self.limits])
        self.settings.sync()
        self.ops.announce(Changes(settings=True), self)  # column limits live in QSettings
        self.changed.emit(Changes(settings=True))
        super().accept()
