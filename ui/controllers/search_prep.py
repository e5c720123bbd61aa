"""The work area's search made ready off the UI thread: the digit and first-letter indexes, the question search
compiled, and the clients the search finds by their questions (a base of WorkArea)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QStackedWidget as AreaBase

    from app.services.questions import QuestionSearchMemo
    from ui.models.clients import ClientTableModel
    from ui.tasks import TaskManager
else:
    AreaBase = object


class SearchPrep(AreaBase):
    """The search's preparation; it acts on the work area's state (``ui.work_area.WorkArea``)."""

    if TYPE_CHECKING:  # the work area's state these use
        db: Any
        tasks: TaskManager
        clients: ClientTableModel
        _letters_later: QTimer
        _question_search: QuestionSearchMemo | None

    def _prepare_search_indexes(self) -> None:
        """Once the reads of a load or a reload are delivered: the digit search's index (ui.models.digit_index)
        made in a worker, so that the first phone or ИНН typed does not make it on the UI thread (~60 ms at
        50 000 clients), and the first word's (ui.models.letter_index: the first letter answered without a pass
        over every text, from 10 000 clients). Each taken only if no row changed meanwhile."""
        job = self.clients.digit_index_work()
        if job is not None:
            generation, work = job
            self.tasks.start(lambda _progress: work(), lambda index: self.clients.take_digit_index(generation, index),
                             lambda _exc: None)  # the search makes it when asked
        self._prepare_letter_index()

    def _prepare_letter_index(self) -> None:
        """The first word's index (ui.models.letter_index) made in a worker, unless there is one or one is being
        made for these rows; taken only if no row changed meanwhile."""
        letters = self.clients.letter_index_work()
        if letters is not None:
            generation, make = letters
            self.tasks.start(lambda _progress: make(), lambda index: self.clients.take_letter_index(generation, index),
                             lambda _exc: None)  # the search passes over the texts without it

    def _letters_maybe_dropped(self, *_args) -> None:
        """After a sort or rows updated: a letter index dropped (its rows' places changed: a sort, a client added or
        renamed) is made again LETTERS_AFTER_MS after the last such change, once the window is idle — not in the
        paint of the change (its worker holds the interpreter ~0.2 s at 50 000 clients), and not only at the
        next reload."""
        if self.clients.letter_index_missing():
            self._letters_later.start()

    def _prepare_question_search(self) -> None:
        """The search's question statement compiled in a worker (app.services.questions.prepare_question_search),
        not on the first letter typed."""
        db = self.db
        if db is None:
            return
        from app.services.questions import prepare_question_search

        self.tasks.start(lambda _progress: prepare_question_search(db), lambda _result: None,
                         lambda _exc: None)  # a failure costs only the first letter's compile

    def _clients_with_matching_questions(self, text: str) -> set[int]:
        """The search also finds clients by their questions and answers (one query per search pause)."""
        if self.db is None:  # the first screen: the questions are searched once the database is open
            return set()
        if self._question_search is None:
            from app.services.questions import QuestionSearchMemo

            self._question_search = QuestionSearchMemo()
        return self._question_search(self.db, text)
