"""Edits the window can undo field by field: a client's card (with its contacts and employees), a planned event, a
question, a work-log entry.

Saving one of them returns, besides the change description, a ``FieldEdit``: the fields the save changed, each with
its stored value before and after, read in the save's own transaction. Undo puts back only those fields and redo
writes them again; the rest of the record stays as it is now. The undo of a card edit wrote the whole card as it was
before the edit, so it also took back what another program (`clients edit`, a team sync) had changed since: a КПП
and a manager changed from the command line went back, credited to the user (tester Q #1).

When a field the edit changed holds another value now (changed since by someone else), the undo (redo) is refused
for now naming each such field, what the edit left there and what it holds now; nothing is written, and the window
keeps the step in its history (``RefusedForNow``, ui/undo.py) to be tried again.

A form saved with its ``Base`` (the record as it was when the form was opened) writes only the fields the user changed
in it; the others keep what is stored now. The card saved its whole form, so a КПП another program changed while the
user typed a «Город» went back to the old value without a word (a lost update). A field the user changed that was
also changed elsewhere since is a conflict: the save is refused (``EditConflict``, nothing written) naming the field,
the user's value and the stored one; the refusal carries the base moved on to what is stored, so that saving again
writes the user's value over it deliberately."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from app.domain.printable import printable
from app.errors import RefusedForNow, UserError
from app.i18n import N_, _
from app.persistence.db import Database
from app.services import clients, event_input, plan, questions, worklog
from app.services.card_changes import EMPTY, LABELS, shown
from app.services.changes import Changes
from app.services.common import find_client, today
from app.services.staff import staff_names

SHOWN_CHARS = 60  # of a value in a refusal: a note of 2 000 characters is not repeated in full
PEOPLE = {"contact": N_("Contact"), "employee": N_("Employee")}
PERSON_FIELDS = ("name", "position", "phone", "email", "department")
NEW = "+"  # the key of a person added in a form and not saved yet: «contact:+0»

Values = dict[str, object]


@dataclass(frozen=True)
class FieldEdit:
    """What one saved edit changed in the record ``record_id`` of the kind ``what`` (``KINDS``): each changed field's
    stored value ``before`` the edit and ``after`` it (the same keys). A card's people are fields of their own,
    «contact:UUID» / «employee:UUID», with None for a person who is not there."""

    what: str
    record_id: int
    before: Mapping[str, object]
    after: Mapping[str, object]

    @property
    def changed(self) -> bool:
        return bool(self.after)


# ------------------------------------------------------------------ the kinds of record


@dataclass(frozen=True)
class _Kind:
    read: Callable[[Session, int], Values]  # the record's fields as stored (NotFoundError when it is gone)
    write: Callable[[Session, int, Values], Changes]  # store the whole of ``values`` with the service's own rules
    label: Callable[[str, tuple[object, ...]], str]  # a field's name as the user reads it, given its values
    show: Callable[[Session, str, object], str]  # a field's value as the user reads it
    values: Callable[[Any], Values]  # the fields of the service's input as it is (a record as read: a form's base)
    typed: Callable[[Any], Values]  # the fields of a form's input as they would be stored (UserError: refused)
    same: Callable[[str, object, object], bool] = lambda _field, a, b: a == b  # two values of a field are one


def _short(text: str) -> str:
    text = printable(text)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 1].rstrip() + "…"


def _plain(value: object) -> str:
    if value is None or value == "" or value == ():
        return EMPTY
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, Decimal):
        from app.i18n import format_number

        return format_number(value)
    if isinstance(value, (tuple, list)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _staff_names(s: Session, uuids) -> str:
    found = staff_names(s, uuids)  # the departed ones' too
    return ", ".join(found.get(u, "?") for u in uuids)


# the card: its fields (CARD_FIELDS) and each person, «contact:UUID» / «employee:UUID» → the person's cells or None

def _person_value(person: clients.PersonInput) -> tuple[str, ...]:
    return tuple(getattr(person, name) or "" for name in PERSON_FIELDS)


def _card_read(s: Session, client_id: int) -> Values:
    client = find_client(s, client_id)
    values: Values = {name: getattr(client, name) for name in clients.CARD_FIELDS}
    people = clients._person_inputs(client)
    for group, rows in zip(PEOPLE, people, strict=True):
        for person in rows:
            values[f"{group}:{person.uuid}"] = _person_value(person)
    return values


def _card_values(data: clients.ClientInput) -> Values:
    values: Values = {name: getattr(data, name) for name in clients.CARD_FIELDS}
    for group, rows in zip(PEOPLE, (data.contacts, data.employees), strict=True):
        for number, person in enumerate(rows):
            values[f"{group}:{person.uuid or NEW + str(number)}"] = _person_value(person)
    return values


def _card_typed(data: clients.ClientInput) -> Values:
    return _card_values(clients.judged_card(data))


def _card_write(s: Session, client_id: int, values: Values) -> Changes:
    people: dict[str, list[clients.PersonInput]] = {group: [] for group in PEOPLE}
    for key, value in values.items():
        group, _sep, uuid = key.partition(":")
        if uuid and isinstance(value, tuple):  # «+N»: a person the user added in the form, still without a UUID
            people[group].append(clients.PersonInput(**dict(zip(PERSON_FIELDS, value, strict=True)),
                                                     uuid=None if uuid.startswith(NEW) else uuid))
    data = clients.ClientInput(**{name: values[name] for name in clients.CARD_FIELDS},  # type: ignore[arg-type]
                               contacts=people["contact"], employees=people["employee"])
    return clients.update_client_in(s, client_id, data, revive=True)


def _card_label(field: str, values: tuple[object, ...]) -> str:
    group, _sep, _uuid = field.partition(":")
    if group in PEOPLE:  # named by whichever of its values has the person
        person = next((v for v in values if isinstance(v, tuple)), None)
        name = person[0] if person else ""
        return f"{_(PEOPLE[group])} «{_short(str(name))}»" if name else _(PEOPLE[group])
    return _(LABELS[field])


def _card_show(_s: Session, field: str, value: object) -> str:
    if isinstance(value, tuple):
        return _short(", ".join(str(v) for v in value if v)) or EMPTY
    if field.partition(":")[2]:  # a person who is not there
        return EMPTY
    return _short(shown(field, value))  # type: ignore[arg-type]


# a planned event: the fields of its input (EventRow.as_input), «end» aside (the duration holds it)

EVENT_FIELDS = {"kind": N_("Kind"), "start": N_("Start"), "time_zone": N_("Time zone"),
                "duration_min": N_("Duration, min"), "section": N_("Section"), "lessons": N_("Lessons"),
                "participants": N_("Participants"), "place": N_("Place or link"), "note": N_("Note")}


def _event_read(s: Session, event_id: int) -> Values:
    from app.services.plan_read import _rows

    data = _rows(s, [plan.event_by_id(s, event_id)])[0].as_input()
    return {name: getattr(data, name) for name in EVENT_FIELDS}


def _event_values(data: event_input.EventInput) -> Values:
    return {name: getattr(data, name) for name in EVENT_FIELDS}


def _event_typed(data: event_input.EventInput) -> Values:
    from app.domain import schedule

    zone = schedule.zone_name(data.time_zone)
    section, place, note = event_input.event_texts(data)
    start = data.start.replace(second=0, microsecond=0, tzinfo=None) if isinstance(data.start, datetime) else data.start
    return {**_event_values(data), "start": start, "time_zone": zone, "duration_min": event_input._duration(data, zone),
            "section": section, "place": place, "note": note,
            "lessons": tuple(dict.fromkeys(str(c).strip() for c in data.lessons if str(c).strip())),
            "participants": tuple(dict.fromkeys(data.participants))}


def _event_same(field: str, a: object, b: object) -> bool:
    if field in ("lessons", "participants"):  # the dialog lists them in its own order
        return set(a or ()) == set(b or ())  # type: ignore[call-overload]
    return a == b


def _event_write(s: Session, event_id: int, values: Values) -> Changes:
    return plan.update_event_in(s, event_id, event_input.EventInput(**values), today())  # type: ignore[arg-type]


def _event_show(s: Session, field: str, value: object) -> str:
    if field == "kind" and value in event_input.EVENT_KIND_TITLES:
        return _(event_input.EVENT_KIND_TITLES[str(value)])
    if field == "participants" and value:
        return _short(_staff_names(s, value))
    return _short(_plain(value))


# a question: the fields of its input (QuestionRow.as_input)

QUESTION_FIELDS = {"asked_on": N_("Date"), "channel": N_("Channel"), "question": N_("Question"),
                   "employee": N_("Asked by"), "answer": N_("Answer")}


def _question_read(s: Session, question_id: int) -> Values:
    return _question_values(questions.question_input(s, question_id))


def _question_values(data: questions.QuestionInput) -> Values:
    return {name: getattr(data, name) for name in QUESTION_FIELDS}


def _question_typed(data: questions.QuestionInput) -> Values:
    channel, question, answer = questions.question_texts(data)
    return {**_question_values(data), "channel": channel, "question": question, "answer": answer,
            "employee": (data.employee or "").strip()}


def _question_write(s: Session, question_id: int, values: Values) -> Changes:
    return questions.update_question_in(s, question_id, questions.QuestionInput(**values),  # type: ignore[arg-type]
                                        today())


def _question_show(s: Session, field: str, value: object) -> str:
    if field == "channel" and value in questions.CHANNEL_TITLES:
        return _(questions.CHANNEL_TITLES[str(value)])
    if field == "employee" and value:
        return _short(_staff_names(s, [value]))
    return _short(_plain(value))


# a work-log entry: the fields of its input (EntryRow.as_input)

ENTRY_FIELDS = {"on_date": N_("Date"), "kind": N_("Kind"), "minutes": N_("Minutes"), "days": N_("Days"),
                "amount": N_("Amount"), "note": N_("Note"), "stage": N_("Stage")}


def _entry_read(s: Session, entry_id: int) -> Values:
    return _entry_values(worklog.stored_entry_input(s, entry_id))


def _entry_values(data: worklog.EntryInput) -> Values:
    return {name: getattr(data, name) for name in ENTRY_FIELDS}


def _entry_typed(data: worklog.EntryInput) -> Values:
    return _entry_values(worklog.validate_entry(data))


def _entry_write(s: Session, entry_id: int, values: Values) -> Changes:
    clean = worklog.validate_entry(worklog.EntryInput(**values))  # type: ignore[arg-type]
    return worklog.update_entry_in(s, entry_id, clean)


def _entry_show(_s: Session, field: str, value: object) -> str:
    from app.domain.pricing import KIND_TITLES_UI

    if field == "kind" and value in KIND_TITLES_UI:
        return _(KIND_TITLES_UI[str(value)])
    return _short(_plain(value))


def _named(labels: dict[str, str]) -> Callable[[str, tuple[object, ...]], str]:
    return lambda field, _values: _(labels[field])


KINDS: dict[str, _Kind] = {
    "card": _Kind(_card_read, _card_write, _card_label, _card_show, _card_values, _card_typed),
    "event": _Kind(_event_read, _event_write, _named(EVENT_FIELDS), _event_show, _event_values,
                   _event_typed, _event_same),
    "question": _Kind(_question_read, _question_write, _named(QUESTION_FIELDS), _question_show,
                      _question_values, _question_typed),
    "entry": _Kind(_entry_read, _entry_write, _named(ENTRY_FIELDS), _entry_show, _entry_values,
                   _entry_typed),
}


# ------------------------------------------------------------------ saving


def _saved(db: Database, what: str, record_id: int, write: Callable[[Session], Changes]) -> tuple[FieldEdit, Changes]:
    """Run the save ``write`` in one transaction and say what it changed (the fields as stored before and after)."""
    kind = KINDS[what]
    with db.unit() as s:
        before = kind.read(s, record_id)
        changes = write(s)
        s.flush()  # a person added gets its UUID
        after = kind.read(s, record_id)
    keys = [k for k in before if before[k] != after.get(k)] + [k for k in after if k not in before]
    return FieldEdit(what, record_id, {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}), changes


@dataclass(frozen=True)
class Base:
    """What a form of a record of the kind ``what`` was opened with: the record's fields as stored then (``values``,
    as ``_Kind.values`` gives them). Saving the form against it writes only the fields the user changed."""

    what: str
    values: Mapping[str, object]


def base_of(what: str, data: object) -> Base:
    """The base of a form filled with ``data``, a record as read (``ClientDetails.data``, ``EventRow.as_input()``,
    ``QuestionRow.as_input()``, ``EntryRow.as_input()``) — of the kind ``what`` (``KINDS``)."""
    return Base(what, KINDS[what].values(data))


class EditConflict(UserError):
    """A form's save refused: a field the user changed was also changed elsewhere since the form was opened (another
    program, a sync). Nothing was written. ``base``: the form's base with those fields as stored now — saved against
    it, the same form writes the user's values over them (the second save is the user's deliberate choice)."""

    def __init__(self, message: str, details: list[str], base: Base) -> None:
        super().__init__(message, details)
        self.base = base


def _refusal(undo: bool, fields: int) -> str:
    """Why an undo (or a redo) is refused: «это поле изменено» for one field, «эти поля изменены» for more (it said
    «эти поля» over a single line: tester R, item 8)."""
    if fields == 1:
        return (_("The edit cannot be undone for now: since it was saved, this field was changed again. Nothing was "
                  "changed.") if undo else
                _("The edit cannot be redone for now: since it was undone, this field was changed again. Nothing was "
                  "changed."))
    return (_("The edit cannot be undone for now: since it was saved, these fields were changed again. "
              "Nothing was changed.") if undo else
            _("The edit cannot be redone for now: since it was undone, these fields were changed again. "
              "Nothing was changed."))


# a save conflict's line: (the user's side, the stored side) typed or empty -> (the card's, another window's) text; a
# field the user cleared read «вы ввели «—»» (tester R, item 8); a person removed is «empty» too (no cells)
_CLASH_LINES = {
    (True, True): (N_("{field}: you typed «{mine}», but since the card was opened «{stored}» has been saved there."),
                   N_("{field}: you typed «{mine}», but since the window was opened «{stored}» has been saved there.")),
    (False, True): (N_("{field}: you cleared the field, but since the card was opened «{stored}» has been saved "
                       "there."),
                    N_("{field}: you cleared the field, but since the window was opened «{stored}» has been saved "
                       "there.")),
    (True, False): (N_("{field}: you typed «{mine}», but since the card was opened the field has been cleared "
                       "there."),
                    N_("{field}: you typed «{mine}», but since the window was opened the field has been cleared "
                       "there.")),
}
_PERSON_LINES = {
    (False, True): N_("{field}: you removed this person from the card, but since it was opened «{stored}» has been "
                      "saved there."),
    (True, False): N_("{field}: you typed «{mine}», but since the card was opened this person has been removed "
                      "there."),
}


def _clash_line(card: bool, key: str, field: str, mine: str, stored: str) -> str:
    """One field of a save conflict, in words that fit what each side holds (a value, or nothing)."""
    sides = (mine != EMPTY, stored != EMPTY)
    if ":" in key and sides in _PERSON_LINES:  # «contact:UUID», «employee:UUID»: a row of the card's tables
        return _(_PERSON_LINES[sides]).format(field=field, mine=mine, stored=stored)
    texts = _CLASH_LINES.get(sides, _CLASH_LINES[(True, True)])
    return _(texts[0] if card else texts[1]).format(field=field, mine=mine, stored=stored)


def _merged(s: Session, kind: _Kind, record_id: int, mine: Values, base: Base) -> Values:
    """The record as stored now with the fields the user changed (``mine`` differs from ``base``) set to the user's
    values; EditConflict when one of them was also changed elsewhere to another value."""
    current = kind.read(s, record_id)
    keys = [*base.values, *(k for k in mine if k not in base.values)]
    touched = [k for k in keys if not kind.same(k, mine.get(k), base.values.get(k))]
    clashes = [k for k in touched if not kind.same(k, current.get(k), base.values.get(k))
               and not kind.same(k, current.get(k), mine.get(k))]
    if clashes:
        card = base.what == "card"
        details = [_clash_line(card, k, kind.label(k, (mine.get(k), current.get(k))), kind.show(s, k, mine.get(k)),
                               kind.show(s, k, current.get(k))) for k in clashes]
        details.append(_("Save again to write your values over these; to keep a stored value, type it in instead."))
        said = (_("Not saved: fields you changed were changed elsewhere too (another program or a sync) since the "
                  "card was opened. Nothing was written.") if card else
                _("Not saved: fields you changed were changed elsewhere too (another program or a sync) since the "
                  "window was opened. Nothing was written."))
        raise EditConflict(said, details, Base(base.what, {**base.values, **{k: current.get(k) for k in clashes}}))
    wanted = dict(current)
    for k in touched:
        if mine.get(k) is None and ":" in k:  # a person the user removed
            wanted.pop(k, None)
        else:
            wanted[k] = mine.get(k)
    return wanted


def _save(db: Database, base: Base, record_id: int, data: object) -> tuple[FieldEdit, Changes]:
    """Save a form's input ``data`` against its ``base``: only the fields the user changed (module docstring)."""
    kind = KINDS[base.what]
    mine = kind.typed(data)  # judged before the transaction: a refused input reads nothing
    return _saved(db, base.what, record_id, lambda s: kind.write(s, record_id, _merged(s, kind, record_id, mine, base)))


def save_card(db: Database, client_id: int, data: clients.ClientInput,
              base: Base | None = None) -> tuple[FieldEdit, Changes]:
    """``clients.update_client`` (the window's card saved), saying which fields it changed; with the card's
    ``base``, only the fields the user changed in it are written (EditConflict when one was changed since)."""
    if base is not None:
        return _save(db, base, client_id, data)
    data = clients.judged_card(data)
    return _saved(db, "card", client_id, lambda s: clients.update_client_in(s, client_id, data))


def save_event(db: Database, event_id: int, data: event_input.EventInput,
               base: Base | None = None) -> tuple[FieldEdit, Changes]:
    """``plan.update_event``, saying which fields it changed; ``base``: as ``save_card``."""
    if base is not None:
        return _save(db, base, event_id, data)
    return _saved(db, "event", event_id, lambda s: plan.update_event_in(s, event_id, data, today()))


def save_question(db: Database, question_id: int, data: questions.QuestionInput,
                  base: Base | None = None) -> tuple[FieldEdit, Changes]:
    """``questions.update_question``, saying which fields it changed; ``base``: as ``save_card``."""
    if base is not None:
        return _save(db, base, question_id, data)
    return _saved(db, "question", question_id, lambda s: questions.update_question_in(s, question_id, data, today()))


def save_entry(db: Database, entry_id: int, data: worklog.EntryInput,
               base: Base | None = None) -> tuple[FieldEdit, Changes]:
    """``worklog.update_entry``, saying which fields it changed; ``base``: as ``save_card``."""
    if base is not None:
        return _save(db, base, entry_id, data)
    clean = worklog.validate_entry(data)
    return _saved(db, "entry", entry_id, lambda s: worklog.update_entry_in(s, entry_id, clean))


# ------------------------------------------------------------------ undo and redo


def undo_edit(db: Database, edit: FieldEdit) -> Changes:
    """Put back the fields ``edit`` changed, as they were before it; the rest of the record stays as it is now.
    RefusedForNow (nothing written) when one of them no longer holds what the edit left there."""
    return _move(db, edit, undo=True)


def redo_edit(db: Database, edit: FieldEdit) -> Changes:
    """Write the fields ``edit`` changed again; RefusedForNow (nothing written) when one of them no longer holds
    what it held before the edit."""
    return _move(db, edit, undo=False)


def _move(db: Database, edit: FieldEdit, *, undo: bool) -> Changes:
    kind = KINDS[edit.what]
    expected, target = (edit.after, edit.before) if undo else (edit.before, edit.after)
    with db.unit() as s:
        current = kind.read(s, edit.record_id)
        moved = [k for k in expected if current.get(k) != expected[k]]
        if moved:
            line = (_("{field}: the edit left «{was}», now «{now}».") if undo
                    else _("{field}: before the edit «{was}», now «{now}»."))
            details = [line.format(field=kind.label(k, (expected[k], current.get(k), target[k])),
                                   was=kind.show(s, k, expected[k]), now=kind.show(s, k, current.get(k)))
                       for k in moved]
            said = _refusal(undo, len(moved))
            raise RefusedForNow(said, details)
        wanted: Values = {k: v for k, v in current.items() if k not in target}
        wanted.update({k: v for k, v in target.items() if not (v is None and ":" in k)})  # None: a person not there
        return kind.write(s, edit.record_id, wanted)
