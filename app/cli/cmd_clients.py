"""Commands for clients, checklists, stages, lessons and demo data."""

from __future__ import annotations

import argparse
import json

from app.cli.parse import client_arg
from app.domain.printable import printable
from app.domain.quotes import in_quotes
from app.domain.validation import parse_date
from app.i18n import _, format_number


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def _date_arg(text: str):
    from app.errors import UserError

    try:
        return parse_date(text, "--date")
    except UserError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def register(sub) -> None:
    clients = sub.add_parser("clients", help=_("clients: add, list, show, edit, import, delete"))
    csub = clients.add_subparsers(dest="clients_command", metavar="ACTION", required=True)
    add = csub.add_parser("add", help=_("add a client"))
    add.add_argument("--name", required=True)
    add.add_argument("--inn", required=True)
    add.add_argument("--approach", required=True, metavar="accompanied|remote|onsite")
    add.add_argument("--kpp", default="")
    add.add_argument("--contract-no", default="")
    add.add_argument("--contract-date", default=None, metavar="YYYY-MM-DD")
    add.add_argument("--program-version", default="")
    add.add_argument("--manager", default="")
    add.set_defaults(handler=clients_add)
    lst = csub.add_parser("list", help=_("list clients"))
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=clients_list)
    imp = csub.add_parser("import", help=_("import clients from a CSV file (Excel, any usual separator)"))
    imp.add_argument("file")
    imp.add_argument("--update", action="store_true",
                     help=_("update the clients already in the database (same INN) from the file's cells that hold "
                            "something: an empty cell or a column the file lacks keeps the stored value (clear a "
                            "field with «clients edit»); contacts are matched by name, added, never deleted"))
    imp.set_defaults(handler=clients_import)
    rm = csub.add_parser("delete", help=_("delete a client with everything it holds (contacts, checklist, work log, "
                                          "documents); asks nothing"))
    rm.add_argument("client", type=client_arg)
    rm.set_defaults(handler=clients_delete)
    from app.cli.client_card import add_to

    add_to(csub)  # show, edit

    chk = sub.add_parser("checklist", help=_("stage checklist of a client"))
    ksub = chk.add_subparsers(dest="checklist_command", metavar="ACTION", required=True)
    show = ksub.add_parser("show", help=_("show the checklist"))
    show.add_argument("client", type=client_arg)
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=checklist_show)
    for action, done in (("done", True), ("undo", False)):
        p = ksub.add_parser(action, help=_("mark items done") if done else _("mark items not done"))
        p.add_argument("client", type=client_arg)
        p.add_argument("codes", nargs="+", metavar="CODE")
        if done:
            p.add_argument("--date", type=_date_arg, default=None)
        p.set_defaults(handler=checklist_set, done=done)

    stage = sub.add_parser("stage", help=_("move a client between stages"))
    ssub = stage.add_subparsers(dest="stage_command", metavar="ACTION", required=True)
    adv = ssub.add_parser("advance", help=_("move to the next stage"))
    adv.add_argument("client", type=client_arg)
    adv.add_argument("--force", action="store_true")
    adv.add_argument("--reason", default="")
    adv.set_defaults(handler=stage_advance)
    bk = ssub.add_parser("back", help=_("move back to the previous stage"))
    bk.add_argument("client", type=client_arg)
    bk.add_argument("--reason", required=True)
    bk.set_defaults(handler=stage_back)
    hist = ssub.add_parser("history", help=_("show the stage history"))
    hist.add_argument("client", type=client_arg)
    hist.add_argument("--json", action="store_true")
    hist.set_defaults(handler=stage_history)

    les = sub.add_parser("lessons", help=_("lesson progress of a client"))
    lsub = les.add_subparsers(dest="lessons_command", metavar="ACTION", required=True)
    lshow = lsub.add_parser("show", help=_("show lessons"))
    lshow.add_argument("client", type=client_arg)
    lshow.add_argument("--employee", default=None)
    lshow.add_argument("--json", action="store_true")
    lshow.set_defaults(handler=lessons_show)
    for action, done in (("done", True), ("undo", False)):
        p = lsub.add_parser(action, help=_("mark lessons watched") if done else _("mark lessons not watched"))
        p.add_argument("client", type=client_arg)
        p.add_argument("codes", nargs="+", metavar="CODE")
        p.add_argument("--employee", default=None)
        if done:
            p.add_argument("--date", type=_date_arg, default=None)
        p.set_defaults(handler=lessons_set, done=done)

    demo = sub.add_parser("demo", help=_("create the demo database (a file of its own; with --db: fill that "
                                         "empty database and mark it as a demo)"))
    demo.set_defaults(handler=demo_fill)


# ------------------------------------------------------------------ handlers


def clients_add(ctx, args) -> int:
    from app.services.client_input import ClientInput
    from app.services.clients import add_client

    contract_date = parse_date(args.contract_date, "--contract-date") if args.contract_date else None
    client_id = add_client(ctx.db, ClientInput(
        name=args.name, inn=args.inn, approach=args.approach, kpp=args.kpp, contract_no=args.contract_no,
        contract_date=contract_date, program_version=args.program_version, manager=args.manager))
    ctx.out(str(client_id))
    return 0


def clients_list(ctx, args) -> int:
    from app.services.client_list import list_clients

    rows = list_clients(ctx.db)
    if args.json:
        ctx.out(_json([r.as_json() for r in rows]))
        return 0
    if not rows:
        ctx.out(_("No clients yet. Add one with «clients add» or try «demo»."))
    from app.domain.stages import APPROACH_UI, Approach

    for r in rows:  # the approach by name in the interface language; --json keeps the codes
        ctx.out(f"{r.id:>5}  {r.inn:<12}  {r.stage}  {_(APPROACH_UI[Approach(r.approach)]):<26}  {printable(r.name)}")
    return 0


def clients_delete(ctx, args) -> int:
    """``clients delete CLIENT``: what the window's «Удалить заказчика» does, refused as it refuses (a client with
    issued documents on a team laptop of a member who is not its administrator: app/team/rights.py)."""
    from app.services.clients import delete_client, get_client

    name = get_client(ctx.db, args.client).data.name
    delete_client(ctx.db, args.client)
    ctx.out(_("Client «{name}» deleted with its records.").format(name=in_quotes(printable(name))))
    return 0


def clients_import(ctx, args) -> int:
    """``clients import FILE [--update]``: the counts added and updated, what changed in the clients updated (the first
    20 in full, app/cli/client_card.py ``update_lines``), or that nothing changed; the computed columns passed over."""
    from app.services.card_changes import update_lines
    from app.services.import_columns import skipped_line
    from app.services.importing import import_clients

    result = import_clients(ctx.db, args.file, update=args.update)
    ctx.out(_("Imported clients: {n}.").format(n=format_number(len(result.added))))
    if args.update:
        ctx.out(_("Updated clients: {n}.").format(n=format_number(len(result.updated))))
        for line in update_lines(result.updates):
            ctx.out(line)
    if not result.added and not result.updated:
        ctx.out(_("Nothing changed: the clients already have the file's values."))
    if result.skipped:  # the clients workbook's computed columns (stage, progress …): said, never passed over silently
        ctx.out(skipped_line(result.skipped))
    return 0


def checklist_show(ctx, args) -> int:
    from app.services.progress import checklist

    items = checklist(ctx.db, args.client)
    if args.json:
        ctx.out(_json([i.as_json() for i in items]))
        return 0
    for i in items:
        mark = "[x]" if i.done else "[ ]"
        when = i.done_on.strftime("%d.%m.%Y") if i.done_on else ""
        ctx.out(f"{i.stage}  {mark} {i.code:<16} {i.title}  {when}")
    return 0


def checklist_set(ctx, args) -> int:
    from app.services.progress import checklist, set_checklist

    on = getattr(args, "date", None)
    was_done = {item.code: item.done for item in checklist(ctx.db, args.client)}
    set_checklist(ctx.db, args.client, args.codes, args.done, on=on)
    _said_marks(ctx, list(dict.fromkeys(args.codes)), was_done, args.done, on is not None, (
        _("Checklist items marked done: {codes}."), _("Checklist items marked not done: {codes}."),
        _("Already marked done: {codes}."), _("Not marked done, nothing to undo: {codes}.")))
    if args.done and on is not None:
        from app.cli.notices import marks_before_contract

        marks_before_contract(ctx, args.client, list(dict.fromkeys(args.codes)), on, lessons=False)
    return 0


def _said_marks(ctx, codes: list[str], was_done: dict[str, bool], done: bool, dated: bool,
                texts: tuple[str, str, str, str]) -> None:
    """What a tick or untick changed, and what it did not: `lessons undo` of a lesson never ticked said «Сняты
    отметки … L05» (tester N, item 8). ``texts``: marked, unmarked, already marked, not marked."""
    marked, unmarked, already, not_marked = texts
    if done:  # a dated tick of a ticked item re-dates it: a change
        changed = [c for c in codes if not was_done.get(c) or dated]
    else:
        changed = [c for c in codes if was_done.get(c)]
    same = [c for c in codes if c not in changed]
    if changed:
        ctx.out((marked if done else unmarked).format(codes=", ".join(changed)))
    if same:
        ctx.out((already if done else not_marked).format(codes=", ".join(same)))


def stage_advance(ctx, args) -> int:
    from app.services.progress import advance, stage_title

    _changes, target = advance(ctx.db, args.client, force=args.force, reason=args.reason)
    ctx.out(_("Stage {n}: {title}").format(n=target, title=stage_title(target)))
    return 0


def stage_back(ctx, args) -> int:
    from app.services.progress import back, stage_title

    _changes, target = back(ctx.db, args.client, reason=args.reason)
    ctx.out(_("Stage {n}: {title}").format(n=target, title=stage_title(target)))
    return 0


def stage_history(ctx, args) -> int:
    from app.services.clients import get_client

    details = get_client(ctx.db, args.client)
    rows = [{"at": e.at.isoformat(timespec="seconds"), "from": e.from_stage, "to": e.to_stage,
             "who": e.who, "who_name": e.shown_who(), "reason": e.reason, "forced": e.forced}
            for e in details.history]
    if args.json:
        ctx.out(_json(rows))
    elif not rows:  # a sentence, not an empty screen (the trial 17e)
        ctx.out(_("The client has not moved between stages yet."))
    else:
        for e, r in zip(details.history, rows, strict=True):  # the moment as people read it (--json: ISO)
            ctx.out(f"{e.at.strftime('%d.%m.%Y %H:%M')}  {r['from']} → {r['to']}  {printable(str(r['who_name']))}  "
                    f"{printable(str(r['reason']))}")
    return 0


def lessons_show(ctx, args) -> int:
    from app.services.progress import lessons

    items = lessons(ctx.db, args.client, employee=args.employee)
    if args.json:
        ctx.out(_json([i.as_json() for i in items]))
        return 0
    for i in items:
        mark = "[x]" if i.done else "[ ]"
        # a title that starts with its section («Схема запуска…: путь заказа») is not preceded by it again
        title = i.title if i.title.startswith(i.section) else f"{i.section}: {i.title}"
        ctx.out(f"{i.number:>3} {mark} {i.code:<6} {title}")
    return 0


def lessons_set(ctx, args) -> int:
    from app.services.progress import lessons, set_lessons

    on = getattr(args, "date", None)
    was_done = {item.code: item.done for item in lessons(ctx.db, args.client, employee=args.employee)}
    set_lessons(ctx.db, args.client, args.codes, args.done, employee=args.employee, on=on)
    _said_marks(ctx, list(dict.fromkeys(args.codes)), was_done, args.done, on is not None, (
        _("Lessons marked watched: {codes}."), _("Lessons marked not watched: {codes}."),
        _("Already marked watched: {codes}."), _("Not marked watched, nothing to undo: {codes}.")))
    if args.done and on is not None:  # as `log add` says it of work (tester Q, round 13)
        from app.cli.notices import marks_before_contract

        marks_before_contract(ctx, args.client, list(dict.fromkeys(args.codes)), on, lessons=True)
    return 0


def demo_fill(ctx, args) -> int:
    """`demo`: never into the real database. Without --db/--database-url (and the environment variable)
    the demo goes into its own file, demo.sqlite3 in the data folder, and the command says how to open it;
    with an explicit database it fills that one only when it is empty, and marks it as a demo."""
    import os

    from app.config import ENV_URL
    from app.services.demo import fill_demo

    if not (ctx.db_path or ctx.database_url or os.environ.get(ENV_URL)):
        from app.services.demo_workspace import prepare_demo_database

        path = prepare_demo_database()
        ctx.out(_("The demo has a database of its own: {path}\nOpen it with «vnedrenie --db {path}» (the window: "
                  "File → Open the demo). Your own database was not changed.").format(path=path))
        return 0
    count, _changes = fill_demo(ctx.db)
    from app.services.demo_week import fill_demo_week

    fill_demo_week(ctx.db)  # planned events and questions, so that the week's plan can be tried too
    ctx.out(_("Demo clients created: {n}. This database is now marked as a demo: its documents say "
              "«ДЕМО».").format(n=count))
    return 0


