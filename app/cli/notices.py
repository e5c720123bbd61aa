"""Notices a command prints on stderr beside what it did (exit status 0): things done that are allowed but often a
slip."""

from __future__ import annotations

import sys

from app.i18n import _


def entry_date_notes(ctx, entry_id: int) -> None:
    """Say it when work-log entry ``entry_id`` is dated before its client's contract (``contract_after``) or after
    today: work a month ahead was taken without a word while work before the contract was noted (tester J)."""
    from app.services.common import today
    from app.services.worklog import contract_after, get_entry

    row = get_entry(ctx.db, entry_id)
    signed = contract_after(ctx.db, row.client_id, row.on_date)
    if signed is not None:
        print(_("Note: entry No. {id} is dated {day}, before the contract of {contract}.").format(
            id=entry_id, day=row.on_date.strftime("%d.%m.%Y"), contract=signed.strftime("%d.%m.%Y")),
              file=sys.stderr)
    now = today()
    if row.on_date > now:
        print(_("Note: entry No. {id} is dated {day}, a day that has not come yet (today is {today}).").format(
            id=entry_id, day=row.on_date.strftime("%d.%m.%Y"), today=now.strftime("%d.%m.%Y")), file=sys.stderr)


def event_before_contract(ctx, event_id: int) -> None:
    """Say it when the done event ``event_id`` took place before its client's contract."""
    from app.services.plan import get_event
    from app.services.worklog import contract_after

    event = get_event(ctx.db, event_id)
    if event.done_on is None:
        return
    signed = contract_after(ctx.db, event.client_id, event.done_on)
    if signed is not None:
        print(_("Note: event No. {id} took place on {day}, before the contract of {contract}.").format(
            id=event_id, day=event.done_on.strftime("%d.%m.%Y"), contract=signed.strftime("%d.%m.%Y")),
              file=sys.stderr)
