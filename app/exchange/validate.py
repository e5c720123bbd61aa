"""Imported records obey the rules typed ones do: every row of a changeset through the domain validation.

The CLI and the window validate what the user types (``services.client_input.field_errors``, ``worklog.
validate_entry``, ``estimate.check_estimate_input``…). A bundle that passes every zip and crypto check could
still plant a document of a kind that does not exist, a transfer measured in minutes, a stage move the
client never made, or a name with a line break and a right-to-left override. ``check_changeset`` runs
every upsert through the same functions, plus the rules that tie rows together (the client's stage is
where one of its moves went; checklist and lesson codes exist here). The first invalid record refuses the
whole bundle, naming its table, its id and the reason.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.quotes import quoted
from app.errors import UserError
from app.exchange.bundle_error import BundleError
from app.exchange.changeset import Changeset
from app.exchange.record_titles import TABLE_TITLES, field_title
from app.exchange.row_change import RowChange
from app.i18n import _

# one-line text fields per table: no line breaks, tabs, zero-width or bidi control characters
ONE_LINE = {
    "client": ("name", "inn", "kpp", "city", "contract_no", "program_version", "manager", "signer_name",
               "signer_position"),
    "contact": ("name", "position", "phone", "email"),
    "employee": ("name", "position", "department", "phone", "email"),
    "stage_event": ("who",),
    "checklist_state": ("code", "who"),
    "lesson_progress": ("lesson_code", "employee_uuid"),
    "work_log": ("kind",),
    "estimate": ("approach",),
    "document": ("series", "kind"),
}
MULTI_LINE = {"client": ("address", "notes"), "stage_event": ("reason",), "estimate": ("note",)}
# text fields that go on paper, refused at input when they hold a character the documents' font cannot print
# (app.domain.validation.paper_problem, tester N item 6): a file is refused for the same character, naming it (r13).
# The client's own printed fields are judged by services.client_input.field_errors (``_client``); checklist items' titles
# by app.exchange.checklist_items.parse. Contacts, employees, notes, plans and questions never go on paper.
PAPER = {"stage_event": ("reason",), "estimate": ("note",), "document": ("void_reason",)}
_INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u061c"
                       "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
CLOCK_SLACK = timedelta(seconds=1)  # the manifest's time may be cut to whole seconds
CLOCK_SKEW = timedelta(days=2)  # how far ahead another computer's clock may plausibly run
# issue 17: «the laptop's clock may be wrong by a year and nothing changes». In a versioned file a record's date
# may have been written by any computer of the team whose clock ran a year ahead (the server keeps what the
# laptop wrote), and this computer's own clock may run a year behind: only dates beyond both are refused.
CLOCK_ERROR = timedelta(days=366)
VERSIONED_HORIZON = 2 * CLOCK_ERROR + CLOCK_SKEW
DOCUMENT_YEARS = (2000, 2100)
# record-keeping stamps the program sets itself: they cannot lie after the file was made. Domain dates a
# user chooses (a planned event's start, a contract date…) may lie in the future and are not checked here.
STAMP_FIELDS = frozenset({"updated_at", "created_at", "stage_since", "at"})
MAX_DOCUMENT_NUMBER = 1_000_000


def text_problem(value: str, *, one_line: bool) -> str | None:
    """Why a stored text is not acceptable (control, zero-width or bidi characters), or None."""
    for char in value:
        if char in _INVISIBLE:
            return _("it contains an invisible or text-direction control character (U+{code:04X})").format(
                code=ord(char))
        if unicodedata.category(char) == "Cc" and (one_line or char not in "\n\r\t"):
            return _("it contains a line break or another control character (U+{code:04X})").format(code=ord(char))
    return None


def paper_problem(value: Any, key: str) -> str | None:
    """The input's refusal of a character the documents cannot print in field ``key`` (a file's stage-move reason,
    an estimate's note, a void reason, a checklist item's title), None when it prints."""
    from app.domain.validation import paper_problem as problem

    return problem(value, _field(key)) if isinstance(value, str) else None


class _Refuse:
    """Builds the refusal of one record, naming it as a person knows it (never by its UUID)."""

    def __init__(self, row: RowChange, names: _Names | None = None) -> None:
        self.row = row
        self.names = names

    def __call__(self, problem: str) -> BundleError:
        label = self.names.label(self.row) if self.names is not None else _(TABLE_TITLES.get(self.row.table,
                                                                                             self.row.table))
        return BundleError(_("The file contains an invalid record: {record}: {problem}").format(
            record=label, problem=problem))


class _Names:
    """Clients' names (the file's, else this installation's) and checklist items' titles, for refusals:
    «Отметка чек-листа «Обучены кладовщики» — ООО «Ромашка»»."""

    def __init__(self, s: Session, changeset: Changeset) -> None:
        from app.persistence.models import ChecklistTemplate

        self.clients = {r.uuid: str(r.values.get("name") or "") for r in changeset.rows("client")}
        self.learn(s, [r for rows in changeset.tables.values() for r in rows])
        self.titles = {code: title for code, title in s.execute(select(ChecklistTemplate.code,
                                                                       ChecklistTemplate.title))}
        self.titles.update({i["code"]: i["title"] for i in changeset.checklist_items})

    def learn(self, s: Session, rows: list[RowChange]) -> None:
        """The names of the clients ``rows`` belong to that are not known yet: this installation's."""
        from app.persistence.models import Client

        wanted = sorted({v for r in rows if isinstance(v := r.values.get("client_uuid"), str)} - self.clients.keys())
        for start in range(0, len(wanted), 500):
            self.clients.update(s.execute(select(Client.uuid, Client.name).where(
                Client.uuid.in_(wanted[start:start + 500]))).all())

    def label(self, row: RowChange) -> str:
        from app.exchange.record_titles import LABEL_FIELDS

        values = row.values
        if row.table == "checklist_state":
            code = str(values.get("code") or "")
            parts = [self.titles.get(code, code[:64])]
        elif row.table == "document":
            from app.exchange.record_labels import _document_label

            parts = [_document_label(values)]
        else:
            parts = [v.strftime("%d.%m.%Y") if isinstance(v, date) else str(v)[:80]
                     for name in LABEL_FIELDS.get(row.table, ()) if (v := values.get(name)) not in (None, "")]
        text = _(TABLE_TITLES.get(row.table, row.table)) + (" " + quoted(" ".join(parts)) if parts else "")  # «ООО „Ромашка“»
        client = self.clients.get(str(values.get("client_uuid") or ""))
        if row.table != "client" and client:
            text += " — " + client
        # a hostile name is shown without its line breaks and direction overrides
        return "".join(" " if unicodedata.category(c) == "Cc" else c for c in text if c not in _INVISIBLE)


def _domain(refuse: _Refuse, check: Callable[[], object]) -> None:
    try:
        check()
    except UserError as exc:
        raise refuse(exc.message) from None


def check_changeset(s: Session, changeset: Changeset, *, made_at: datetime | None, now: datetime,
                    versioned: bool = False) -> None:
    """Raise BundleError for the first record that the forms would refuse; nothing is written here.

    ``made_at`` is the bundle's creation time (UTC, None when unknown), ``now`` the current UTC time: dates
    inside records (a move's time, a tick's day, a document's date, the record's own time of change) may not be
    later than the file, nor more than ``CLOCK_SKEW`` after now — the old merge (format 1) orders by those
    times, so a clock that ran ahead would win. A ``versioned`` file (format 2, merged by versions, docs/sync.md
    «Bundles») orders by nothing of the kind: a date of its records is refused only when no clock wrong by up to
    a year could have written it — later than the file's time or ours by more than ``VERSIONED_HORIZON`` (the
    writer a year ahead, this computer a year behind). So a record stamped 2027 by a laptop whose clock was a year
    ahead, kept by the server and carried on by every laptop, is merged like any other (issue 17), while a record
    dated 2199 is still refused; the work log's «at most a year ahead» counts from the same bound."""
    checker = Checker(s, changeset, made_at=made_at, now=now, versioned=versioned)
    for table, rows in changeset.tables.items():
        checker.check(table, rows)
    checker.finish()


class Checker:
    """``check_changeset`` a chunk of rows at a time (a streamed import, app/exchange/bundle_stream.py): ``check``
    each chunk of one table as it comes, ``finish`` at the end (the rules that tie a client to its last move).
    ``head`` gives the file's checklist items (and, when it holds them, its clients); the clients of later chunks
    are learnt as they pass. Holds one small entry per client, never the rows."""

    def __init__(self, s: Session, head: Changeset, *, made_at: datetime | None, now: datetime,
                 versioned: bool = False) -> None:
        from app.persistence.models import ChecklistTemplate, Lesson

        # dates inside records: not after the file was made (its own clock), nor far beyond ours (a clock a day
        # or two ahead is an accident whose records the merge turns away one by one; 2200 is not)
        if versioned:
            latest = max(now, made_at or now) + VERSIONED_HORIZON
        else:
            latest = now + CLOCK_SKEW
            if made_at is not None:
                latest = min(latest, made_at + CLOCK_SLACK)
        self.latest, self.versioned = latest, versioned
        self.context = {
            "latest": latest,
            "versioned": versioned,
            "checklist": set(s.scalars(select(ChecklistTemplate.code))),
            "lessons": set(s.scalars(select(Lesson.code))),
        }
        self.s = s
        self.names = _Names(s, head)
        self.stage_of: dict[str, Any] = {}  # the file's clients: uuid -> stage
        self.reached: dict[str, set[Any]] = {}  # client uuid -> the stages its moves in the file go to
        self.last: dict[str, RowChange] = {}  # client uuid -> its latest move in the file by its moment

    def check(self, table: str, rows: list[RowChange]) -> None:
        """Raise BundleError for the first row of ``rows`` (of ``table``) that the forms would refuse."""
        if table == "client":
            self.names.clients.update((r.uuid, str(r.values.get("name") or "")) for r in rows)
        else:
            self.names.learn(self.s, rows)
        latest, versioned, context = self.latest, self.versioned, self.context
        check_row = _CHECKS.get(table)
        one_line, multi_line, paper = ONE_LINE.get(table, ()), MULTI_LINE.get(table, ()), PAPER.get(table, ())
        for row in rows:
            if row.op != "upsert":
                continue
            refuse = _Refuse(row, self.names)
            if versioned and row.updated_at > latest:
                raise refuse(_too_late("updated_at", row.updated_at.strftime("%d.%m.%Y %H:%M"), context))
            for key in (*one_line, *multi_line):
                if (problem := self.field_problem(table, key, row.values.get(key))) is not None:
                    raise refuse(problem)
            for key in paper:
                if (problem := paper_problem(row.values.get(key), key)) is not None:
                    raise refuse(problem)
            for key, value in row.values.items():
                if key in STAMP_FIELDS and (problem := self.field_problem(table, key, value)) is not None:
                    raise refuse(problem)
            if check_row is not None:
                check_row(refuse, row.values, context)
            if table == "client":
                self.stage_of[row.uuid] = row.values.get("stage")
            elif table == "stage_event":
                client = str(row.values.get("client_uuid"))
                self.reached.setdefault(client, set()).add(row.values.get("to_stage"))
                at = row.values.get("at") or row.updated_at
                known = self.last.get(client)
                if known is None or at >= (known.values.get("at") or known.updated_at):
                    self.last[client] = row  # named when refused

    def field_problem(self, table: str, key: str, value: Any) -> str | None:
        """Why ``check`` refuses ``value`` of field ``key`` of a ``table`` record by the rules of one field alone (a
        one-line text with a line break, a record-keeping stamp after the bound), None when it does not. An export
        asks it once per distinct value (app/exchange/export_rules.py)."""
        if isinstance(value, str):
            one_line = key in ONE_LINE.get(table, ())
            if (one_line or key in MULTI_LINE.get(table, ())) and (problem := text_problem(value, one_line=one_line)):
                return _("field «{field}»: {problem}").format(field=_field(key), problem=problem)
        elif key in STAMP_FIELDS and isinstance(value, datetime) and value > self.latest:
            return _too_late(key, value.strftime("%d.%m.%Y %H:%M"), self.context)
        return None

    def field_keys(self, table: str) -> frozenset[str]:
        """The fields of ``table``'s records ``field_problem`` may refuse (it passes the others whatever they hold)."""
        return frozenset((*ONE_LINE.get(table, ()), *MULTI_LINE.get(table, ()))) | STAMP_FIELDS

    def finish(self) -> None:
        """A client in the file stands where one of its moves in the file went (a planted move 0→4 with the
        client still at stage 0 is refused). Which move is the last is the team's order (app/sync/stages.py:
        the server's numbers, which a file does not carry), so the importer puts the client at its last move
        itself; the file only has to agree with one of them."""
        for client, stages in self.reached.items():
            stage = self.stage_of.get(client)
            if stage is not None and stage not in stages:
                last = self.last[client]
                raise _Refuse(last, self.names)(_("the client is at stage {stage}, but its last move goes to stage "
                                                  "{to}").format(stage=stage, to=last.values.get("to_stage")))


def _field(key: str) -> str:
    """The user's name of a record field (``record_titles.FIELD_TITLES``), the key itself when there is none."""
    return field_title(key)


def _future_day(refuse: _Refuse, values: dict[str, Any], key: str, context: dict) -> None:
    day = values.get(key)
    if isinstance(day, date) and day > context["latest"].date() + timedelta(days=1):
        if not context["versioned"]:
            raise refuse(_("field «{field}»: {day} is later than the file was made").format(
                field=_field(key), day=day.strftime("%d.%m.%Y")))
        raise refuse(_too_late(key, day.strftime("%d.%m.%Y"), context))


def _too_late(key: str, when: str, context: dict) -> str:
    """Why a date of a record is refused: later than the file was made (format 1), or later than any clock
    wrong by a year could have written (a versioned file, ``VERSIONED_HORIZON``)."""
    if context["versioned"]:
        return _("field «{field}»: {when} is more than two years ahead of both this computer's clock and the "
                 "file's").format(field=_field(key), when=when)
    return _("field «{field}»: {when} is later than the file was made").format(field=_field(key), when=when)


def _client(refuse: _Refuse, values: dict[str, Any], context: dict) -> None:
    from app.services.client_input import ClientInput, field_errors

    texts: dict[str, Any] = {k: values.get(k) or "" for k in (
        "name", "inn", "approach", "kpp", "contract_no", "program_version", "manager", "address", "city",
        "signer_name", "signer_position", "notes")}
    data = ClientInput(**texts, contract_date=values.get("contract_date"))
    errors = field_errors(data)
    if errors:
        raise refuse(next(iter(errors.values())))


def _person(refuse: _Refuse, values: dict[str, Any], context: dict) -> None:
    """The rules of a contact or employee row in the client form (``services.client_input.field_errors``)."""
    from app.domain import validation as v

    if not (values.get("name") or "").strip():
        raise refuse(_("name is required"))
    for key, check in (("email", v.email_error), ("phone", v.phone_error)):
        message = check(values.get(key) or "")
        if message:
            raise refuse(message)
    for key in ("name", "position", "department"):
        try:
            v.clean_text(values.get(key) or "", key, max_len=200)
        except UserError as exc:
            raise refuse(exc.message) from None


def _stage_event(refuse: _Refuse, values: dict[str, Any], context: dict) -> None:
    start, end = values.get("from_stage"), values.get("to_stage")
    if start == end:
        raise refuse(_("a move from stage {a} to the same stage").format(a=start))


def _checklist(refuse: _Refuse, values: dict[str, Any], context: dict) -> None:
    _checklist_code(refuse, values, context)
    _done_on(refuse, values, context)


def _checklist_code(refuse: _Refuse, values: dict[str, Any], context: dict) -> None:
    code = values.get("code")
    if code not in context["checklist"]:
        raise refuse(_("the checklist item «{code}» exists neither here nor in the file").format(
            code=str(code)[:64]))


def _done_on(refuse: _Refuse, values: dict[str, Any], context: dict) -> None:
    _future_day(refuse, values, "done_on", context)


def _lesson(refuse: _Refuse, values: dict[str, Any], context: dict) -> None:
    _lesson_code(refuse, values, context)
    _lesson_employee(refuse, values, context)
    _done_on(refuse, values, context)


def _lesson_code(refuse: _Refuse, values: dict[str, Any], context: dict) -> None:
    code = values.get("lesson_code")
    if code not in context["lessons"]:
        raise refuse(_("unknown lesson «{code}»").format(code=str(code)[:64]))


def _lesson_employee(refuse: _Refuse, values: dict[str, Any], context: dict) -> None:
    from app.exchange.value_codec import decode

    employee = values.get("employee_uuid") or ""
    if employee:
        try:
            decode("uuid", employee)
        except ValueError:
            raise refuse(_("field «{field}»: not a record id").format(field="employee_uuid")) from None


def _work(refuse: _Refuse, values: dict[str, Any], context: dict) -> None:
    from app.services.worklog import EntryInput, validate_entry

    _domain(refuse, lambda: validate_entry(EntryInput(
        on_date=values.get("on_date"), kind=values.get("kind") or "", minutes=values.get("minutes"),  # type: ignore[arg-type]
        days=values.get("days"), amount=values.get("amount"), note=values.get("note") or "",
        stage=values.get("stage")), on=context["latest"].date()))


def _work_measure(refuse: _Refuse, values: dict[str, Any], context: dict) -> None:
    """``_work``'s rules of the kind, its measure and the stage (a valid date and no note beside them)."""
    from app.services.worklog import EntryInput, validate_entry

    day = context["latest"].date()
    _domain(refuse, lambda: validate_entry(EntryInput(
        on_date=day, kind=values.get("kind") or "", minutes=values.get("minutes"),
        days=values.get("days"), amount=values.get("amount"), stage=values.get("stage")), on=day))


def _work_date(refuse: _Refuse, values: dict[str, Any], context: dict) -> None:
    """``_work``'s rules of the date (beside a valid kind and measure)."""
    from app.services.worklog import EntryInput, validate_entry

    _domain(refuse, lambda: validate_entry(EntryInput(on_date=values.get("on_date"), kind="conference",  # type: ignore[arg-type]
                                                      minutes=1), on=context["latest"].date()))


def _work_note(refuse: _Refuse, values: dict[str, Any], context: dict) -> None:
    """``_work``'s rule of the note."""
    from app.services.worklog import clean_note

    _domain(refuse, lambda: clean_note(values.get("note") or ""))


def _estimate(refuse: _Refuse, values: dict[str, Any], context: dict) -> None:
    from app.domain.estimate import EstimateInput, check_estimate_input
    from app.domain.stages import Approach

    if values.get("approach") not in {a.value for a in Approach}:
        raise refuse(_("unknown approach «{value}»").format(value=str(values.get("approach"))[:40]))
    figures: dict[str, Any] = {k: values.get(k) if values.get(k) is not None else Decimal(0) for k in (
        "conference_hours", "question_hours", "control_hours", "days", "transfer", "lodging")}
    _domain(refuse, lambda: check_estimate_input(EstimateInput(**figures)))
    total = values.get("total")
    if total is not None and total < 0:
        raise refuse(_("field «{field}» cannot be negative").format(field="total"))
    day = values.get("on_date")
    if isinstance(day, date) and not 1990 <= day.year <= 2100:
        raise refuse(_("field «{field}»: {day} is out of range").format(field="on_date", day=day.isoformat()))


def _document(refuse: _Refuse, values: dict[str, Any], context: dict) -> None:
    from app.exchange.value_codec import decode
    from app.services.documents import KINDS

    kind, number, year = values.get("kind"), values.get("number"), values.get("year")
    if kind not in KINDS:
        raise refuse(_("unknown kind of document «{kind}»").format(kind=str(kind)[:40]))
    if not isinstance(number, int) or not 1 <= number <= MAX_DOCUMENT_NUMBER:
        raise refuse(_("document number {n} is not a positive number").format(n=number))
    if not isinstance(year, int) or not DOCUMENT_YEARS[0] <= year <= DOCUMENT_YEARS[1]:
        raise refuse(_("document year {year} is out of range").format(year=year))
    issued = values.get("issued_on")
    if isinstance(issued, date) and issued.year != year:
        raise refuse(_("the document is numbered in {year} but dated {day}").format(
            year=year, day=issued.strftime("%d.%m.%Y")))
    _future_day(refuse, values, "issued_on", context)
    series = values.get("series") or ""
    if series:
        try:
            decode("uuid", series)
        except ValueError:
            raise refuse(_("field «{field}»: not a record id").format(field="series")) from None
    start, end = values.get("period_from"), values.get("period_to")
    if start is not None and end is not None and start > end:
        raise refuse(_("the period ends before it starts"))
    stage = values.get("stage")
    if stage is not None and not 0 <= stage <= 4:
        raise refuse(_("field «{field}»: {value} is out of range").format(field="stage", value=stage))
    total = values.get("total")
    if total is not None and total < 0:
        raise refuse(_("field «{field}» cannot be negative").format(field="total"))
    returned = values.get("signed_returned_on")
    if returned is not None and isinstance(issued, date) and returned < issued:
        raise refuse(_("the signed copy came back before the document was issued"))
    content = values.get("content") or ""
    if content:
        try:
            parsed = json.loads(content)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            raise refuse(_("the printed contents of the document are damaged"))


_CHECKS: dict[str, Callable[[_Refuse, dict[str, Any], dict], None]] = {
    "client": _client, "contact": _person, "employee": _person, "stage_event": _stage_event,
    "checklist_state": _checklist, "lesson_progress": _lesson, "work_log": _work, "estimate": _estimate,
    "document": _document,
}
# A table's rule as independent parts, each reading fewer fields: together they refuse exactly what the table's rule
# in ``_CHECKS`` refuses (validate_entry checks its fields one by one: tests/exchange/test_export_rules.py). The
# export asks each part once per distinct input of its fields (app/exchange/export_rules.py): a work-log entry's
# date, kind and minutes together hardly repeat, each alone does.
CHECK_PARTS: dict[str, tuple[Callable[[_Refuse, dict[str, Any], dict], None], ...]] = {
    "work_log": (_work_measure, _work_date, _work_note),
    "checklist_state": (_checklist_code, _done_on), "lesson_progress": (_lesson_code, _lesson_employee, _done_on),
}
