"""Commands that hand data to other programs: `export-xlsx clients|worklog|register|plan`, `export-ics`."""

from __future__ import annotations

from app.cli.parse import int_arg, output_with_suffix
from app.i18n import _
from app.services.files import write_file


def register(sub) -> None:
    x = sub.add_parser("export-xlsx", help=_("export a list to an Excel workbook"))
    xsub = x.add_subparsers(dest="xlsx_what", metavar="WHAT", required=True)
    clients = xsub.add_parser("clients", help=_("the client list (optionally filtered)"))
    clients.add_argument("--stage", type=int_arg("--stage", 0, 4), default=None, metavar="0-4")
    clients.add_argument("--approach", default=None, metavar="accompanied|remote|onsite")
    clients.add_argument("--search", default="", metavar="TEXT")
    clients.set_defaults(handler=export_clients)
    log = xsub.add_parser("worklog", help=_("a client's work log for a period"))
    log.add_argument("client", metavar="CLIENT")
    log.add_argument("--from", dest="date_from", default=None, metavar="YYYY-MM-DD")
    log.add_argument("--to", dest="date_to", default=None, metavar="YYYY-MM-DD")
    log.set_defaults(handler=export_worklog)
    reg = xsub.add_parser("register", help=_("the register of issued documents"))
    reg.add_argument("--client", default=None, metavar="CLIENT")
    reg.add_argument("--kind", choices=("signoff", "estimate", "act", "progress"), default=None)
    reg.add_argument("--year", type=int_arg("--year", 1990, 2100), default=None)
    reg.set_defaults(handler=export_register)
    pl = xsub.add_parser("plan", help=_("planned events"))
    pl.add_argument("--client", default=None, metavar="CLIENT")
    pl.add_argument("--status", choices=("planned", "done", "cancelled"), default=None)
    pl.add_argument("--from", dest="date_from", default=None, metavar="YYYY-MM-DD",
                    help=_("events starting on this day or later, by this computer's clock, as «plan list» takes the "
                           "period (the workbook's «Начало» is the client's time)"))
    pl.add_argument("--to", dest="date_to", default=None, metavar="YYYY-MM-DD",
                    help=_("events starting on this day or earlier, by this computer's clock"))
    pl.set_defaults(handler=export_plan)
    for p in (clients, log, reg, pl):
        p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
        p.add_argument("--force", action="store_true", help=_("replace the output file if it exists"))

    ics = sub.add_parser("export-ics", help=_("export the plan as a calendar (.ics) for one client or all"))
    ics.add_argument("client", nargs="?", default=None, metavar="CLIENT")
    ics.add_argument("-o", "--output", required=True, metavar="FILE.ics")
    ics.add_argument("--force", action="store_true", help=_("replace the output file if it exists"))
    ics.set_defaults(handler=export_ics)


def _date(text: str | None, field: str):
    from app.domain.validation import parse_date

    return parse_date(text, field) if text else None


def export_clients(ctx, args) -> int:
    from app.services.xlsx_export import ClientFilter, clients_xlsx

    target = output_with_suffix(args.output, ".xlsx")
    write_file(target, clients_xlsx(ctx.db, ClientFilter(args.stage, args.approach, args.search)), overwrite=args.force)
    ctx.out(_("Saved: {path}").format(path=target))
    return 0


def export_worklog(ctx, args) -> int:
    from app.services.xlsx_export import worklog_xlsx

    target = output_with_suffix(args.output, ".xlsx")
    write_file(target, worklog_xlsx(ctx.db, args.client, _date(args.date_from, _("from")),
                                    _date(args.date_to, _("to"))), overwrite=args.force)
    ctx.out(_("Saved: {path}").format(path=target))
    return 0


def export_register(ctx, args) -> int:
    from app.services.xlsx_export import register_xlsx

    target = output_with_suffix(args.output, ".xlsx")
    write_file(target, register_xlsx(ctx.db, args.client, args.kind, args.year), overwrite=args.force)
    ctx.out(_("Saved: {path}").format(path=target))
    return 0


def export_plan(ctx, args) -> int:
    from app.services.xlsx_export import plan_xlsx

    target = output_with_suffix(args.output, ".xlsx")
    write_file(target, plan_xlsx(ctx.db, args.client, status=args.status, date_from=_date(args.date_from, _("from")),
                                 date_to=_date(args.date_to, _("to"))), overwrite=args.force)
    ctx.out(_("Saved: {path}").format(path=target))
    return 0


def export_ics(ctx, args) -> int:
    from app.services.ics_export import calendar_bytes

    target = output_with_suffix(args.output, ".ics")
    write_file(target, calendar_bytes(ctx.db, args.client), overwrite=args.force)
    ctx.out(_("Saved: {path}").format(path=target))
    return 0
