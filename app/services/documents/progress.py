"""Отчёт о ходе внедрения as of a date: stage, checklists, lessons, estimate against actual, stage history —
counting only what happened up to that date, read in one session."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.domain.pricing import DAY_KINDS, TIME_KINDS, ZERO, hours_of, two_places
from app.domain.stages import STAGE_TITLES, Stage
from app.domain.timeutil import local_date
from app.errors import UserError
from app.persistence.db import Database
from app.persistence.models import Estimate, StageDef
from app.services.common import find_client, today
from app.services.documents import common as c
from app.services.documents.executor import details_in
from app.services.documents.kinds import Draft


def _percent(done: int, total: int) -> int:
    return (done * 100) // total if total else 0


def prepare(db: Database, ref: int | str, *, on: date | None = None) -> Draft:
    """Отчёт о ходе внедрения «по состоянию на ``on``»: work-log entries, checklist ticks, lessons and stage moves
    after ``on`` are not counted."""
    on = on or today()
    c.check_not_future(on)
    with db.read() as s:
        client = find_client(s, ref)
        executor = details_in(s)
        content = c.base(s, "progress", client, executor, on)
        stage_defs = {row.number: (row.title, row.goal) for row in s.scalars(select(StageDef))}

        def title(n: int) -> str:
            return stage_defs[n][0] if n in stage_defs else STAGE_TITLES[Stage(n)]

        lessons = c.lesson_counts(s, client.id, on)
        groups = c.checklist_as_of(s, client.id, on, lessons)
        events = c.stage_events(s, client.id, on)
        history = [{"at": local_date(e.at).isoformat(), "from": e.from_stage, "to": e.to_stage,
                    "to_title": title(e.to_stage), "who": e.who, "reason": e.reason, "forced": e.forced}
                   for e in events]
        current = c.stage_as_of(s, client, on)
        since = local_date(events[-1].at) if events else (local_date(client.stage_since) if client.stage_since
                                                          else None)
        if since is not None and since > on:
            since = None
        # estimate against actual: the latest estimate saved by then, the work logged by then
        plan = s.scalar(select(Estimate).where(Estimate.client_id == client.id, Estimate.on_date <= on)
                        .order_by(Estimate.id.desc()).limit(1))
        rows = c.log_rows(s, client.id, date_to=on)
        try:
            quote = c.bill(s, client.approach, c.billed_items(s, rows), on) if rows else None
        except UserError:  # an entry before any tariff: the report shows the time, not the money
            quote = None
        minutes = quote.billed_minutes if quote is not None else sum(
            r.minutes or 0 for r in rows if r.kind in TIME_KINDS)
        days = sum((Decimal(r.days or 0) for r in rows if r.kind in DAY_KINDS), ZERO)
        content.update({
            "as_of": on.isoformat(),
            "stage": {"number": current, "title": title(current),
                      "goal": stage_defs[current][1] if current in stage_defs else "",
                      "since": since.isoformat() if since else None,
                      "days": max(0, (on - since).days) if since else 0},
            "checklist": [{"stage": n, "title": title(n), "items": groups[n]} for n in sorted(groups)],
            "history": history,
        })
        done_all = sum(d for d, _t, _l in lessons.values())
        total_all = sum(t for _d, t, _l in lessons.values())
        content["lessons"] = {
            "by_stage": [{"stage": n, "title": title(n), "done": d, "total": t, "percent": _percent(d, t)}
                         for n, (d, t, _l) in sorted(lessons.items()) if t],
            "done": done_all, "total": total_all, "percent": _percent(done_all, total_all),
        }
        content["budget"] = {
            "has_estimate": plan is not None,
            "planned_total": c.money_text(plan.total if plan else ZERO),
            "actual_total": c.money_text(quote.total if quote else ZERO),  # like the estimate: before VAT on top
            "planned_hours": str(two_places(plan.conference_hours + plan.question_hours + plan.control_hours)
                                 if plan else ZERO),
            "actual_hours": str(hours_of(minutes)),
            "actual_minutes": minutes,
            "minutes_shown": True,  # printed beside the hours since 2026-12-05; older snapshots reprint without
            "minutes_in_every_column": True,  # planned and deviation too (tester J); older snapshots: actual only
            "planned_days": str(plan.days if plan else ZERO),
            "actual_days": str(two_places(days)),
            "estimate_on": plan.on_date.isoformat() if plan else None,
        }
        return Draft("progress", client.id, client.name, content)
