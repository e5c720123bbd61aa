"""Акт сдачи-приёмки этапа: what was done in a stage as of the sheet's date, accepted or accepted with remarks."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from app.domain.billing import has_time
from app.domain.pricing import DAY_KINDS, hours_of
from app.domain.quotes import in_quotes
from app.domain.stages import Approach, Stage
from app.domain.timeutil import local_date
from app.domain.validation import clean_reason
from app.errors import UserError
from app.i18n import _
from app.persistence.db import Database
from app.services.common import find_client, today
from app.services.documents import common as c
from app.services.documents.executor import details_in
from app.services.documents.kinds import Draft


class StageHasOpenItems(UserError):
    """A stage with open checklist items is signed off only «с замечаниями» (``force`` with a ``reason``);
    the window offers that when it sees this refusal."""


def check_remarks_reason(reason: str | None, *, required: bool = True) -> str:
    """The reason of a sign-off «принят с замечаниями» cleaned: line breaks kept, as every reason typed in a
    multi-line box (a stage move's, a void's); refused when ``required`` and empty (UserError)."""
    note = clean_reason(reason or "", _("Reason"), max_len=5000, paper=True)
    if required and not note:
        raise UserError(_("Signing off a stage with open items needs a reason."),
                        cli_hint=_("Give it with --reason TEXT."))
    return note


def stage_dates(events: Iterable, stage: int, items: list[dict], on: date) -> dict:
    """The sheet's «Сроки этапа» of ``stage`` as of ``on``: ``since``/``until`` ISO days (both None when the client's
    history has no move into the stage), and ``moved_in``/``moved_out`` — the days of the moves into it and on to the
    next stage — when the stage's work began before the move into it or ended after the move out of it.

    The moves are the days they were recorded; an item may be ticked ahead of its stage or finished after the move
    on, with its own day. The period spans both, so the sheet never says «с 06.12.2026» above an item «выполнено
    01.12.2026» (a tester, round 13: the item was ticked ahead), and names the move days that differ from its ends."""
    moved_in = moved_out = None
    for e in events:
        if e.to_stage == stage and e.from_stage == stage - 1:
            moved_in, moved_out = local_date(e.at), None
        elif e.from_stage == stage and e.to_stage == stage + 1 and moved_in is not None:
            moved_out = local_date(e.at)
        elif e.from_stage == stage + 1 and e.to_stage == stage:  # moved back into it: the stage goes on
            moved_out = None
    if moved_in is None:
        return {"since": None, "until": None}
    days = [date.fromisoformat(item["done_on"]) for item in items if item["done"] and item.get("done_on")]
    since = min([moved_in, *days])
    until = max([moved_out or on, *days])
    dates = {"since": since.isoformat(), "until": until.isoformat()}
    if since < moved_in:
        dates["moved_in"] = moved_in.isoformat()
    if moved_out is not None and until > moved_out:
        dates["moved_out"] = moved_out.isoformat()
    return dates


def prepare(db: Database, ref: int | str, *, on: date | None = None, stage: int | None = None,
            force: bool = False, reason: str | None = None) -> Draft:
    """Акт сдачи-приёмки этапа ``stage`` as of ``on`` (default: the last completed stage; today).

    Only ticks, lessons, stage moves and work logged up to ``on`` count. A stage with open items is refused
    unless ``force`` with a ``reason``: the sheet then lists the open items and says «принят с замечаниями».
    The sheet may not be dated before the last item it lists as done."""
    on = on or today()
    c.check_not_future(on)
    note = check_remarks_reason(reason, required=force)
    with db.read() as s:
        client = find_client(s, ref)
        current = c.stage_as_of(s, client, on)
        if stage is None:
            completed = min(current - 1, int(Stage.FULL))
            if completed < 1:
                raise UserError(_("«{name}» has not completed any stage by {date} (it is at stage {current}): "
                                  "there is no stage to sign off yet.").format(
                    name=in_quotes(client.name), date=on.strftime("%d.%m.%Y"), current=current),
                    cli_hint=_("Give the stage to sign off with --stage."))
            stage = completed
        stage = int(stage)
        if stage not in c.CHECKLIST_STAGES:
            raise UserError(_("Only stages 1, 2 and 3 are signed off, not «{stage}».").format(stage=stage))
        if stage > current:
            raise UserError(_("«{name}» is at stage {current}: stage {stage} cannot be signed off yet.").format(
                name=in_quotes(client.name), current=current, stage=stage))
        lessons = c.lesson_counts(s, client.id, on)
        items = c.checklist_as_of(s, client.id, on, lessons, stage).get(stage, [])
        open_items = [item for item in items if not item["done"]]
        if open_items and not force:
            raise StageHasOpenItems(_("Stage {stage} of «{name}» has open items on {date}: {items}. Sign it off with "
                                      "remarks or finish them first.").format(
                stage=stage, name=in_quotes(client.name), date=on.strftime("%d.%m.%Y"),
                items="; ".join(item["title"] for item in open_items)[:1000]),
                cli_hint=_("With remarks: --with-remarks --reason TEXT."))
        last_done = max((date.fromisoformat(item["done_on"]) for item in items if item["done_on"]), default=None)
        if last_done is not None and on < last_done:
            raise UserError(_("The sheet cannot be dated {date}, before the last item it lists was done ({last}).")
                            .format(date=on.strftime("%d.%m.%Y"), last=last_done.strftime("%d.%m.%Y")))
        executor = details_in(s)
        content = c.base(s, "signoff", client, executor, on)
        title, goal = c.stage_def(s, stage)
        content.update({
            "as_of": on.isoformat(),
            "stage": {"number": stage, "title": title, "goal": goal,
                      **stage_dates(c.stage_events(s, client.id, on), stage, items, on)},
            "checklist": items,
            "open_items": [item["title"] for item in open_items],
            "accepted_with_remarks": bool(open_items),
            "remarks_reason": note if open_items else "",
            "lessons": {"stage_done": lessons[stage][0], "stage_total": lessons[stage][1],
                        "done": sum(d for d, _t, _l in lessons.values()),
                        "total": sum(t for _d, t, _l in lessons.values())},
            "spent": None,
        })
        total = None
        rows = c.log_rows(s, client.id, stage=stage, date_to=on)
        if client.approach == Approach.ACCOMPANIED:  # free: only the work acts billed before it became free costs
            rows = [r for r in rows if r.billed_by_document_id is not None]
        if rows or client.approach != Approach.ACCOMPANIED:
            items, acts = c.billed_reads(s, rows)
            quote = c.bill(s, client.approach, items, on)
            days = sum((Decimal(r.days or 0) for r in rows if r.kind in DAY_KINDS), Decimal(0))
            content["spent"] = {"minutes": quote.billed_minutes, "hours": str(hours_of(quote.billed_minutes)),
                                "days": str(days), **c.quote_json(quote),
                                "rounding_rule": (c.rounding_rule_of(rows, acts, c.rounding_step(s)) if has_time(quote)
                                                  else "")}
            total = quote.total_due
        return Draft("signoff", client.id, client.name, content, stage=stage, total=total)
