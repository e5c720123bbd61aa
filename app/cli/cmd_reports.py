"""Commands for documents: `report` (issue a PDF), `report acts` (a month's acts), `documents`, `executor`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.cli.parse import ascii_digits_arg, client_arg, int_arg, output_with_suffix
from app.domain.printable import printable
from app.errors import UserError
from app.i18n import _
from app.services.files import file_target


def _kinds():
    from app.services.documents.kinds import REGISTRY

    return REGISTRY




def _date_arg(text: str):
    from app.domain.validation import parse_date

    try:
        return parse_date(text, _("date"))
    except UserError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def register(sub) -> None:
    report = sub.add_parser("report", help=_("issue a document as PDF (signoff, estimate, act, progress)"))
    rsub = report.add_subparsers(dest="report_kind", metavar="KIND", required=True)
    for kind, spec in _kinds().items():
        p = rsub.add_parser(kind, help=_(spec.help_ui))
        p.add_argument("client", metavar="CLIENT", type=client_arg, help=_("client number or INN"))
        # every kind takes the same options (DESIGN.md); a document refuses the ones that do not apply to it
        p.add_argument("--stage", type=int_arg("--stage", -999, 999), default=None, metavar="N")
        p.add_argument("--from", dest="date_from", type=_date_arg, default=None, metavar="YYYY-MM-DD")
        p.add_argument("--to", dest="date_to", type=_date_arg, default=None, metavar="YYYY-MM-DD")
        p.add_argument("--date", type=_date_arg, default=None, metavar="YYYY-MM-DD",
                       help=_("date of the document (default: today)"))
        p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
        p.add_argument("--force", action="store_true", help=_("replace the output file if it exists"))
        p.add_argument("--new", action="store_true",
                       help=_("issue a new number even when the same document is already in the register "
                              "(an act never bills work twice)"))
        p.add_argument("--with-remarks", action="store_true",
                       help=_("sign off a stage with open items (with --reason): «принят с замечаниями»"))
        p.add_argument("--reason", default=None, metavar="TEXT", help=_("why the stage is accepted with open items"))
        p.set_defaults(handler=report_one, kind=kind)
    acts = rsub.add_parser("acts", help=_("acts of services of one month for every client with billable work"))
    acts.add_argument("--month", required=True, metavar="YYYY-MM")
    acts.add_argument("-d", "--dir", required=True, metavar="FOLDER")
    acts.add_argument("--date", type=_date_arg, default=None, metavar="YYYY-MM-DD",
                      help=_("date of the acts (default: today)"))
    acts.add_argument("--new", action="store_true",
                      help=_("issue new numbers even for acts already in the register"))
    acts.set_defaults(handler=report_acts)

    docs = sub.add_parser("documents", help=_("register of issued documents"))
    dsub = docs.add_subparsers(dest="documents_command", metavar="ACTION", required=True)
    lst = dsub.add_parser("list", help=_("list issued documents"))
    lst.add_argument("--client", default=None, metavar="CLIENT", type=client_arg)
    lst.add_argument("--kind", choices=tuple(_kinds()), default=None)
    lst.add_argument("--year", type=int_arg("--year", 1990, 2100), default=None)
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=documents_list)
    prt = dsub.add_parser("print", help=_("print a registered document again (same number and content)"))
    prt.add_argument("number", metavar="NUMBER", type=ascii_digits_arg("NUMBER"))
    prt.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    prt.add_argument("--force", action="store_true", help=_("replace the output file if it exists"))
    prt.set_defaults(handler=documents_print)
    ret = dsub.add_parser("returned", help=_("record the day the signed copy came back"))
    ret.add_argument("number", metavar="NUMBER", type=ascii_digits_arg("NUMBER"))
    when = ret.add_mutually_exclusive_group(required=True)
    when.add_argument("--date", type=_date_arg, metavar="YYYY-MM-DD")
    when.add_argument("--clear", action="store_true", help=_("remove the mark"))
    ret.set_defaults(handler=documents_returned)
    void = dsub.add_parser("void", help=_("void a document: its number is kept, marked «аннулирован»; an act's "
                                          "work becomes billable again"))
    void.add_argument("number", metavar="CODE")
    void.add_argument("--reason", required=True, metavar="TEXT")
    void.set_defaults(handler=documents_void)

    exe = sub.add_parser("executor", help=_("executor's details used in every document"))
    esub = exe.add_subparsers(dest="executor_command", metavar="ACTION", required=True)
    show = esub.add_parser("show", help=_("show the executor's details"))
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=executor_show)
    st = esub.add_parser("set", help=_("change the executor's details"))
    for name in EXECUTOR_OPTIONS:
        st.add_argument(f"--{name.replace('_', '-')}", default=None)
    st.add_argument("--poa-date", type=_date_arg, default=None, metavar="YYYY-MM-DD",
                    help=_("date of the signer's power of attorney"))
    st.add_argument("--vat", default=None, metavar="RATE|none", help=_("VAT rate in percent, or «none»"))
    st.set_defaults(handler=executor_set)


EXECUTOR_OPTIONS = ("company", "inn", "kpp", "ogrn", "address", "bank_details", "city", "specialist_name",
                    "specialist_position", "signer_name", "signer_position", "poa_number", "bank_account",
                    "bank_name", "bank_bik", "bank_corr")


# ------------------------------------------------------------------ files


_pdf_target = file_target  # writes the PDF inside the registering transaction (app/services/files.py)


# ------------------------------------------------------------------ handlers


def report_one(ctx, args) -> int:
    import sys

    from app.reports import printing
    from app.services import documents as docs

    target = output_with_suffix(args.output, ".pdf")  # before anything is read or numbered
    draft = docs.prepare(ctx.db, args.kind, args.client, stage=args.stage, date_from=args.date_from,
                         date_to=args.date_to, on=args.date, force=args.with_remarks, reason=args.reason)
    with _pdf_target(target, force=args.force) as write:
        issued = printing.issue(ctx.db, draft, before_commit=write, new=args.new)
    if issued.reprinted:
        ctx.out(docs.already_issued_message(issued.code))
    elif draft.notices:  # e.g. a stale USD rate left off the estimate
        print("\n".join(draft.notices), file=sys.stderr)
    ctx.out(_("{title} No. {code}: {path}").format(title=_(docs.kind_of(args.kind).title_ui), code=issued.code,
                                                  path=args.output))
    return 0


def report_acts(ctx, args) -> int:
    """`report acts`: the month's acts for every client with billable work (app.reports.batch, the same
    batch the window runs), one line per client as it happens, then the counts; status 2 when a client was
    skipped."""
    import sys

    from app.reports.batch import BILLED, ISSUED, SKIPPED, issue_month_acts

    def said(line) -> None:
        prefix = f"[{line.index}/{line.total}]"
        if line.outcome == ISSUED:
            ctx.out(f"{prefix} {line.code}  {line.client_name}  →  {line.path}")
        elif line.outcome == BILLED:
            ctx.out(f"{prefix} {line.client_name}: " + _("already billed by {codes}").format(codes=", ".join(line.codes)))
        else:  # the refusal as `report act` prints it: the values it names, the way out, the command
            print("\n".join([f"{prefix} {line.client_name}: {_('skipped')} — {line.reason}", *line.details,
                             *([line.cli_hint] if line.cli_hint else [])]), file=sys.stderr)

    batch = issue_month_acts(ctx.db, args.month, Path(args.dir), on=args.date, new=args.new, on_line=said)
    if not batch.total:
        ctx.out(_("No billable work is logged from {start} to {end}: no acts issued.").format(
            start=batch.start.strftime("%d.%m.%Y"), end=batch.end.strftime("%d.%m.%Y")))
        return 0
    ctx.out(batch.summary())
    # a skipped client's work is not billed: status 2, so that a script does not take the month for done (the acts
    # issued stay issued)
    return 2 if batch.count(SKIPPED) else 0


def documents_list(ctx, args) -> int:
    from app.i18n import format_amount
    from app.services import documents as docs

    client_id = None
    if args.client:
        from app.services.clients import get_client

        client_id = get_client(ctx.db, args.client).id
    rows = docs.list_documents(ctx.db, client_id=client_id, kind=args.kind, year=args.year)
    if args.json:
        ctx.out(json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        ctx.out(_("The register is empty."))
    for r in rows:
        total = format_amount(r.total) if r.total is not None else ""
        # a voided act, an estimate or a progress report is not coming back signed: nothing said of a signed copy
        returned = (_("signed copy returned {date}").format(date=r.signed_returned_on.strftime("%d.%m.%Y"))
                    if r.signed_returned_on else _("signed copy not returned") if r.awaits_signed_copy else "")
        status = ("  · " + _("voided: {reason}").format(reason=printable(r.void_reason))  # its lines as « / »
                  if r.voided else "")
        ctx.out(f"{r.code:<12} {r.issued_on:%d.%m.%Y}  {r.kind_title:<34} {total:>14}  {r.client_name}"
                f"{'  · ' + returned if returned else ''}{status}")
    return 0


def documents_print(ctx, args) -> int:
    from app.reports import printing

    target = output_with_suffix(args.output, ".pdf")
    row, pdf = printing.reprint(ctx.db, args.number)
    with _pdf_target(target, force=args.force) as write:
        write(pdf)
    line = _("{title} No. {code}: {path}").format(title=row.kind_title, code=row.code, path=args.output)
    if row.voided:  # the reprint carries the mark; say so here too
        line += " (" + _("voided {date}").format(date=f"{row.voided_on:%d.%m.%Y}") + ")"
    ctx.out(line)
    return 0


def documents_returned(ctx, args) -> int:
    from app.services import documents as docs

    docs.set_signed_returned(ctx.db, args.number, None if args.clear else args.date)
    code = docs.find_document(ctx.db, args.number).code
    if args.clear:
        ctx.out(_("{code}: the mark of the returned signed copy is removed.").format(code=code))
    else:
        ctx.out(_("{code}: signed copy returned on {date}.").format(code=code, date=args.date.strftime("%d.%m.%Y")))
    return 0


def documents_void(ctx, args) -> int:
    from app.services import documents as docs

    docs.void_document(ctx.db, args.number, args.reason)
    row = docs.find_document(ctx.db, args.number)
    ctx.out(_("{code} is voided («аннулирован»): {reason}").format(code=row.code, reason=printable(row.void_reason)))
    return 0


def executor_show(ctx, args) -> int:
    from app.services import documents as docs

    details = docs.get_executor(ctx.db)
    data = {name: getattr(details, name) for name in docs.EXECUTOR_LABELS}
    data["vat_rate"] = None if details.vat_rate is None else str(details.vat_rate)
    data["poa_date"] = details.poa_date.isoformat() if details.poa_date else None
    if args.json:
        ctx.out(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    for name, label in docs.EXECUTOR_LABELS.items():
        value = data[name]
        if name == "vat_rate":
            value = _("no VAT") if value is None else f"{value} %"
        elif value is None:  # not filled in: nothing, never «None»
            value = ""
        elif name == "poa_date" and details.poa_date is not None:
            value = details.poa_date.strftime("%d.%m.%Y")
        ctx.out(f"{_(label)}: {value}")
    missing = docs.missing_executor_fields(details)
    if missing:
        ctx.out(_("Documents cannot be printed until these are filled in: {fields}.").format(fields=", ".join(missing)))
    return 0


def executor_set(ctx, args) -> int:
    from app.services import documents as docs

    changes: dict = {}
    for name in EXECUTOR_OPTIONS:
        value = getattr(args, name)
        if value is not None:
            changes[name] = value
    if args.poa_date is not None:
        changes["poa_date"] = args.poa_date
    if args.vat is not None:
        changes["vat_rate"] = docs.parse_vat_rate(args.vat)
    if not changes:
        raise UserError(_("Name at least one field to change, e.g. --company or --inn."))
    docs.update_executor(ctx.db, **changes)
    ctx.out(_("Executor details saved."))
    return 0
