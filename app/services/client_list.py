"""The client list's rows with their counters, in a constant number of statements; counting the clients."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Select, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

from app.domain.client_summary import (
    ClientSummary,
    assemble,
    assemble_counted,
    assemble_totaled,
    group_contacts,
)
from app.domain.stages import codes_known
from app.gcpause import paused_gc
from app.persistence.db import Database
from app.persistence.models import (
    ChecklistState,
    ChecklistTemplate,
    Client,
    ClientCounts,
    Contact,
    Lesson,
    LessonProgress,
)


def list_clients(db: Database, ids: list[int] | None = None) -> list[ClientSummary]:
    """All clients (or the given ids) with counters, in a fixed number of SQL statements."""
    with db.read() as s:
        return summaries(s, ids)


def summaries(s: Session, ids: list[int] | None = None, *, live: bool = False) -> list[ClientSummary]:
    """The list's rows in a fixed number of statements whatever the number of clients. On SQLite four: the
    clients with their two counters from ``client_counts`` (kept by triggers, migration 0016), checklist codes,
    active lessons, contacts. On PostgreSQL — or with ``live`` — six, the counters counted: done counts at each
    client's current stage and lessons done. Core rows (no ORM loading) and statements built once (building a
    select costs more than running it for one client)."""
    with paused_gc():  # thousands of acyclic rows: see app/gcpause.py
        rows = _summaries(s, ids, live)
    if not codes_known(rows):  # a stage or an approach another program wrote: named, not failed on far away
        from app.persistence.damaged import codes_refusal

        raise codes_refusal(rows, s.get_bind())
    return rows


def _summaries(s: Session, ids: list[int] | None, live: bool) -> list[ClientSummary]:
    conn = s.connection()
    counted = not live and conn.dialect.name == "sqlite"
    q = _statements(ids is not None, counted)
    params = {"ids": list(ids)} if ids is not None else {}
    if counted and ids is not None:  # a few rows after an action: their totals as columns, 2 statements not 4
        rows = conn.execute(q["clients_totals"], params).all()
        return assemble_totaled(rows, group_contacts(conn.execute(q["contacts"], params).all()))
    rows = conn.execute(q["clients"], params).all()
    # the stage of each checklist code, from the small template table: no join in the count below
    stage_of = tuple((code, stage) for code, stage in conn.execute(q["templates"]).all())
    active = [code for (code,) in conn.execute(q["active"])]
    if counted:
        contacts = group_contacts(conn.execute(q["contacts"], params).all())
        return assemble_counted(rows, stage_of, len(active), contacts)
    done = dict(conn.execute(_done_statement(ids is not None, stage_of), params).all()) if stage_of else {}
    lessons_done = dict(conn.execute(q["lessons"], {**params, "codes": active}).all()) if active else {}
    contacts = group_contacts(conn.execute(q["contacts"], params).all())
    return assemble(rows, stage_of, done, len(active), lessons_done, contacts)


@lru_cache(maxsize=4)
def _statements(with_ids: bool, counted: bool) -> dict[str, Select]:
    """``counted``: the clients' rows carry their two counters from ``client_counts`` (SQLite)."""
    c, lp, ct = Client.__table__.c, LessonProgress.__table__.c, Contact.__table__.c
    ids: BindParameter = bindparam("ids", expanding=True)
    columns = [c.id, c.uuid, c.name, c.inn, c.approach, c.stage, c.stage_since, c.contract_no,
               c.contract_date, c.program_version, c.manager]
    if counted:
        n = ClientCounts.__table__.c
        clients = (select(*columns, func.coalesce(n.done_at_stage, 0), func.coalesce(n.lessons_done, 0))
                   .outerjoin_from(Client.__table__, ClientCounts.__table__, n.client_id == c.id)
                   .order_by(c.name, c.id))
    else:
        clients = select(*columns).order_by(c.name, c.id)
    lessons = (select(lp.client_id, func.count())
               .where(lp.employee_uuid == "", lp.done.is_(True), lp.lesson_code.in_(bindparam("codes", expanding=True)))
               .group_by(lp.client_id))
    contacts = select(ct.client_id, ct.name, ct.phone, ct.email).order_by(ct.id)
    if with_ids:
        clients, lessons, contacts = clients.where(c.id.in_(ids)), lessons.where(lp.client_id.in_(ids)), \
            contacts.where(ct.client_id.in_(ids))
    t, lesson = ChecklistTemplate.__table__.c, Lesson.__table__.c
    items_total = select(func.count()).select_from(ChecklistTemplate.__table__).where(t.stage == c.stage)
    lessons_total = select(func.count()).select_from(Lesson.__table__).where(lesson.active.is_(True))
    totals = clients.add_columns(items_total.scalar_subquery(), lessons_total.scalar_subquery())
    return {"clients": clients, "templates": select(t.code, t.stage), "lessons": lessons, "contacts": contacts,
            "active": select(lesson.code).where(lesson.active.is_(True)), "clients_totals": totals}


@lru_cache(maxsize=8)
def _done_statement(with_ids: bool, stage_of: tuple[tuple[str, int], ...]) -> Select:
    """Ticked items at each client's current stage: «stage = k and code in (codes of k)» for each k,
    from the template codes read before, not a join with the template table."""
    c, cs = Client.__table__.c, ChecklistState.__table__.c
    codes: dict[int, list[str]] = {}
    for code, stage in stage_of:
        codes.setdefault(stage, []).append(code)
    query = (select(cs.client_id, func.count())
             .join_from(ChecklistState.__table__, Client.__table__, c.id == cs.client_id)
             .where(cs.done.is_(True), or_(*[and_(c.stage == stage, cs.code.in_(group))
                                             for stage, group in sorted(codes.items())]))
             .group_by(cs.client_id))
    return query.where(cs.client_id.in_(bindparam("ids", expanding=True))) if with_ids else query


def count_clients(db: Database, at_most: int | None = None) -> int:
    """The number of clients; with ``at_most``, min(that number, at_most) read from at most that many rows — what
    a window asks before choosing to read in a worker, on its UI thread: constant time at any size (a full
    COUNT walks every client, ~3 ms at 50 000)."""
    with db.read() as s:
        if at_most is None:
            return s.scalar(select(func.count()).select_from(Client)) or 0
        rows = select(Client.id).limit(at_most).subquery()
        return s.scalar(select(func.count()).select_from(rows)) or 0
