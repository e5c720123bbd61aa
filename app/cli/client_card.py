"""`clients show` and `clients edit`: one client's card on the command line, read and corrected field by field.

The «clients» command is made by app/cli/cmd_clients.py, which adds these two actions with :func:`add_to`
(this module is not a ``cmd_*`` module: those each make commands of their own, and the discovery's alphabetical
order would run this one before the «clients» command exists)."""

from __future__ import annotations

import json
from datetime import date

from app.domain.quotes import in_quotes
from app.i18n import N_, _
from app.services.card_changes import EMPTY as _EMPTY
from app.services.card_changes import LABELS, shown

# option of `clients edit` -> field of the card (argparse's dest is the field's name)
OPTIONS = {
    "--name": "name", "--inn": "inn", "--kpp": "kpp", "--approach": "approach", "--contract-no": "contract_no",
    "--contract-date": "contract_date", "--program-version": "program_version", "--manager": "manager",
    "--address": "address", "--city": "city", "--signer-name": "signer_name",
    "--signer-position": "signer_position", "--notes": "notes",
}


def add_to(csub) -> None:
    """Add «show» and «edit» to the «clients» command's subparsers ``csub``."""
    from app.cli.parse import client_arg

    show = csub.add_parser("show", help=_("show a client's card: requisites, contract, stage, contacts, employees"))
    show.add_argument("client", type=client_arg)
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=clients_show)
    edit = csub.add_parser(
        "edit", help=_("correct a client's card: only the options given change; an empty value (--kpp \"\") "
                       "clears an optional field"))
    edit.add_argument("client", type=client_arg)
    for option in OPTIONS:  # None: not given, kept as stored; descriptions: app/cli/help_texts.py
        metavar = "YYYY-MM-DD" if option == "--contract-date" else (
            "accompanied|remote|onsite" if option == "--approach" else None)
        edit.add_argument(option, default=None, metavar=metavar)
    edit.set_defaults(handler=clients_edit)


def _person_json(person, *, department: bool) -> dict:
    data = {"uuid": person.uuid, "name": person.name, "position": person.position, "phone": person.phone,
            "email": person.email}
    if department:
        data["department"] = person.department
    return data


def _person_line(person, *, department: bool) -> str:
    from app.domain.printable import printable

    parts = [person.name, person.position, *([person.department] if department else []), person.phone,
             person.email]
    return "  " + printable(", ".join(p for p in parts if p))


def card_json(details) -> dict:
    """The card for scripts: the fields by their names (codes, ISO dates, null for no date), the stage, people."""
    from app.services.progress import stage_title

    data = details.data
    card: dict = {"id": details.id, "uuid": details.uuid}
    for field in LABELS:
        value = getattr(data, field)
        card[field] = value.isoformat() if isinstance(value, date) else value
    card.update({
        "stage": details.stage, "stage_title": stage_title(details.stage),
        "stage_since": details.stage_since.isoformat(timespec="seconds"),
        "contacts": [_person_json(p, department=False) for p in data.contacts],
        "employees": [_person_json(p, department=True) for p in data.employees],
    })
    return card


def card_lines(details) -> list[str]:
    """The card as lines of text: «Label: value» for each field, the stage, then contacts and employees."""
    from app.services.progress import stage_title

    data = details.data
    lines = [_("Client No. {id}").format(id=details.id)]
    lines += [f"{_(label)}: {shown(field, getattr(data, field))}" for field, label in LABELS.items()]
    lines.append(_("Stage: {n} «{title}», since {date}").format(
        n=details.stage, title=in_quotes(stage_title(details.stage)), date=details.stage_since.strftime("%d.%m.%Y")))
    for title, people, department in ((N_("Contacts"), data.contacts, False),
                                      (N_("Employees"), data.employees, True)):
        lines.append(f"{_(title)}: {_EMPTY}" if not people else f"{_(title)}:")
        lines += [_person_line(p, department=department) for p in people]
    return lines


def clients_show(ctx, args) -> int:
    """``clients show CLIENT [--json]``: the client's card."""
    from app.services.clients import get_client

    details = get_client(ctx.db, args.client)
    if args.json:
        ctx.out(json.dumps(card_json(details), ensure_ascii=False, indent=2))
        return 0
    for line in card_lines(details):
        ctx.out(line)
    return 0


def clients_edit(ctx, args) -> int:
    """``clients edit CLIENT --FIELD VALUE…``: change the fields given, keep everything else; say what changed."""
    from app.domain.validation import parse_date
    from app.errors import UserError
    from app.services.clients import edit_client

    fields: dict[str, str | date | None] = {}
    for option, field in OPTIONS.items():
        value = getattr(args, field)
        if value is None:
            continue
        if field == "contract_date":  # as `clients add` reads it; empty: no date
            value = parse_date(value, option) if value.strip() else None
        fields[field] = value
    if not fields:
        raise UserError(_("Name at least one field to change, e.g. --kpp or --contract-no (see «clients edit "
                          "--help»)."))
    result = edit_client(ctx.db, args.client, fields)
    if not result.changed:
        ctx.out(_("Nothing changed: the card already has these values."))
        return 0
    for change in result.changed:
        ctx.out(f"{_(LABELS[change.field])}: {shown(change.field, change.old)} → {shown(change.field, change.new)}")
    return 0
