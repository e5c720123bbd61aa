"""Notices a command prints on stderr beside what it did (exit status 0): things done that are allowed but often a
slip."""

from __future__ import annotations

import sys

from app.i18n import _


def entry_date_notes(ctx, entry_id: int) -> None:
    """Say on stderr what ``app.services.entry_notes.entry_date_notes`` notes of work-log entry ``entry_id``."""
    from app.services.entry_notes import entry_date_notes as notes

    for note in notes(ctx.db, entry_id):
        print(note, file=sys.stderr)


def event_before_contract(ctx, event_id: int) -> None:
    """Say it when the done event ``event_id`` took place before its client's contract."""
    from app.services.plan_read import get_event
    from app.services.worklog import contract_after

    event = get_event(ctx.db, event_id)
    if event.done_on is None:
        return
    signed = contract_after(ctx.db, event.client_id, event.done_on)
    if signed is not None:
        print(_("Note: event No. {id} took place on {day}, before the contract of {contract}.").format(
            id=event_id, day=event.done_on.strftime("%d.%m.%Y"), contract=signed.strftime("%d.%m.%Y")),
              file=sys.stderr)


def marks_before_contract(ctx, client_ref, codes: list[str], day, lessons: bool) -> None:
    """Say it when lessons (``lessons``) or checklist items ``codes`` were marked done on ``day``, before the client's
    contract (taken: a date before the contract is most often a slip, as a work-log entry's is)."""
    from app.services.entry_notes import contract_after_day

    signed = contract_after_day(ctx.db, client_ref, day)
    if signed is None:
        return
    text = (_("Note: lessons {codes} are marked watched on {day}, before the contract of {contract}.") if lessons
            else _("Note: checklist items {codes} are marked done on {day}, before the contract of {contract}."))
    print(text.format(codes=", ".join(codes), day=day.strftime("%d.%m.%Y"), contract=signed.strftime("%d.%m.%Y")),
          file=sys.stderr)


def question_before_contract(ctx, client_ref, question_id: int, day) -> None:
    """Say it when question ``question_id`` was asked on ``day``, before the client's contract."""
    from app.services.entry_notes import contract_after_day

    signed = contract_after_day(ctx.db, client_ref, day)
    if signed is not None:
        print(_("Note: question No. {id} is dated {day}, before the contract of {contract}.").format(
            id=question_id, day=day.strftime("%d.%m.%Y"), contract=signed.strftime("%d.%m.%Y")), file=sys.stderr)
