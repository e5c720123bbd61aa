"""«Требует внимания»: what needs the specialist now — events, stalled clients, unreturned acts, budgets, inventory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from sqlalchemy import and_, select

from app.domain.timeutil import local_date
from app.errors import UserError
from app.i18n import N_, _
from app.persistence.db import Database
from app.persistence.models import ChecklistState, Client, Document, Setting
from app.services.board import stalled_days
from app.services.budget import budget_summaries
from app.services.changes import Changes
from app.services.documents import document_code
from app.services.plan import agenda

UNRETURNED_DAYS_KEY = "unreturned_act_days"
DEFAULT_UNRETURNED_DAYS = 14
MAX_DAYS = 3650
SIGNED_KINDS = ("act", "signoff")  # documents whose signed copy comes back
INVENTORY_CODE = "s2.inventory"

KINDS = ("event_overdue", "event_today", "stalled", "act_unreturned", "estimate_exceeded", "inventory_missing")
KIND_TITLES = {
    "event_overdue": N_("Overdue event"),
    "event_today": N_("Event today"),
    "stalled": N_("Stalled client"),
    "act_unreturned": N_("Signed copy not returned"),
    "estimate_exceeded": N_("Estimate exceeded"),
    "inventory_missing": N_("Stage 2 without inventory"),
}


@dataclass(frozen=True)
class Reminder:
    """One line of the «Требует внимания» panel; ``client_id`` is where one click leads,
    ``ref_id`` the event or document it is about (None for client-wide reminders)."""

    kind: str
    client_id: int
    client_name: str
    text: str
    ref_id: int | None = None

    @property
    def kind_title(self) -> str:
        return _(KIND_TITLES[self.kind])

    def as_json(self) -> dict:
        return {"kind": self.kind, "client_id": self.client_id, "client": self.client_name, "text": self.text,
                "ref_id": self.ref_id}


def unreturned_days(db: Database) -> int:
    """Days after issue when a signed copy of an act not yet returned needs attention (default 14)."""
    with db.read() as s:
        row = s.get(Setting, UNRETURNED_DAYS_KEY)
        text = row.value if row is not None else str(DEFAULT_UNRETURNED_DAYS)
    try:
        value = int(text)
    except ValueError:
        return DEFAULT_UNRETURNED_DAYS
    return value if 1 <= value <= MAX_DAYS else DEFAULT_UNRETURNED_DAYS


def set_unreturned_days(db: Database, days: int | str) -> Changes:
    try:
        value = int(str(days).strip())
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_DAYS:
        raise UserError(_("The number of days for a signed copy must be from 1 to {max}.").format(max=MAX_DAYS))
    with db.unit() as s:
        row = s.get(Setting, UNRETURNED_DAYS_KEY)
        if row is None:
            s.add(Setting(key=UNRETURNED_DAYS_KEY, value=str(value)))
        else:
            row.value = str(value)
    return Changes(settings=True)


def attention(db: Database, *, now: datetime | None = None, viewer: tzinfo | None = None) -> list[Reminder]:
    """Every reminder, most urgent kind first, in a constant number of statements:
    overdue events and today's; clients without a stage change for the stalled threshold (stages 0–3);
    acts and sign-off sheets whose signed copy is not back after ``unreturned_days``; clients whose work
    log bills more than their latest estimate; clients at stage 2 without «s2.inventory» done."""
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    plan = agenda(db, now=moment, viewer=viewer, days=1)
    day = plan.today
    result: list[Reminder] = []
    for row in plan.overdue:
        # the kind of reminder says «overdue»; the details name the event and when it was
        result.append(Reminder("event_overdue", row.client_id, row.client_name, "{kind}, {date} {time}".format(
            kind=row.kind_title, date=row.start_local.strftime("%d.%m.%Y"),
            time=row.start_local.strftime("%H:%M")), row.id))
    for row in plan.today_rows:
        result.append(Reminder("event_today", row.client_id, row.client_name, _("{kind} at {time}").format(
            kind=row.kind_title, time=row.viewer_start(viewer).strftime("%H:%M")), row.id))
    stalled_after, unreturned_after = stalled_days(db), unreturned_days(db)
    with db.read() as s:
        clients = s.execute(select(Client.id, Client.name, Client.stage, Client.stage_since)
                            .order_by(Client.name, Client.id)).all()
        names = {c.id: c.name for c in clients}
        documents = s.execute(
            select(Document.id, Document.client_id, Document.kind, Document.year, Document.number,
                   Document.issued_on)
            .where(Document.kind.in_(SIGNED_KINDS), Document.signed_returned_on.is_(None),
                   Document.issued_on <= day - timedelta(days=unreturned_after))
            .order_by(Document.issued_on, Document.id)).all()
        without_inventory = set(s.scalars(
            select(Client.id).outerjoin(ChecklistState, and_(ChecklistState.client_id == Client.id,
                                                             ChecklistState.code == INVENTORY_CODE,
                                                             ChecklistState.done.is_(True)))
            .where(Client.stage == 2, ChecklistState.id.is_(None))))
    stalled_text = _("no stage change for {days} days")  # translated once, not once per client
    for c in clients:
        if c.stage < 4:
            days = (day - local_date(c.stage_since)).days
            if days >= stalled_after:
                result.append(Reminder("stalled", c.id, c.name, stalled_text.format(days=days)))
    for d in documents:
        result.append(Reminder("act_unreturned", d.client_id, names.get(d.client_id, ""), _(
            "the signed copy of {code} of {date} is not back after {days} days").format(
            code=document_code(d.kind, d.number, d.year), date=d.issued_on.strftime("%d.%m.%Y"),
            days=(day - d.issued_on).days), d.id))
    for client_id, budget in sorted(budget_summaries(db, on=day, estimated_only=True).items()):
        if budget.over_budget:
            result.append(Reminder("estimate_exceeded", client_id, names.get(client_id, ""), _(
                "billed {actual} ₽ of the estimated {planned} ₽").format(
                actual=budget.actual_total, planned=budget.planned_total)))
    inventory_text = _("the preliminary inventory is not done")
    for c in clients:
        if c.id in without_inventory:
            result.append(Reminder("inventory_missing", c.id, c.name, inventory_text))
    return result
