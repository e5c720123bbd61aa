"""Commands for the plan: `plan add|edit|list|done|cancel` (planned conferences, on-site days, calls, reviews)."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta

from app.errors import UserError
from app.i18n import _, format_number

# the same as app.services.event_input.EVENT_KINDS, without importing the services to build the parser
EVENT_KINDS = ("conference", "onsite_day", "call", "stage_review")
_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def parse_datetime(text: str, field: str) -> datetime:
    """«YYYY-MM-DD HH:MM» (or with «T», or «DD.MM.YYYY HH:MM») as a naive wall-clock time, in the digits of any
    script («２０２６-１２-０１ １０:００», as every number typed here)."""
    from app.domain.money import typed_digits

    value = typed_digits((text or "").strip())
    for fmt in _FORMATS:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    from app.domain.validation import no_such_day

    missing = no_such_day(value, field)  # the form is right, the day does not exist: said so, not the form
    if missing is not None:
        raise UserError(missing)
    raise UserError(_("Field «{field}»: «{value}» is not a date and time (expected YYYY-MM-DD HH:MM).").format(
        field=field, value=value[:40]))


def _end(text: str, start: datetime) -> datetime:
    """The end as a full date and time, or «HH:MM» after the start: on the start's day, or the next day when that
    time is not later and the event then lasts at most OVERNIGHT («23:00» to «01:00» runs past midnight; «24:00» is
    the next day's 00:00 — both were refused «заканчивается раньше, чем начинается»). «10:00» to «09:00» stays a
    slip, refused, not a 23-hour event."""
    from app.domain.money import typed_digits

    value = typed_digits((text or "").strip())
    if value == "24:00":
        return start.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    try:
        clock = datetime.strptime(value, "%H:%M")
    except ValueError:
        return parse_datetime(value, _("end"))
    end = start.replace(hour=clock.hour, minute=clock.minute, second=0, microsecond=0)
    if end <= start and end + timedelta(days=1) - start <= OVERNIGHT:
        return end + timedelta(days=1)
    return end


OVERNIGHT = timedelta(hours=12)  # the longest event an «HH:MM» end carries past midnight


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def register(sub) -> None:
    from app.domain.schedule import DEFAULT_ZONE

    plan = sub.add_parser("plan", help=_("planned conferences, on-site days, calls and stage reviews"))
    psub = plan.add_subparsers(dest="plan_command", metavar="ACTION", required=True)
    add = psub.add_parser("add", help=_("plan an event for a client"))
    add.add_argument("client", metavar="CLIENT")
    _event_options(add, new=True, default_zone=DEFAULT_ZONE)
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=plan_add)

    edit = psub.add_parser("edit", help=_("change or move a planned event: only the options given change; its "
                                          "number, calendar UID, participants and lessons are kept"))
    edit.add_argument("event", metavar="ID")
    _event_options(edit, new=False, default_zone=DEFAULT_ZONE)
    edit.add_argument("--json", action="store_true")
    edit.set_defaults(handler=plan_edit)

    lst = psub.add_parser("list", help=_("list planned events (or the agenda)"))
    lst.add_argument("client", nargs="?", default=None, metavar="CLIENT")
    lst.add_argument("--status", choices=("planned", "done", "cancelled"), default=None)
    lst.add_argument("--from", dest="date_from", default=None, metavar="YYYY-MM-DD",
                     help=_("events starting on this day or later, by this computer's clock (the date the list "
                            "shows first; the client's time follows in brackets)"))
    lst.add_argument("--to", dest="date_to", default=None, metavar="YYYY-MM-DD",
                     help=_("events starting on this day or earlier, by this computer's clock"))
    lst.add_argument("--agenda", action="store_true", help=_("overdue, today and the next six days"))
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=plan_list)

    done = psub.add_parser("done", help=_("mark an event done: log its work and tick its lessons"))
    done.add_argument("event", metavar="ID")
    done.add_argument("--minutes", default=None, metavar="MIN", help=_("real duration (default: the planned one)"))
    done.add_argument("--days", default=None, metavar="N", help=_("days to log for an on-site day (default 1)"))
    done.add_argument("--no-log", action="store_true", help=_("do not log work"))
    done.add_argument("--no-lessons", action="store_true", help=_("do not tick the lessons covered"))
    done.add_argument("--json", action="store_true")
    done.set_defaults(handler=plan_done)

    cancel = psub.add_parser("cancel", help=_("cancel a planned event"))
    cancel.add_argument("event", metavar="ID")
    cancel.add_argument("--reason", default="")
    cancel.set_defaults(handler=plan_cancel)

    att = sub.add_parser("attention", help=_("what needs attention: events, stalled clients, unreturned acts, "
                                             "budgets, inventory"))
    att.add_argument("--json", action="store_true")
    att.set_defaults(handler=attention_list)


def _event_options(parser, *, new: bool, default_zone: str) -> None:
    """The options that describe an event, the same for «plan add» (``new``: kind, start and length required) and
    «plan edit» (none required: an option not given keeps the event's value; --lesson and --participant given
    replace the lists, --no-lessons and --no-participants empty them)."""
    parser.add_argument("--kind", required=new, choices=EVENT_KINDS)
    parser.add_argument("--start", required=new, metavar="'YYYY-MM-DD HH:MM'",
                        help=_("local start time in the event's time zone"))
    if new:
        parser.add_argument("--tz", default=None, metavar="ZONE",
                            help=_("IANA time zone of the client's city (default: its city's when known, {zone} for "
                                   "a city on Moscow time; else that of the client's latest event, else {zone})").format(
                                zone=default_zone))
    else:
        parser.add_argument("--tz", default=None, metavar="ZONE",
                            help=_("IANA time zone the start is read in (default: the event's; without --start the "
                                   "event keeps its clock time, read in the new zone)"))
    length = parser.add_mutually_exclusive_group(required=new)
    length.add_argument("--duration", metavar="MIN", help=_("duration: minutes (90) or hours and minutes (1:30)"))
    length.add_argument("--end", metavar="HH:MM", help=_("end time (or a full date and time)"))
    parser.add_argument("--section", default=None if not new else "", help=_("section of accounting covered"))
    lessons = parser.add_mutually_exclusive_group()
    lessons.add_argument("--lesson", action="append", default=[] if new else None, metavar="CODE",
                         help=_("a lesson covered (repeat)"))
    participants = parser.add_mutually_exclusive_group()
    participants.add_argument("--participant", action="append", default=[] if new else None, metavar="NAME",
                              help=_("a participant from the client's staff (repeat)"))
    if not new:
        lessons.add_argument("--no-lessons", action="store_true", help=_("the event covers no lessons any more"))
        participants.add_argument("--no-participants", action="store_true",
                                  help=_("the event has no participants any more"))
    parser.add_argument("--place", default=None if not new else "", help=_("address or conference link"))
    parser.add_argument("--note", default=None if not new else "")


def _date(text: str | None, field: str):
    from app.domain.validation import parse_date

    return parse_date(text, field) if text else None


def _row_text(row) -> str:
    mark = (" ⚠ " + _("overlaps No. {ids}").format(ids=", ".join(str(i) for i in sorted(row.conflicts)))
            if row.conflicts else "")
    minutes = row.actual_min if row.status == "done" and row.actual_min else row.duration_min  # what it took
    return (f"{row.id}\t{row.when_text()}\t{format_number(minutes)} {_('min')}\t"
            f"{row.kind_title}\t{row.client_name}\t{row.section}\t{row.status_title}{mark}")


def plan_add(ctx, args) -> int:
    """Plan an event; prints its id (stdout holds the id alone, for scripts). When ``--tz`` is not given, the zone
    taken and why go to stderr («Время заказчика: Asia/Yekaterinburg (по адресу заказчика)») and into the JSON
    (``time_zone_source``): the start typed is read on that clock, and the command did not say which (a tester)."""
    from app.services.event_input import EventInput, too_long_event
    from app.services.plan import add_event
    from app.services.plan_read import get_event, zone_choice

    start = parse_datetime(args.start, _("start"))
    chosen = zone_choice(ctx.db, args.client) if args.tz is None else None
    data = EventInput(
        kind=args.kind, start=start, time_zone=args.tz if chosen is None else chosen.zone,
        duration_min=_minutes(args.duration, too_long_event) if args.duration is not None else None,
        end=_end(args.end, start) if args.end is not None else None,
        section=args.section, lessons=tuple(args.lesson), participants=tuple(args.participant),
        place=args.place, note=args.note)
    event_id, _changes = add_event(ctx.db, args.client, data)
    if args.json:
        ctx.out(_json(dict(get_event(ctx.db, event_id).as_json(),
                           time_zone_source=chosen.source if chosen is not None else "given")))
    else:
        ctx.out(str(event_id))
    if chosen is not None:
        print(chosen.text(), file=sys.stderr)
    _say_twice(ctx, event_id, start, data.end)
    return 0


def _say_twice(ctx, event_id: int, start: datetime | None, end: datetime | None) -> None:
    """A start (or end) typed in the hour the clocks are set back happens twice: which was taken goes to stderr
    (a time that does not exist is refused by the service)."""
    from app.domain.schedule import twice_note
    from app.services.plan_read import get_event

    zone = get_event(ctx.db, event_id).time_zone
    for moment in (start, end):
        if moment is not None and (note := twice_note(moment, zone)):
            print(note, file=sys.stderr)


def plan_edit(ctx, args) -> int:
    """Change a planned event in place: the options given replace its values, the rest — its uuid (the calendar's
    UID), participants, lessons, place, note — stay. Moving an event by «cancel» and «add» gave it a new uuid (a
    calendar kept the old one as cancelled) and lost its participants and lessons (tester K). Every input is read
    before anything is written: a refusal (exit 2) changes nothing."""
    from dataclasses import replace

    from app.services.event_input import too_long_event
    from app.services.plan import update_event
    from app.services.plan_read import get_event

    event_id = _event_id(args.event)
    old = get_event(ctx.db, event_id).as_input()  # an unknown number: refused here; done or cancelled: by the update
    given: dict[str, object] = {}
    if args.kind is not None:
        given["kind"] = args.kind
    if args.start is not None:
        given["start"] = parse_datetime(args.start, _("start"))
    if args.tz is not None:
        given["time_zone"] = args.tz
    if args.duration is not None:
        given["duration_min"] = _minutes(args.duration, too_long_event)
    if args.end is not None:  # «HH:MM» after the start the event will have (the new one when given)
        given["end"] = _end(args.end, given.get("start", old.start))  # type: ignore[arg-type]
        given["duration_min"] = None
    for option, name in (("section", "section"), ("place", "place"), ("note", "note")):
        if getattr(args, option) is not None:
            given[name] = getattr(args, option)
    if args.lesson is not None or args.no_lessons:
        given["lessons"] = tuple(args.lesson or ())
    if args.participant is not None or args.no_participants:
        given["participants"] = tuple(args.participant or ())
    if not given:
        raise UserError(_("Nothing to change: give what changes, e.g. --start \"YYYY-MM-DD HH:MM\" or --duration "
                          "MIN (see plan edit --help)."))
    update_event(ctx.db, event_id, replace(old, **given))  # type: ignore[arg-type]
    row = get_event(ctx.db, event_id)
    if args.json:
        ctx.out(_json(row.as_json()))
    else:
        ctx.out(_("Event No. {id} is changed: {when}, {minutes} min.").format(
            id=row.id, when=row.when_text(), minutes=format_number(row.duration_min)))
    # a new start or zone reads the wall clock anew: said when it happens twice
    start = given.get("start") or (old.start if "time_zone" in given else None)
    _say_twice(ctx, event_id, start, given.get("end"))  # type: ignore[arg-type]
    return 0


def plan_list(ctx, args) -> int:
    from app.domain.schedule import viewer_zone_name
    from app.services.plan_read import agenda, list_events

    if args.agenda:
        if args.status or args.date_from or args.date_to:
            raise UserError(_("--agenda shows planned events only: drop --status, --from and --to."))
        client_id = None
        if args.client is not None:
            from app.services.clients import get_client

            client_id = get_client(ctx.db, args.client).id
        result = agenda(ctx.db, client_id=client_id)
        if args.json:
            here = viewer_zone_name()
            ctx.out(_json({"today": result.today.isoformat(), "local_time_zone": here,
                           "overdue": [r.as_json(viewer_zone=here) for r in result.overdue],
                           "today_events": [r.as_json(viewer_zone=here) for r in result.today_rows],
                           "week": [r.as_json(viewer_zone=here) for r in result.week_rows],
                           "conflicts": result.conflict_count}))
            return 0
        if result.rows:
            print(_clock_line(result.rows), file=sys.stderr)
        for title, section in ((_("Overdue"), result.overdue), (_("Today"), result.today_rows),
                            (_("This week"), result.week_rows)):
            ctx.out(f"{title}:")
            for row in section:
                ctx.out("  " + _row_text(row))
            if not section:
                ctx.out("  " + _("nothing"))
        return 0
    rows = list_events(ctx.db, args.client, status=args.status, date_from=_date(args.date_from, _("from")),
                       date_to=_date(args.date_to, _("to")))
    if args.json:
        here = viewer_zone_name()
        ctx.out(_json([r.as_json(viewer_zone=here) for r in rows]))
    elif not rows:  # a sentence, not an empty screen (the trial 17e)
        ctx.out(_("No events planned.") if not (args.status or args.date_from or args.date_to)
                else _("No events match these conditions."))
    else:
        print(_clock_line(rows), file=sys.stderr)  # stdout keeps one event a line, for scripts
        for row in rows:
            ctx.out(_row_text(row))
    return 0


def _clock_line(rows) -> str:
    """Whose clock the list's times are, said on stderr as `plan add` says the client's zone: «Время — по часам
    этого компьютера: Europe/Kaliningrad, UTC+2.» (the text named no zone, only the client's beside: tester K)."""
    from app.domain.schedule import viewer_zone_label

    return _("Times are this computer's: {zone}.").format(zone=viewer_zone_label(moments=[r.starts_utc for r in rows]))


def _minutes(text: str, too_long) -> int:
    """Minutes as ``parse_minutes`` reads them; a number too large for it refused in the event's words
    (``too_long(value)``), not a work-log entry's: two wordings of one limit (tester K)."""
    from app.services.worklog import parse_minutes

    try:
        return parse_minutes(text)
    except UserError:
        typed = str(text).strip()
        if typed.isascii() and typed.isdigit():  # a plain number refused: too many minutes
            raise too_long(format_number(int(typed)) if len(typed) <= 40 else typed[:40] + "…") from None
        raise


def _event_id(text: str) -> int:
    from app.domain.money import typed_digits

    value = typed_digits(str(text).strip())  # «１２» is event 12, as every number typed here
    if not value.isascii() or not value.isdigit():  # «plan done abc» said «событие № abc не найдено»
        raise UserError(_("The event number is a whole number, as plan list shows it, not «{value}».").format(
            value=value[:20]))
    if len(value) > 12:
        raise UserError(_("Planned event No. {id} not found.").format(id=value[:20]))
    return int(value)


def plan_done(ctx, args) -> int:
    from app.domain import validation as v
    from app.domain.pricing import parse_decimal
    from app.services.event_input import too_long_done
    from app.services.plan import complete_event
    from app.services.plan_read import get_event
    from app.services.plan_rows import clients_day_differs, done_entry_note

    minutes = (_minutes(args.minutes, lambda value: too_long_done(args.event, value))
               if args.minutes is not None else None)
    days = parse_decimal(args.days, _("Days")) if args.days is not None else None
    done, _changes = complete_event(ctx.db, _event_id(args.event), actual_min=minutes, days=days,
                                    log_work=not args.no_log, tick_lessons=not args.no_lessons)
    if args.json:
        ctx.out(_json(dict(get_event(ctx.db, _event_id(args.event)).as_json(), ticked=list(done.ticked))))
    elif done.entry_id is not None:  # the date said: the client's, when it is not this computer's (tester K #12)
        event = get_event(ctx.db, _event_id(args.event))
        day = v.day_text(event.done_on) if event.done_on is not None else ""
        ctx.out((_("Done; work-log entry No. {id} of {day} (the client's date).") if clients_day_differs(event) else
                 _("Done; work-log entry No. {id} of {day}.")).format(id=done.entry_id, day=day))
    else:
        ctx.out(_("Done."))
    from app.cli.notices import event_before_contract

    event_before_contract(ctx, _event_id(args.event))
    if done.entry_id is not None and (note := done_entry_note(get_event(ctx.db, _event_id(args.event)))):
        print(note, file=sys.stderr)
    return 0


def plan_cancel(ctx, args) -> int:
    from app.services.plan import cancel_event

    event_id = _event_id(args.event)
    cancel_event(ctx.db, event_id, args.reason)
    ctx.out(_("Event No. {id} is cancelled.").format(id=event_id))
    return 0


def attention_list(ctx, args) -> int:
    from app.services.reminders import attention

    rows = attention(ctx.db)
    if args.json:
        ctx.out(_json([r.as_json() for r in rows]))
    else:
        if not rows:
            ctx.out(_("Nothing needs attention."))
        for r in rows:
            ctx.out(f"{r.kind_title}\t{r.client_id}\t{r.client_name}\t{r.text}")
    return 0
