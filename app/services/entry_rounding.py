"""The billing rounding per entry: the setting, why it changed over billed work, an act's step."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.pricing import TIME_KINDS
from app.i18n import _
from app.persistence.db import Database
from app.persistence.models import Document, Setting, WorkLogEntry
from app.services.changes import Changes

ROUNDING_KEY = "billing_rounding_min"
ROUNDING_STEPS = (0, 15, 30, 60)


_RULE_STEP = re.compile(r"вверх до (\d+)")


def act_rounding_step(content: str | None) -> int:
    """The rounding step (minutes) an act billed its entries with, from its stored snapshot: the
    ``rounding_min`` it keeps, or for older acts the step named in its printed rounding rule; 0 when none."""
    try:
        data = json.loads(content or "{}")
    except ValueError:
        return 0
    if not isinstance(data, dict):
        return 0
    step = data.get("rounding_min")
    if isinstance(step, int) and step in ROUNDING_STEPS:
        return step
    match = _RULE_STEP.search(str(data.get("rounding_rule") or ""))
    return int(match[1]) if match and int(match[1]) in ROUNDING_STEPS else 0


def _act_steps(s: Session, document_ids: Iterable[int | None]) -> dict[int, int]:
    """Document id → the rounding step its act billed with (see ``act_rounding_step``)."""
    ids = sorted({i for i in document_ids if i is not None})
    if not ids:
        return {}
    return {doc_id: act_rounding_step(text)
            for doc_id, text in s.execute(select(Document.id, Document.content).where(Document.id.in_(ids)))}


def _rounding(s: Session) -> int:
    row = s.get(Setting, ROUNDING_KEY)
    try:
        step = int(row.value) if row is not None and row.value else 0
    except ValueError:
        step = 0
    return step if step in ROUNDING_STEPS else 0


def billing_rounding(db: Database) -> int:
    """Billing rounding per entry in minutes: 0 (none, the default), 15, 30 or 60 — always up."""
    with db.read() as s:
        return _rounding(s)


def set_billing_rounding(db: Database, minutes: int | str, *, force: bool = False, reason: str = "") -> Changes:
    """Billing rounding per entry: 0, 15, 30 or 60 minutes (a team's setting: its administrator's only); over work
    acts in force billed with another step it needs ``force`` and a ``reason``, as a tariff does."""
    from app.services.billing_settings import check_rounding
    from app.team import rights

    rights.require_admin_db(db, rights.SETTINGS)  # team-wide data: the team's administrator only
    step = check_rounding(minutes)
    with db.unit() as s:
        write_rounding(s, step, force=force, reason=reason)
    return Changes(settings=True, worklog=True, clients=True, all_figures=True)


ROUNDING_REASON_KEY = "billing_rounding_reason"  # why the rounding last changed over billed work ('' otherwise)


def rounding_reason(s: Session) -> str:
    row = s.get(Setting, ROUNDING_REASON_KEY)
    return row.value if row is not None and isinstance(row.value, str) else ""


def write_rounding(s: Session, step: int, *, force: bool = False, reason: str = "") -> None:
    """Set the billing rounding in ``s``. The rounding has no date: it applies to the work of every period, so
    while acts in force billed time with another step it is refused naming them (tester N: «--rounding 15» over
    billed October–December was taken at once, and reports re-rounded the billed work), unless forced with a
    reason, which is kept (``ROUNDING_REASON_KEY``) and shown with the setting. The acts keep their figures either
    way (app.services.billed_terms)."""
    from app.domain.validation import clean_text
    from app.services.documents.register import document_code
    from app.services.tariffs import billed_change_refusal

    text = clean_text(reason or "", _("Reason"), max_len=2000)
    if step == _rounding(s):
        return
    timed = select(WorkLogEntry.billed_by_document_id).where(WorkLogEntry.billed_by_document_id.is_not(None),
                                                               WorkLogEntry.kind.in_(TIME_KINDS))
    billed = [(r.period_from, r.period_to, document_code(r.kind, r.number, r.year, r.series)) for r in s.execute(
        select(Document.period_from, Document.period_to, Document.kind, Document.number, Document.year,
               Document.series, Document.content)
        .where(Document.kind == "act", Document.voided_on.is_(None), Document.id.in_(timed))
        .order_by(Document.period_from, Document.id)) if act_rounding_step(r.content) != step]
    if billed and (not force or not text):
        raise billed_change_refusal(billed, None)
    for key, value in ((ROUNDING_KEY, str(step)), (ROUNDING_REASON_KEY, text if billed else "")):
        row = s.get(Setting, key)
        if row is None:
            if key == ROUNDING_KEY or value:
                s.add(Setting(key=key, value=value))
        elif row.value != value:
            row.value = value
