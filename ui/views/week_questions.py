"""The week's questions log of the current client: read when shown, and its actions (new, edit, close; undoable)."""

from __future__ import annotations

from app.i18n import _
from app.services import edit_undo
from app.services import questions as question_service
from app.services.changes import Changes
from app.services.clients import get_client
from app.services.worklog import contract_date
from ui.dialogs.questions.close_dialog import CloseChoice, CloseQuestionDialog
from ui.dialogs.questions.question_dialog import QuestionDialog
from ui.undo import UndoStep, edit_step
from ui.views.week_base import Holder, WeekBase


class WeekQuestions(WeekBase):
    """The questions part of WeekViews: the log follows the window's current client."""

    def _load_questions(self) -> None:
        client_id = self._questions_client
        self._questions_loaded = client_id
        self.questions.set_questions(question_service.list_questions(self.db, client_id) if client_id else [])

    def _forget_questions(self) -> None:
        if self._questions_loaded != self._questions_client:  # never show another client's questions
            self._questions_loaded = None
            self.questions.set_questions([])

    def show_client(self, client_id: int | None) -> None:
        """The questions log follows the window's current client (told again after every action: the same
        client shown, or read once the log is shown, needs nothing — on_changes re-reads what changed)."""
        if client_id == self._questions_client and (
                self._questions_loaded == client_id or self._questions_loader.stale):
            return
        self._questions_client = client_id
        self.questions.setEnabled(client_id is not None)
        self._questions_loader.request()

    def new_question(self) -> None:
        client_id = self._questions_client or self._current_client()
        if client_id is None:
            return
        details = get_client(self.db, client_id)
        db = self.db

        def submit(data) -> None:
            def step(result) -> UndoStep:
                question = Holder(result[0])

                def redo() -> Changes:
                    question.value, changes = question_service.add_question(db, client_id, data)
                    return changes

                return UndoStep(_("new question"), redo, lambda: question_service.delete_question(db, question.value))

            self._run(lambda: question_service.add_question(db, client_id, data), step, from_dialog=True)

        dialog = QuestionDialog(details.data.name, self._staff(client_id), submit, contract=details.data.contract_date,
                                parent=self.agenda.window())
        dialog.exec()
        dialog.deleteLater()

    def _question(self, question_id: int):
        return next((r for r in question_service.list_questions(self.db, self._questions_client)
                     if r.id == question_id), None)

    def edit_question(self, question_id: int) -> None:
        row = self._question(question_id)
        if row is None:
            return
        db = self.db
        base = Holder(edit_undo.base_of("question", row.as_input()))  # what the dialog shows: only changes are saved

        def submit(data) -> None:  # undo puts back only what this edit changed (tester Q #1)
            self._run(lambda: edit_undo.save_question(db, question_id, data, base.value),
                      lambda saved: edit_step(db, _("change the question"), saved[0]), from_dialog=True,
                      on_conflict=base)

        dialog = QuestionDialog(row.client_name, self._staff(row.client_id), submit, question=row,
                                contract=contract_date(db, row.client_id), parent=self.agenda.window())
        dialog.exec()
        dialog.deleteLater()

    def close_question(self, question_id: int) -> None:
        row = self._question(question_id)
        if row is None:
            return
        db = self.db

        def submit(choice: CloseChoice) -> None:
            def close() -> Changes:
                return question_service.close_question(db, question_id, answer=choice.answer,
                                                       minutes=choice.minutes or None, on=choice.on)[1]

            self._run(close, UndoStep(_("question solved"), close,
                                      lambda: question_service.reopen_question(db, question_id)), from_dialog=True)

        dialog = CloseQuestionDialog(row, submit, contract=contract_date(db, row.client_id), parent=self.agenda.window())
        dialog.exec()
        dialog.deleteLater()
