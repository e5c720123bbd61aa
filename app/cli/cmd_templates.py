"""Commands for the editable templates: `template checklist list|add|rename|delete|order` (tariffs: `billing rate`)."""

from __future__ import annotations

import json

from app.domain.quotes import in_quotes
from app.i18n import _


def register(sub) -> None:
    tpl = sub.add_parser("template", help=_("editable templates: the stage checklist"))
    tsub = tpl.add_subparsers(dest="template_what", metavar="WHAT", required=True)
    chk = tsub.add_parser("checklist", help=_("the stage checklist template"))
    csub = chk.add_subparsers(dest="checklist_action", metavar="ACTION", required=True)
    lst = csub.add_parser("list", help=_("list the items by stage"))
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=checklist_list)
    add = csub.add_parser("add", help=_("add an item to a stage"))
    add.add_argument("stage", metavar="1-3")  # help: app/cli/help_texts.py (the service refuses 0 and 4)
    add.add_argument("--title", required=True)
    add.add_argument("--code", default=None, metavar="sN.name")
    add.set_defaults(handler=checklist_add)
    ren = csub.add_parser("rename", help=_("give an item new wording (ticks and issued documents stay)"))
    ren.add_argument("code", metavar="CODE")
    ren.add_argument("--title", required=True)
    ren.set_defaults(handler=checklist_rename)
    rm = csub.add_parser("delete", help=_("delete an item added to the template that no client has ticked"))
    rm.add_argument("code", metavar="CODE")
    rm.set_defaults(handler=checklist_delete)
    order = csub.add_parser("order", help=_("put a stage's items in the given order"))
    order.add_argument("stage", metavar="1-3")
    order.add_argument("codes", nargs="+", metavar="CODE")
    order.set_defaults(handler=checklist_order)


def checklist_list(ctx, args) -> int:
    from app.services.templates import checklist_template

    items = checklist_template(ctx.db)
    if args.json:
        ctx.out(json.dumps([{"code": i.code, "stage": i.stage, "position": i.position, "title": i.title,
                             "requires": i.requires} for i in items], ensure_ascii=False, indent=2))
        return 0
    for i in items:
        ctx.out(f"{i.stage}\t{i.code}\t{i.title}" + (f"\t← {i.requires}" if i.requires else ""))
    return 0


def checklist_add(ctx, args) -> int:
    from app.services.templates import add_checklist_item

    code, _changes = add_checklist_item(ctx.db, args.stage, args.title, args.code)
    ctx.out(code)
    return 0


def checklist_rename(ctx, args) -> int:
    from app.services.templates import rename_checklist_item

    rename_checklist_item(ctx.db, args.code, args.title)
    ctx.out(_("{code}: «{title}».").format(code=args.code.strip(), title=in_quotes(args.title.strip())))
    return 0


def checklist_delete(ctx, args) -> int:
    from app.services.templates import delete_checklist_item

    delete_checklist_item(ctx.db, args.code)
    ctx.out(_("Deleted: {code}").format(code=args.code.strip()))
    return 0


def checklist_order(ctx, args) -> int:
    from app.services.templates import reorder_checklist

    reorder_checklist(ctx.db, args.stage, args.codes)
    ctx.out(_("Stage {stage} items in order: {codes}.").format(stage=str(args.stage).strip(),
                                                               codes=", ".join(c.strip() for c in args.codes)))
    return 0
