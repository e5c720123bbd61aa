"""Questions log per client: add, edit, close with time (logging «вопросы» work), reopen, list, count, search."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain import validation as v
from app.domain.money import typed_digits
from app.errors import NotFoundError, UserError
from app.i18n import N_, _, in_russian
from app.persistence.db import Database
from app.persistence.models import Client, Question, WorkLogEntry
from app.services.billed_work import billed_refusal, billing_act
from app.services.changes import Changes
from app.services.common import find_client, today
from app.services.staff import staff_names, staff_uuid
from app.services.worklog import EntryInput, add_entry_in, parse_minutes

CHANNELS = ("phone", "email", "skype", "in_app", "onsite")
# The process text's channels: телефон, e-mail, Skype, сообщения в программе, на месте.
CHANNEL_TITLES = {
    "phone": N_("phone"),
    "email": N_("e-mail"),
    "skype": N_("Skype"),
    "in_app": N_("message in the program"),
    "onsite": N_("on site"),
}
STATUSES = ("open", "solved")
STATUS_TITLES = {"open": N_("open"), "solved": N_("solved")}
EARLIEST = date(2000, 1, 1)
MAX_TEXT = 4000
MAX_QUERY = 200


def normalise(text: str) -> str:
    """Text as search compares it: casefolded, «ё» as «е», runs of spaces as one space."""
    return re.sub(r"\s+", " ", (text or "").casefold().replace("ё", "е")).strip()


@dataclass(frozen=True)
class QuestionInput:
    """A question as typed; ``employee`` is who asked — a client employee's id, UUID or name (or empty)."""

    asked_on: date
    channel: str
    question: str
    employee: str = ""
    answer: str = ""


@dataclass(frozen=True)
class QuestionRow:
    id: int
    client_id: int
    client_name: str
    asked_on: date
    channel: str
    employee_uuid: str
    employee_name: str
    question: str
    answer: str
    status: str
    minutes: int | None
    entry_id: int | None

    @property
    def channel_title(self) -> str:
        return _(CHANNEL_TITLES[self.channel])

    @property
    def status_title(self) -> str:
        return _(STATUS_TITLES[self.status])

    def as_input(self) -> QuestionInput:
        """The question as the input that would log it again (editing, undoing an edit)."""
        return QuestionInput(self.asked_on, self.channel, self.question, self.employee_uuid, self.answer)

    def as_json(self) -> dict:
        return {"id": self.id, "client_id": self.client_id, "client": self.client_name,
                "date": self.asked_on.isoformat(), "channel": self.channel, "asked_by": self.employee_name,
                "question": self.question, "answer": self.answer, "status": self.status,
                "minutes": self.minutes, "entry_id": self.entry_id}


def parse_channel(text: str) -> str:
    """A channel code from its code or its (Russian or English) title, e.g. «телефон», «e-mail», «skype»."""
    value = normalise(text)
    for code, title in CHANNEL_TITLES.items():
        if value in (code, normalise(title), normalise(_(title)), normalise(in_russian(title))):
            return code
    raise UserError(_("Unknown channel «{channel}»: use one of {channels}.").format(
        channel=str(text)[:40], channels=", ".join(CHANNELS)))


def _employee(s: Session, client: Client, ref: str, stored: str = "") -> str:
    """``ref``'s UUID on the client's staff; ``stored``, the asker the question holds, is taken back as it is even when
    they have left the staff since (their card deleted): an edit of the answer (or its undo) was refused as «not found
    at this client», and the window's dialog cleared «Кто спросил» (r13)."""
    text = (ref or "").strip()
    if stored and text == stored:
        return stored
    return staff_uuid(s, client, text) if text else ""


def question_texts(data: QuestionInput) -> tuple[str, str, str]:
    """The channel code, the question and the answer of ``data`` as stored; UserError when one is refused."""
    channel = data.channel if data.channel in CHANNELS else parse_channel(data.channel)
    return (channel, v.clean_multiline(data.question, _("Question"), required=True, max_len=MAX_TEXT),
            v.clean_multiline(data.answer, _("Answer"), max_len=MAX_TEXT))


def _clean(s: Session, client: Client, data: QuestionInput, on: date, stored: str = "") -> dict:
    if not isinstance(data.asked_on, date):
        raise UserError(_("The date of the question is required."))
    if data.asked_on < EARLIEST:
        raise UserError(_("The date {date} is too early: questions start from 2000.").format(
            date=v.day_text(data.asked_on)))
    if data.asked_on > on + timedelta(days=1):  # a day of slack for the client's time zone
        raise UserError(_("The date {date} is in the future: a question is logged when it is asked.").format(
            date=data.asked_on.strftime("%d.%m.%Y")))
    channel, question, answer = question_texts(data)
    return {"asked_on": data.asked_on, "channel": channel, "question": question, "answer": answer,
            "employee_uuid": _employee(s, client, data.employee, stored),
            "search_text": normalise(f"{question} {answer}")}


def _changed(client_id: int, worklog: bool = False) -> Changes:
    return Changes(questions=True, clients=True, worklog=worklog, client_ids=frozenset({client_id}))


def add_question(db: Database, client_ref: int | str, data: QuestionInput, *,
                 on: date | None = None) -> tuple[int, Changes]:
    """Log a client's question (open); returns its id."""
    with db.unit() as s:
        client = find_client(s, client_ref)
        row = Question(client_id=client.id, status="open", **_clean(s, client, data, on or today()))
        s.add(row)
        s.flush()
        return row.id, _changed(client.id)


def _question(s: Session, question_id: int | str) -> Question:
    number = typed_digits(str(question_id).strip())  # «²».isdigit() is true and int() fails on it
    row = s.get(Question, int(number)) if number.isascii() and number.isdigit() and len(number) <= 18 else None
    if row is None:
        raise NotFoundError(_("Question No. {id} not found.").format(id=str(question_id)[:20]))
    return row


def update_question(db: Database, question_id: int, data: QuestionInput, *, on: date | None = None) -> Changes:
    """Edit a question's date, channel, who asked, text and answer (status and time stay)."""
    with db.unit() as s:
        return update_question_in(s, question_id, data, on or today())


def update_question_in(s: Session, question_id: int, data: QuestionInput, on: date) -> Changes:
    """``update_question`` inside the session ``s``, ``on`` being today."""
    row = _question(s, question_id)
    client = find_client(s, row.client_id)
    for name, value in _clean(s, client, data, on, row.employee_uuid or "").items():
        setattr(row, name, value)
    return _changed(client.id)


def question_input(s: Session, question_id: int) -> QuestionInput:
    """The question ``question_id`` as stored, as the input that would save it again (``QuestionRow.as_input``)."""
    row = _question(s, question_id)
    return QuestionInput(row.asked_on, row.channel, row.question, row.employee_uuid or "", row.answer)


def delete_question(db: Database, question_id: int) -> Changes:
    """Remove a question (undo of adding it); the work it logged stays in the work log."""
    with db.unit() as s:
        row = _question(s, question_id)
        client_id = row.client_id
        s.delete(row)
    return _changed(client_id)


def close_question(db: Database, question_id: int, *, answer: str | None = None, minutes: int | str | None = None,
                   on: date | None = None) -> tuple[int | None, Changes]:
    """Mark a question solved. With ``minutes`` (90, «1:30», «1,5 ч»…) the time is logged as a «questions»
    work-log entry dated ``on`` (default today, not before the question) so that an act bills it; returns
    that entry's id (None without time). Refused (nothing changed) for a solved question or bad time."""
    day = on or today()
    spent = None if minutes is None or str(minutes).strip() == "" else parse_minutes(minutes)
    text = None if answer is None else v.clean_multiline(answer, _("Answer"), max_len=MAX_TEXT)
    with db.unit() as s:
        row = _question(s, question_id)
        if row.status == "solved":
            raise UserError(_("Question No. {id} is solved already.").format(id=row.id))
        if day < row.asked_on:
            raise UserError(_("The answer ({answer}) cannot come before the question ({asked}).").format(
                answer=day.strftime("%d.%m.%Y"), asked=row.asked_on.strftime("%d.%m.%Y")))
        client = find_client(s, row.client_id)
        entry_id = None
        if spent is not None:
            # a work-log note is one line: the question's lines joined (its start is enough to find it)
            note = _("Question: {text}").format(text=" ".join(row.question.split())[:200])
            entry_id = add_entry_in(s, client, EntryInput(day, "questions", minutes=spent, note=note)).id
        if text is not None:
            row.answer = text
            row.search_text = normalise(f"{row.question} {text}")
        row.status, row.minutes, row.entry_id = "solved", spent, entry_id
        return entry_id, _changed(client.id, worklog=entry_id is not None)


def reopen_question(db: Database, question_id: int) -> Changes:
    """Undo closing: open again; the work-log entry closing created is deleted (soft, kept for sync). Refused for now
    (``billed_work.billed_refusal``, nothing changed) while an act in force bills that entry."""
    with db.unit() as s:
        row = _question(s, question_id)
        worklog = False
        if row.entry_id is not None:
            entry = s.get(WorkLogEntry, row.entry_id)
            if entry is not None and not entry.deleted:
                act = billing_act(s, entry)
                if act is not None:  # the time it logged would leave the log while an act bills it (tester K)
                    raise billed_refusal(_(
                        "Question No. {id} cannot be opened again: the time of its answer (work-log entry No. "
                        "{entry} of {day}) is billed by act {code} of {date}. Void the act first.").format(
                        id=row.id, entry=entry.id, day=v.day_text(entry.on_date), code=act[0],
                        date=v.day_text(act[1])), act[0])
                entry.deleted = True
                worklog = True
        row.status, row.minutes, row.entry_id = "open", None, None
        return _changed(row.client_id, worklog=worklog)


def list_questions(db: Database, client_ref: int | str | None = None, *, status: str | None = None,
                   text: str = "") -> list[QuestionRow]:
    """Questions newest first, optionally of one client, one status, containing ``text`` (normalised)."""
    if status is not None and status not in STATUSES:
        raise UserError(_("Unknown status «{status}»: use open or solved.").format(status=str(status)[:20]))
    with db.read() as s:
        query = (select(Question, Client.name).join(Client, Client.id == Question.client_id)
                 .order_by(Question.asked_on.desc(), Question.id.desc()))
        if client_ref is not None:
            query = query.where(Question.client_id == find_client(s, client_ref).id)
        if status is not None:
            query = query.where(Question.status == status)
        if text.strip():
            query = query.where(_matches(text))
        found = s.execute(query).all()
        uuids = {q.employee_uuid for q, _name in found if q.employee_uuid}
        names = staff_names(s, uuids)  # the departed askers' too
        return [QuestionRow(q.id, q.client_id, name, q.asked_on, q.channel, q.employee_uuid,
                            names.get(q.employee_uuid, ""), q.question, q.answer, q.status, q.minutes, q.entry_id)
                for q, name in found]


def _matches(text: str):
    query = question_query(text)
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return Question.search_text.like(f"%{escaped}%", escape="\\")


def clients_with_questions_matching(db: Database, text: str) -> set[int]:
    """Ids of clients whose questions or answers contain ``text`` (casefolded, ё = е), in one statement;
    the client search adds them to its own matches. Empty for an empty query."""
    if not normalise(text):
        return set()
    with db.read() as s:
        return set(s.scalars(select(Question.client_id).where(_matches(text)).distinct()))


def prepare_question_search(db: Database) -> None:
    """Send ``clients_with_questions_matching``'s statement once, with a text no question holds, so that
    SQLAlchemy compiles it and keeps it in the engine's cache: called from a worker after a load, it spares the
    first letter typed into the client search the compilation (~7 ms on the UI thread). The text is a bound
    parameter, so every later search reuses the compiled form. Errors are the caller's to ignore."""
    clients_with_questions_matching(db, "\u2400\u2400")  # «␀␀»: a printable text no one types


def question_query(text: str) -> str:
    """The text as ``clients_with_questions_matching`` compares it: normalised, at most MAX_QUERY characters."""
    return normalise(text)[:MAX_QUERY]


class QuestionSearchMemo:
    """``clients_with_questions_matching`` for a search box typed letter by letter, without the statements that
    cannot find anything: the statement matches the whole query text as a substring of a question, so a query
    that contains the text of an earlier query which found no question finds none either («завод» after «зав»).
    Remembers the last KEEP such texts; ``forget`` them whenever questions may have changed (every refresh)."""

    KEEP = 16

    def __init__(self, search=None) -> None:
        self._search = search or clients_with_questions_matching  # (db, text) -> set of client ids
        self._misses: list[str] = []

    def __call__(self, db: Database, text: str) -> set[int]:
        """Ids of clients whose questions or answers contain ``text`` (see clients_with_questions_matching)."""
        query = question_query(text)
        if not query or any(miss in query for miss in self._misses):
            return set()
        found = self._search(db, text)
        if not found:
            self._misses = [*self._misses[-(self.KEEP - 1):], query]
        return found

    def forget(self) -> None:
        """Questions may have changed: the next query asks the database again."""
        self._misses = []


def open_question_counts(db: Database, client_ids: list[int] | None = None) -> dict[int, int]:
    """Open questions per client (clients without any are absent), in one statement — for kanban cards."""
    query = (select(Question.client_id, func.count()).where(Question.status == "open")
             .group_by(Question.client_id))
    if client_ids is not None:
        if not client_ids:
            return {}
        query = query.where(Question.client_id.in_(sorted(set(client_ids))))
    with db.read() as s:
        return {int(cid): int(n) for cid, n in s.execute(query)}
