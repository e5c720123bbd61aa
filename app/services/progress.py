"""Checklist ticks, lesson progress and stage moves for one client."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import (
    BindParameter,
    Insert,
    Row,
    Select,
    Table,
    Update,
    bindparam,
    case,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from app.domain import checklist as rules
from app.domain import validation as v
from app.domain.normalize import fold
from app.domain.quotes import in_quotes
from app.domain.stages import KNOWN_STAGES, STAGE_TITLES, Stage, check_move, require_reason
from app.errors import UserError
from app.i18n import _
from app.persistence.db import Database
from app.persistence.models import (
    ChecklistState,
    ChecklistTemplate,
    Client,
    Employee,
    Lesson,
    LessonProgress,
    StageEvent,
    utcnow,
)
from app.persistence.types import new_uuid
from app.services.changes import Changes
from app.services.common import client_key, current_user, find_client, require_known_codes, today
from app.services.stage_undo import StageState, last_move_at, move_moment
from app.team.hooks import audit_updates, write_stage_audit


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    stage: int
    title: str
    done: bool
    done_on: date | None
    requires: str | None

    def as_json(self) -> dict:
        return {"code": self.code, "stage": self.stage, "title": self.title, "done": self.done,
                "done_on": self.done_on.isoformat() if self.done_on else None}


@dataclass(frozen=True)
class LessonItem:
    code: str
    number: int
    title: str
    section: str
    stage: int
    duration_min: int
    video_url: str
    done: bool
    done_on: date | None

    def as_json(self) -> dict:
        return {"code": self.code, "number": self.number, "title": self.title, "section": self.section,
                "stage": self.stage, "done": self.done,
                "done_on": self.done_on.isoformat() if self.done_on else None}


@dataclass(frozen=True)
class MovePreview:
    """What moving a client would need: shown by the UI guard dialog before asking for a reason."""

    client_id: int
    current: int
    target: int
    forward: bool
    missing: list[ChecklistItem]

    @property
    def needs_reason(self) -> bool:
        return not self.forward or bool(self.missing)


# ------------------------------------------------------------------ checklist


def _templates(s: Session) -> list[ChecklistTemplate]:
    """The checklist's items in stage order. UserError naming the items whose stage another program wrote as one
    the program does not know (a 9 failed in the view's every paint: «9 is not a valid Stage»)."""
    templates = list(s.scalars(select(ChecklistTemplate).order_by(ChecklistTemplate.stage, ChecklistTemplate.position)))
    _refuse_unknown_stages(s, "checklist_template", templates)
    return templates


def _refuse_unknown_stages(s: Session, table: str, rows: list) -> None:
    """Raise the refusal naming ``rows`` (with ``id`` and ``stage``) of ``table`` whose stage is not the program's."""
    from app.persistence.damaged import DamagedValue, values_refusal

    found = [DamagedValue(table, row.id, "stage", row.stage, False) for row in rows if row.stage not in KNOWN_STAGES]
    if found:
        raise values_refusal(found, s.get_bind())


def _states(s: Session, client_id: int) -> dict[str, ChecklistState]:
    rows = s.scalars(select(ChecklistState).where(ChecklistState.client_id == client_id))
    return {row.code: row for row in rows}


def checklist(db: Database, ref: int | str) -> list[ChecklistItem]:
    with db.read() as s:
        client = find_client(s, ref)
        return _checklist(s, client.id)


def _checklist(s: Session, client_id: int) -> list[ChecklistItem]:
    states = _states(s, client_id)
    items = []
    for t in _templates(s):
        state = states.get(t.code)
        done = bool(state and state.done)
        items.append(ChecklistItem(t.code, t.stage, t.title, done, state.done_on if done and state else None,
                                   t.requires))
    return items


def set_checklist(db: Database, ref: int | str, codes: list[str], done: bool,
                  on: date | None = None) -> Changes:
    """Tick (or untick) items; all or nothing, enforcing the order rules. An item ticked already keeps its day
    unless ``on`` asks another one: then it is done since that day (the user's date, as for a new tick).

    An item of any stage may be ticked, and dated any past day (from 2000), whatever stage the client is at: work
    done ahead of its stage is real. The day the client reached the item's stage does not bound it: that day is
    the day a move was recorded, so a bound by it took 01.12 for an item ticked ahead and refused 03.12 for its
    sibling ticked after a move on 06.12 — the result hung on the order (a tester, round 13). The sign-off sheet states
    the stage's dates from its moves and its items' days together (app/services/documents/signoff.py)."""
    if not codes:
        raise UserError(_("Name at least one checklist item."))
    redate = on is not None
    on = v.check_not_future(on, today(), _("Date")) if on else today()
    with db.unit() as s:
        client = find_client(s, ref)
        templates = {t.code: t for t in _templates(s)}
        unknown = [c for c in codes if c not in templates]
        if unknown:
            raise UserError(_("Unknown checklist item: {codes}. Known items: {known}.").format(
                codes=", ".join(unknown), known=", ".join(templates)))
        titles = {code: t.title for code, t in templates.items()}
        requires = {code: t.requires for code, t in templates.items() if t.requires}
        states = _states(s, client.id)
        done_codes = {code for code, st in states.items() if st.done}
        who = current_user(s)
        backdated: list[ChecklistState] = []  # new ticks dated another day than today: that day goes on record
        for code in codes:
            if done:
                rules.check_tick(code, done_codes, titles, requires)
                done_codes.add(code)
                state = states.get(code)
                if state is None:
                    state = ChecklistState(client_id=client.id, code=code)
                    s.add(state)
                    states[code] = state
                    if on != today():
                        backdated.append(state)
                if not state.done or state.done_on is None or (redate and state.done_on != on):
                    state.done, state.done_on, state.who = True, on, who
            else:
                rules.check_untick(code, done_codes, titles, requires)
                done_codes.discard(code)
                if code in states:
                    states[code].done, states[code].done_on = False, None
        client.updated_at = utcnow()
        if backdated:
            # a first tick's trail line says «выполнено: да» on the day it is written; the day the user gave is a
            # line of its own, after it (a re-dated tick's «done_on» change is written by the hooks already)
            s.flush()
            audit_updates(s, ChecklistState.__tablename__, client.uuid, [st.uuid for st in backdated], "done_on",
                          None, on)
    return Changes(clients=True, checklist=True, client_ids=frozenset({client.id}))


# ------------------------------------------------------------------ stages


def preview_move(db: Database, ref: int | str, target: int) -> MovePreview:
    """What moving CLIENT (id or ИНН) to ``target`` needs (the guard dialog's question), in one statement."""
    return move_start(db, ref, target)[0]


def move_start(db: Database, ref: int | str, target: int) -> tuple[MovePreview, StageState]:
    """A move's preview and the client's stage before it (for undo) in one read: one statement, not four
    (a drop on the board read the client twice and its checklist once). NotFoundError for an unknown client."""
    with db.read() as s:
        row = _stage_row(s, ref)
    check = check_move(row.stage, Stage(target), [i.code for i in row.undone], [i.title for i in row.undone])
    preview = MovePreview(row.state.client_id, int(row.stage), int(target), check.forward,
                          row.undone if check.forward else [])
    return preview, row.state


@dataclass(frozen=True)
class _StageRow:
    state: StageState
    stage: Stage
    undone: list[ChecklistItem]  # the unticked items of the current stage, in template order
    uuid: str  # the client's (for the move's audit line)
    last_move: datetime | None = None  # the moment of its last recorded move


def _stage_row(s: Session, ref: int | str) -> _StageRow:
    """CLIENT (id or ИНН, as find_client) with its stage and the unticked checklist items of that stage, in
    one Core query (the client joined to its stage's template items and their ticks), no ORM object."""
    key = client_key(ref)
    rows: Sequence[Row] = ()
    if key is not None:
        rows = s.execute(_stage_query(key[0] == "inn"), {"key": key[1]}).all()
    if not rows:
        find_client(s, ref)  # raises the usual «not found»
        raise AssertionError("find_client raises for an unknown client")
    first = rows[0]
    stage = Stage(int(first.stage))
    undone = [ChecklistItem(r.code, int(stage), r.title, False, None, r.requires)
              for r in rows if r.code is not None and not r.done]
    return _StageRow(StageState(int(first.id), first.name, int(stage), first.stage_since), stage, undone,
                     first.uuid or "", first.last_move)


@lru_cache(maxsize=1)
def _move_writes() -> tuple[Insert, Update]:
    """move_stage's two writes as Core statements with bound parameters, built once: the move's line and the
    client's stage, its day and its stamp (never back in time: a clock set back, or a stamp merged from a fast
    clock). Executed through the connection, they pass no ORM hook: ``updated_by`` is a parameter."""
    events: Table = StageEvent.__table__  # type: ignore[assignment]
    clients: Table = Client.__table__  # type: ignore[assignment]
    c = clients.c
    now: BindParameter[datetime] = bindparam("now")
    return (insert(events),
            update(clients).where(c.id == bindparam("client"))
            .values(stage=bindparam("to_stage"), stage_since=now,
                    updated_at=case((c.updated_at > now, c.updated_at), else_=now), updated_by=bindparam("author")))


@lru_cache(maxsize=2)
def _stage_query(by_inn: bool) -> Select:
    """_stage_row's statement, built once per key kind (building the join cost more than running it)."""
    c, t, st = Client.__table__.c, ChecklistTemplate.__table__.c, ChecklistState.__table__.c
    return (select(c.id, c.name, c.stage, c.stage_since, c.uuid, t.code, t.title, t.requires, st.done,
                   last_move_at(c.id).label("last_move"))
            .select_from(Client.__table__
                         .outerjoin(ChecklistTemplate.__table__, t.stage == c.stage)
                         .outerjoin(ChecklistState.__table__, (st.code == t.code) & (st.client_id == c.id)))
            .where((c.inn if by_inn else c.id) == bindparam("key")).order_by(t.position))


def move_stage(db: Database, ref: int | str, target: int, *, force: bool = False,
               reason: str = "", who: str | None = None) -> Changes:
    """Move a client one stage forward or back, keeping the move in the history (the stage and the guard's
    checklist read in one statement inside the writing transaction)."""
    if not 0 <= int(target) <= 4:
        raise UserError(_("Stage must be a number from 0 to 4, not «{value}».").format(value=target))
    reason = v.clean_reason(reason, _("Reason"), max_len=2000, paper=True)  # the progress report's history
    with db.unit() as s:
        row = _stage_row(s, ref)
        client_id, current = row.state.client_id, row.stage
        check = check_move(current, Stage(target), [i.code for i in row.undone], [i.title for i in row.undone])
        require_reason(check, force, reason)
        # this computer's clock, but never before the moves it follows (a clock set back: app/services/stage_undo.py)
        now = move_moment(utcnow(), row.state.since, row.last_move)
        author = current_user(s)
        # Core statements built once, through the connection: the ORM's per-call statement building and the audit
        # hook's rewrite were half of the write's time; the line the hook would write is written here instead
        event, client = _move_writes()
        connection = s.connection()
        write_stage_audit(connection, author=author, client_uuid=row.uuid, from_stage=int(current),
                          to_stage=int(target), at=now)
        connection.execute(event, {
            "client_id": client_id, "from_stage": int(current), "to_stage": int(target), "at": now,
            "who": who if who is not None else author, "reason": (reason or "").strip(),
            "forced": bool(check.forward and check.missing), "uuid": new_uuid(), "updated_at": now,
            "updated_by": author, "row_version": 0})
        connection.execute(client, {"client": client_id, "to_stage": int(target), "now": now, "author": author})
    return Changes(clients=True, stage=True, client_ids=frozenset({client_id}))


def advance(db: Database, ref: int | str, *, force: bool = False, reason: str = "") -> tuple[Changes, int]:
    with db.read() as s:
        client = find_client(s, ref)
        require_known_codes(s, client)
        if client.stage >= Stage.DONE:
            raise UserError(_("The client has already completed the implementation."))
        target = client.stage + 1
    return move_stage(db, ref, target, force=force, reason=reason), target


def back(db: Database, ref: int | str, *, reason: str) -> tuple[Changes, int]:
    with db.read() as s:
        client = find_client(s, ref)
        require_known_codes(s, client)
        if client.stage <= Stage.NEW:
            raise UserError(_("The client is at the first stage already."))
        target = client.stage - 1
    return move_stage(db, ref, target, reason=reason), target


def stage_title(number: int) -> str:
    return STAGE_TITLES[Stage(number)]


# ------------------------------------------------------------------ lessons


def _employee_uuid(s: Session, client: Client, employee: str | None) -> str:
    if not employee:
        return ""
    rows = s.scalars(select(Employee).where(Employee.client_id == client.id)).all()
    wanted = fold(employee)  # «петрова анна» names «Петрова Анна», «Фёдоров» names «Федоров»
    for row in rows:
        if employee in (row.uuid, str(row.id)) or wanted == fold(row.name):
            return row.uuid
    raise UserError(_("Employee «{name}» not found at this client.").format(name=in_quotes(employee[:60])))


def lessons(db: Database, ref: int | str, employee: str | None = None) -> list[LessonItem]:
    with db.read() as s:
        client = find_client(s, ref)
        who = _employee_uuid(s, client, employee)
        progress = {p.lesson_code: p for p in s.scalars(select(LessonProgress).where(
            LessonProgress.client_id == client.id, LessonProgress.employee_uuid == who))}
        result = []
        # every lesson read, its flag too: «нет» or 2 in lesson.active is named (types.Flag), not filtered out by SQL
        every = list(s.scalars(select(Lesson).order_by(Lesson.number, Lesson.id)))
        _refuse_unknown_stages(s, "lesson", [lesson for lesson in every if lesson.active])
        for lesson in every:
            if not lesson.active:
                continue
            p = progress.get(lesson.code)
            done = bool(p and p.done)
            result.append(LessonItem(lesson.code, lesson.number, lesson.title, lesson.section, lesson.stage,
                                     lesson.duration_min, lesson.video_url, done,
                                     p.done_on if (p and done) else None))
        return result


def set_lessons(db: Database, ref: int | str, codes: list[str], done: bool, *,
                employee: str | None = None, on: date | None = None) -> Changes:
    if not codes:
        raise UserError(_("Name at least one lesson."))
    asked = on is not None  # a lesson watched already takes the day asked (kept when none is asked)
    on = v.check_not_future(on, today(), _("Date")) if on else today()
    with db.unit() as s:
        client = find_client(s, ref)
        who = _employee_uuid(s, client, employee)
        set_lessons_in(s, client, codes, done, on, who, redate=asked)
        client_id = client.id
    return Changes(clients=True, lessons=True, client_ids=frozenset({client_id}))


def set_lessons_in(s: Session, client: Client, codes: list[str], done: bool, on: date,
                   employee_uuid: str = "", *, redate: bool = False) -> list[str]:
    """Tick (untick) lessons inside the caller's transaction; returns the codes whose state changed. A lesson
    watched already keeps its day unless ``redate`` (the user asked a day): then it takes ``on``.

    UserError (nothing changed) for a code that is not an active lesson."""
    codes = list(dict.fromkeys(codes))
    known = {code for code, active in s.execute(select(Lesson.code, Lesson.active)) if active}  # a damaged flag named
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise UserError(_("Unknown lesson: {codes}.").format(codes=", ".join(unknown)))
    existing = {p.lesson_code: p for p in s.scalars(select(LessonProgress).where(
        LessonProgress.client_id == client.id, LessonProgress.employee_uuid == employee_uuid,
        LessonProgress.lesson_code.in_(codes)))}
    changed = []
    backdated: list[LessonProgress] = []  # as a checklist tick's: the day asked is a line of the trail
    for code in codes:
        row = existing.get(code)
        if done:
            if row is None:
                row = LessonProgress(client_id=client.id, lesson_code=code, employee_uuid=employee_uuid,
                                     done=True, done_on=on)
                s.add(row)
                changed.append(code)
                if on != today():
                    backdated.append(row)
            elif not row.done or (redate and row.done_on != on):
                row.done, row.done_on = True, on
                changed.append(code)
        elif row is not None and row.done:
            row.done, row.done_on = False, None
            changed.append(code)
    client.updated_at = utcnow()
    if backdated:
        s.flush()
        audit_updates(s, LessonProgress.__tablename__, client.uuid, [r.uuid for r in backdated], "done_on", None, on)
    return changed


def lesson_percent(items: list[LessonItem]) -> int:
    return rules.percent(sum(1 for i in items if i.done), len(items))

