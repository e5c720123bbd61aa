"""Commands for money: `estimate`, the work log (`log add|list|delete|restore`) and billing settings."""

from __future__ import annotations

import json
from datetime import date

from app.cli.parse import client_arg, decimal_arg, id_arg, int_arg
from app.domain.quotes import quoted
from app.domain.vat import vat_ground, vat_mode_text, vat_rule_text
from app.i18n import _


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def register(sub) -> None:
    est = sub.add_parser("estimate", help=_("price the work for an approach with the tariffs of a date"))
    est.add_argument("--approach", required=True, metavar="accompanied|remote|onsite")
    est.add_argument("--conference-hours", default="0", type=decimal_arg("--conference-hours"), metavar="H")
    est.add_argument("--question-hours", default="0", type=decimal_arg("--question-hours"), metavar="H")
    est.add_argument("--control-hours", default="0", type=decimal_arg("--control-hours"), metavar="H")
    est.add_argument("--days", default="0", type=decimal_arg("--days"), metavar="N")
    est.add_argument("--transfer", default="0", type=decimal_arg("--transfer"), metavar="RUB")
    est.add_argument("--lodging", default="0", type=decimal_arg("--lodging"), metavar="RUB")
    est.add_argument("--on", default=None, metavar="YYYY-MM-DD", help=_("date of the tariffs (default today)"))
    est.add_argument("--compare", action="store_true", help=_("also compare the approaches for the same work"))
    est.add_argument("--json", action="store_true")
    est.set_defaults(handler=estimate_cmd)

    log = sub.add_parser("log", help=_("work log: add entries, list them, delete, restore"))
    lsub = log.add_subparsers(dest="log_command", metavar="ACTION", required=True)
    add = lsub.add_parser("add", help=_("log work for a client"))
    add.add_argument("client", type=client_arg)
    add.add_argument("--kind", required=True, metavar="KIND",
                     help=_("kind of entry: conference, questions, control, onsite_day, transfer or lodging"))
    add.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    measure = add.add_mutually_exclusive_group(required=True)
    # read by parse_minutes as the window reads it: full-width «９０» taken as in a date, «³⁰» refused (tester P, 13)
    measure.add_argument("--minutes", metavar="N")
    measure.add_argument("--days", metavar="N", type=decimal_arg("--days"))
    measure.add_argument("--amount", metavar="RUB", type=decimal_arg("--amount"))
    add.add_argument("--note", default="")
    add.add_argument("--stage", default=None, metavar="0-4", type=int_arg("--stage", 0, 4))
    add.set_defaults(handler=log_add)
    lst = lsub.add_parser("list", help=_("show the work log of a client with totals"))
    lst.add_argument("client", type=client_arg)
    lst.add_argument("--from", dest="date_from", default=None, metavar="YYYY-MM-DD")
    lst.add_argument("--to", dest="date_to", default=None, metavar="YYYY-MM-DD")
    lst.add_argument("--kind", action="append", default=None, metavar="KIND")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=log_list)
    for action, help_text in (("delete", _("delete work-log entries (they can be restored)")),
                              ("restore", _("restore deleted work-log entries"))):
        p = lsub.add_parser(action, help=help_text)
        p.add_argument("ids", nargs="+", metavar="ID", type=id_arg(_("Entry number")))
        p.set_defaults(handler=log_delete, restore=action == "restore")

    bil = sub.add_parser("billing", help=_("billing settings: VAT, rounding, hours per day, tariffs"))
    bsub = bil.add_subparsers(dest="billing_command", metavar="ACTION", required=True)
    st = bsub.add_parser("settings", help=_("show or change the billing settings"))
    st.add_argument("--vat", default=None, metavar="RATE|none")
    st.add_argument("--rounding", default=None, metavar="0|15|30|60", type=int_arg("--rounding", 0, 60))
    st.add_argument("--hours-per-day", default=None, metavar="H", type=decimal_arg("--hours-per-day"))
    st.add_argument("--force", action="store_true", help=_("change the rounding of work already billed (with --reason)"))
    st.add_argument("--reason", default="", metavar="TEXT")
    st.add_argument("--json", action="store_true")
    st.set_defaults(handler=billing_settings)
    rate = bsub.add_parser("rate", help=_("add a tariff or USD rate holding from a date"))
    rate.add_argument("kind", metavar="remote_hour|onsite_day|USD")
    rate.add_argument("rate", metavar="RUB", type=decimal_arg(_("Rate")))
    rate.add_argument("--from", dest="valid_from", required=True, metavar="YYYY-MM-DD")
    rate.add_argument("--force", action="store_true", help=_("change a period already billed (with --reason)"))
    rate.add_argument("--reason", default="", metavar="TEXT")
    rate.set_defaults(handler=billing_rate)
    vat = bsub.add_parser("vat", help=_("VAT holding from a date: none (with its legal basis), included, on_top"))
    vat.add_argument("mode", metavar="none|included|on_top")
    vat.add_argument("rate", nargs="?", default=None, metavar="PERCENT")
    vat.add_argument("--from", dest="valid_from", required=True, metavar="YYYY-MM-DD")
    vat.add_argument("--basis", default="", metavar="TEXT",
                     help=_("legal basis of «without VAT», e.g. «п. 2 ст. 346.11 НК РФ»"))
    vat.add_argument("--force", action="store_true", help=_("change a period already billed (with --reason)"))
    vat.add_argument("--reason", default="", metavar="TEXT")
    vat.set_defaults(handler=billing_vat)
    vl = bsub.add_parser("vat-list", help=_("list the dated VAT rules"))
    vl.add_argument("--json", action="store_true")
    vl.set_defaults(handler=billing_vat_list)


def _date(text: str | None, field: str) -> date | None:
    from app.domain.validation import parse_date

    return parse_date(text, field) if text else None


# ------------------------------------------------------------------ handlers

# options each approach prices (the rest would be silently ignored); --compare uses them all
_USED_OPTIONS = {
    "accompanied": (),
    "remote": ("conference_hours", "question_hours", "control_hours"),
    "onsite": ("days", "transfer", "lodging"),
}


def _refuse_unused(approach: str, data) -> None:
    from app.errors import UserError

    unused = [name for name in ("conference_hours", "question_hours", "control_hours", "days", "transfer", "lodging")
              if name not in _USED_OPTIONS.get(approach, ()) and getattr(data, name)]
    if unused:
        options = ", ".join("--" + name.replace("_", "-") for name in unused)
        raise UserError(_("The approach «{approach}» does not use {options}: remove them or choose another "
                          "approach (or add --compare).").format(approach=_(approach_ui(approach)), options=options))


def estimate_cmd(ctx, args) -> int:
    from app.domain.estimate import EstimateInput
    from app.domain.pricing import parse_decimal
    from app.domain.stages import parse_approach
    from app.services.common import today
    from app.services.estimates import pricing_context

    approach = parse_approach(args.approach)
    on = _date(args.on, "--on") or today()
    data = EstimateInput(
        conference_hours=parse_decimal(args.conference_hours, "--conference-hours"),
        question_hours=parse_decimal(args.question_hours, "--question-hours"),
        control_hours=parse_decimal(args.control_hours, "--control-hours"),
        days=parse_decimal(args.days, "--days"),
        transfer=parse_decimal(args.transfer, "--transfer"),
        lodging=parse_decimal(args.lodging, "--lodging"),
    )
    if not args.compare:
        _refuse_unused(approach.value, data)
    context = pricing_context(ctx.db)
    quote = context.quote(approach.value, data, on)
    comparison = context.compare(data, on) if args.compare else None
    if args.json:
        payload = quote.estimate_json()
        if comparison is not None:
            payload["comparison"] = {
                "work_hours": str(comparison.work_hours), "hours_per_day": str(comparison.hours_per_day),
                "cheapest": comparison.cheapest, "saving": str(comparison.saving),
                "options": [{"approach": o.approach, "days": str(o.days), "total": str(o.quote.total)}
                            for o in comparison.options]}
        ctx.out(_json(payload))
        return 0
    for line in quote_text(quote):
        ctx.out(line)
    if comparison is not None:
        ctx.out("")
        ctx.out(_("Comparison of approaches:"))
        for option in comparison.options:
            ctx.out(f"  {_(approach_ui(option.approach))}: {_money(option.quote.total)}")
        for reason in comparison.reasons:
            ctx.out(f"  • {reason}")
    return 0


def approach_ui(code: str) -> str:
    from app.domain.stages import APPROACH_UI, Approach

    return APPROACH_UI[Approach(code)]


def _money(value, currency: str = "RUB") -> str:
    from app.i18n import format_money

    return format_money(value, currency)


def quote_text(quote) -> list[str]:
    """The estimate as Russian (interface-language) text lines, babel-formatted."""
    from app.i18n import format_date, format_number

    lines = [_("Estimate: {approach}").format(approach=_(approach_ui(quote.approach))),
             _("Tariffs as of {date}").format(date=format_date(quote.on, "short"))]
    for line in quote.lines:
        lines.append(f"  {line.ui_label}: {format_number(line.quantity)} {line.ui_unit} × {_money(line.rate)}"
                     f" = {_money(line.amount)}")
    lines.append(_("Total: {total}").format(total=_money(quote.total)))
    lines.append(quote.vat_ui)
    if quote.total_due != quote.total:  # VAT on top: the sum to pay, which the USD figure converts
        lines.append(_("Total with VAT: {total}").format(total=_money(quote.total_due)))
    lines.append(_("In USD: {usd} at {rate} per 1 USD as of {date}").format(
        usd=_money(quote.total_usd, "USD"), rate=_money(quote.usd_rate), date=format_date(quote.usd_date, "short")))
    if quote.usd_stale_days is not None:
        lines.append(_("The USD rate is {days} days older than the estimate's date: give a newer one with «billing "
                       "rate USD RATE --from DATE».").format(days=quote.usd_stale_days))
    return lines


def log_add(ctx, args) -> int:
    from app.domain.pricing import parse_decimal
    from app.domain.validation import parse_date
    from app.services.worklog import EntryInput, add_entry, parse_minutes

    minutes = parse_minutes(args.minutes) if args.minutes is not None else None
    days = parse_decimal(args.days, "--days") if args.days is not None else None
    amount = parse_decimal(args.amount, "--amount") if args.amount is not None else None
    stage = None
    if args.stage is not None:
        from app.domain.stages import parse_stage

        stage = int(parse_stage(args.stage))
    entry = EntryInput(parse_date(args.date, "--date"), args.kind.strip(), minutes, days, amount, args.note, stage)
    entry_id, _changes = add_entry(ctx.db, args.client, entry)
    ctx.out(_saved_text(ctx, entry_id))
    from app.cli.notices import entry_date_notes

    entry_date_notes(ctx, entry_id)
    return 0


def _saved_text(ctx, entry_id: int) -> str:
    """«Запись № 5 сохранена: 02.07.2024, Конференция, 1:30, этап 1 — ООО «Ромашка». «Склад»» — what was
    stored, read back from the database (the number comes first: `log delete` takes it)."""
    from app.domain.pricing import KIND_TITLES_UI
    from app.i18n import format_number
    from app.services.worklog_read import get_entry

    row = get_entry(ctx.db, entry_id)
    if row.minutes is not None:
        value = _duration(row.minutes)
    elif row.days is not None:
        value = f"{format_number(row.days)} {_('day(s)')}"
    else:
        value = _money(row.amount)
    text = _("Entry No. {id} saved: {date}, {kind}, {value}, stage {stage}.").format(
        id=entry_id, date=row.on_date.strftime("%d.%m.%Y"), kind=_(KIND_TITLES_UI[row.kind]), value=value,
        stage=row.stage)
    return f"{text} {quoted(row.note)}" if row.note else text


def _duration(minutes: int | None) -> str:
    from app.domain.timeutil import clock_text

    return clock_text(minutes)


def log_list(ctx, args) -> int:
    from app.domain.pricing import KIND_TITLES_UI
    from app.i18n import format_number
    from app.services.worklog_read import list_entries

    kinds = None
    if args.kind:
        kinds = [k.strip() for value in args.kind for k in value.split(",") if k.strip()]
    log = list_entries(ctx.db, args.client, _date(args.date_from, "--from"), _date(args.date_to, "--to"), kinds)
    if args.json:
        ctx.out(_json(log.as_json()))
        return 0
    lines = []  # all formatted first: a value that fails to format prints nothing rather than half a list
    # the kind column as wide as its longest title: «Контроль данных» (15) overflowed 14 (tester N, item 8)
    kind_width = max((len(_(title)) for title in KIND_TITLES_UI.values()), default=14)
    for r in log.rows:
        if r.minutes is not None:
            value = _duration(r.minutes)
            if r.billed_minutes != r.minutes:
                value += " " + _("(billed {time})").format(time=_duration(r.billed_minutes))
        elif r.days is not None:
            value = f"{format_number(r.days)} {_('day(s)')}"
        else:
            value = _money(r.amount)
        billed = _("billed by {code}").format(code=r.billed_by) if r.billed_by else _("not billed")
        lines.append(f"{r.id:>6}  {r.on_date.strftime('%d.%m.%Y')}  {_(KIND_TITLES_UI[r.kind]):<{kind_width}} {value:<22} "
                     f"{r.stage}  [{billed}]  {r.note}")
    for line in lines:
        ctx.out(line)
    t = log.totals
    if log.free:  # «к оплате 1,02 ч … К оплате: 0,00 ₽» for a free client (tester N, item 8)
        # named as the card, the header and `clients edit` name it, not «… бесплатный» (tester R, item 8)
        free = _(approach_ui("accompanied"))
        ctx.out(_("Entries: {n}; time {raw} h ({minutes} min); days {days}; expenses {expenses}").format(
            n=format_number(t.entries), raw=format_number(t.raw_hours), minutes=format_number(t.raw_minutes),
            days=format_number(t.days), expenses=_money(t.expenses)))
        if log.billed_while_paid and t.money is not None:  # an act in force billed some of it: its money stands
            ctx.out(_("Billed by acts: {total}; the rest is not billed: the approach is «{approach}».").format(
                total=_money(t.money), approach=free))
        else:
            ctx.out(_("Not billed: the approach is «{approach}».").format(approach=free))
        return 0
    ctx.out(_("Entries: {n}; time {raw} h, billed {billed} h ({minutes} min); days {days}; expenses {expenses}").format(
        n=format_number(t.entries), raw=format_number(t.raw_hours), billed=format_number(t.billed_hours), minutes=format_number(t.billed_minutes),
        days=format_number(t.days), expenses=_money(t.expenses)))
    if t.money is not None:
        ctx.out(_("To bill: {total}").format(total=_money(t.money)))
    else:
        ctx.out(log.billing_error)
    return 0


def log_delete(ctx, args) -> int:
    from app.services.worklog import delete_entries, restore_entries

    ids = list(args.ids)  # parsed by app.cli.parse: ASCII digits within SQLite's range
    (restore_entries if args.restore else delete_entries)(ctx.db, ids)
    numbers = ", ".join(str(i) for i in dict.fromkeys(ids))
    # one entry in the singular: «Записи журнала удалены: № 143 (вернуть их …)» for one (tester J #8); not ngettext —
    # its Russian «one» form is also 21's, and these lines name the entries, not a count
    if len(dict.fromkeys(ids)) == 1:
        said = (_("Work-log entry restored: No. {ids}.") if args.restore
                else _("Work-log entry deleted: No. {ids} (log restore brings it back)."))
    else:
        said = (_("Work-log entries restored: No. {ids}.") if args.restore
                else _("Work-log entries deleted: No. {ids} (log restore brings them back)."))
    ctx.out(said.format(ids=numbers))
    return 0


def billing_settings(ctx, args) -> int:
    from app.services import entry_rounding, estimates
    from app.services.billing_settings import UNCHANGED, save_billing_settings

    if args.vat is not None or args.rounding is not None or args.hours_per_day is not None:
        # all checked first, saved in one transaction: a refused value leaves every setting as it was
        save_billing_settings(ctx.db, vat=UNCHANGED if args.vat is None else args.vat, rounding=args.rounding,
                              hours_per_day=args.hours_per_day, force=args.force, reason=args.reason)
    from app.services.tariffs import forced_changes

    vat = estimates.vat_rate(ctx.db)
    rounding = entry_rounding.billing_rounding(ctx.db)
    forced = forced_changes(ctx.db)  # the reasons given for changing billed work (tester N: shown nowhere)
    hpd = estimates.hours_per_day(ctx.db)
    if args.json:
        from app.services.common import today
        from app.services.tariffs import vat_table

        rule = vat_table(ctx.db).on(today())  # the mode and its first day too: «20» was in or on top of prices
        held = vat_held(ctx.db, today())
        ctx.out(_json({"vat_rate": None if vat is None else str(vat), "vat_mode": rule.mode,
                       "vat_from": held[1].isoformat() if held is not None else None,
                       "vat_basis": rule.basis,
                       "rounding_min": rounding, "hours_per_day": str(hpd),
                       "forced_changes": [{"what": f.what, "valid_from": f.valid_from and f.valid_from.isoformat(),
                                           "value": f.value, "reason": f.reason} for f in forced]}))
        return 0
    for line in vat_setting_lines(ctx.db):
        ctx.out(line)
    ctx.out(_("Billing rounding: {rule}").format(rule=rounding_text(rounding)))
    for f in forced:
        ctx.out(_("Changed over billed work: {what} — reason: {reason}").format(what=f.title, reason=quoted(f.reason)))
    ctx.out(_("Hours per on-site day: {hours}").format(hours=f"{hpd.normalize():f}"))
    return 0


def vat_held(db, day):
    """``(rule, since, earlier)``: the VAT rule in force on ``day``, the first day of its unbroken run (the same
    rule — mode, rate and ground — set again later does not start a new one: «none» from 2000 and again from today
    is «none» since 2000), and ``(first day, rule)`` of the different rule before it, or None; None when no rule
    holds by ``day``. The settings' text and their --json name the same first day (they differed, a tester)."""
    from app.services.tariffs import list_vat

    past = sorted(((r.valid_from, r) for r in list_vat(db) if r.valid_from is not None and r.valid_from <= day),
                  key=lambda pair: pair[0])  # (first day, rule), oldest first
    if not past:
        return None
    current = past[-1][1]
    same = len(past) - 1
    while same and past[same - 1][1] == current:
        same -= 1
    if not same:
        return current, past[0][0], None
    before = same - 1  # the run of the rule before, to its own first day
    while before and past[before - 1][1] == past[same - 1][1]:
        before -= 1
    return current, past[same][0], (past[before][0], past[same - 1][1])


def _rule_text(rule) -> str:
    """A rule as the settings say it: its mode and rate, and the ground of «none» (two grounds are two rules)."""
    return vat_rule_text(rule.mode, rule.rate, rule.basis)


def vat_setting_lines(db) -> list[str]:
    """The VAT rule in force today, with the day it holds from, and — when work before that day is under another
    rule — that rule and how to change it for those days too. An undated setting applies from today once VAT was
    set (issue 10: a change to 22 % leaves December at 20 %); the settings said only «НДС: Без НДС» while the March
    act printed «В том числе НДС 20 %» of the rule before (a fresh tester, 2026-12-05)."""
    from app.services.common import today

    held = vat_held(db, today())
    if held is None:
        return [_("VAT: not set — documents say «Без налога (НДС)»")]
    current, since, earlier = held
    rule = _rule_text(current)
    lines = [_("{rule}, from {day}").format(rule=rule[:1].upper() + rule[1:], day=since.strftime("%d.%m.%Y"))]
    if earlier is not None:
        before_since, before = earlier
        # «{rule}, from {since}» as the line above says it («(УСН)) (с 01.01.2026)» read badly, tester H)
        lines.append(_("Work before {day}: {rule}, from {since}; to change VAT for those days too: "
                       "«billing vat MODE [PERCENT] --from DATE» (an act in force keeps its VAT).").format(
            day=since.strftime("%d.%m.%Y"), rule=_rule_text(before),
            since=before_since.strftime("%d.%m.%Y")))
    return lines


def rounding_text(step: int) -> str:
    if not step:
        return _("none per entry; a line states the minutes billed at the price of one minute (hourly tariff / 60)")
    return _("up to {n} min per entry; a line states the minutes billed at the price of one minute "
             "(hourly tariff / 60)").format(n=step)


def billing_rate(ctx, args) -> int:
    from app.services.tariffs import set_exchange_rate, set_tariff

    valid_from = _date(args.valid_from, "--from")
    assert valid_from is not None
    if args.kind.upper() == "USD":
        set_exchange_rate(ctx.db, args.rate, valid_from)
        what = _("USD exchange rate")
    else:
        set_tariff(ctx.db, args.kind, args.rate, valid_from, force=args.force, reason=args.reason)
        what = _("remote hourly tariff") if args.kind == "remote_hour" else _("on-site daily tariff")
    ctx.out(rate_set_text(what, valid_from, args.rate))
    return 0


def rate_set_text(what: str, valid_from, rate: str) -> str:
    """«Часовой тариф удалённых конференций с 01.01.2030: 1 599,60 ₽.» — what ``billing rate`` set (``rate`` as
    typed, already accepted by the service)."""
    from app.domain.money import parse_decimal
    from app.i18n import format_money

    return _("{what} from {date}: {rate}.").format(what=what[:1].upper() + what[1:],
                                                   date=valid_from.strftime("%d.%m.%Y"),
                                                   rate=format_money(parse_decimal(rate, _("Rate"))))


def billing_vat(ctx, args) -> int:
    from app.services.tariffs import parse_vat_mode, set_vat

    valid_from = _date(args.valid_from, "--from")
    assert valid_from is not None
    set_vat(ctx.db, args.mode, args.rate, valid_from, basis=args.basis, force=args.force, reason=args.reason)
    ctx.out(_("VAT from {date}: {vat}.").format(date=valid_from.strftime("%d.%m.%Y"),
                                                vat=vat_mode_text(args.mode, args.rate)))
    if parse_vat_mode(args.mode) == "none":  # what the documents will say, so that a missing ground is seen now
        basis = vat_ground(args.basis)  # as saved: «(освобождение).» said «(освобождение)..»
        if basis:
            ctx.out(_("Documents will say: «НДС не облагается на основании {basis}.»").format(basis=basis))
        else:
            ctx.out(_("Documents will say: «НДС не облагается.» with no legal basis; give it with --basis, e.g. "
                      "«п. 2 ст. 346.11 НК РФ» for the simplified system (УСН)."))
    return 0


def billing_vat_list(ctx, args) -> int:
    from app.services.tariffs import list_vat

    rules = list_vat(ctx.db)
    if args.json:
        ctx.out(_json([{"valid_from": r.valid_from.isoformat() if r.valid_from else None, "mode": r.mode,
                        "rate": None if r.rate is None else str(r.rate), "basis": r.basis} for r in rules]))
        return 0
    if not rules:
        ctx.out(_("No VAT set: documents say «Без налога (НДС)»."))
    for r in rules:
        when = r.valid_from.strftime("%d.%m.%Y") if r.valid_from else ""
        ctx.out(f"{when}  {vat_mode_text(r.mode, r.rate)}  {r.basis}".rstrip())
    return 0
