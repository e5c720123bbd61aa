"""What changed in a client's card, said as `clients edit` says it: the fields' names and «old → new» lines.

Shared by the command line (`clients edit`, `clients import --update`) and the window's CSV import report."""

from __future__ import annotations

from datetime import date

from app.domain.printable import printable
from app.domain.quotes import in_quotes
from app.i18n import N_, _

# the card's fields as the window's card names them, in its order (app.services.client_input.CARD_FIELDS)
LABELS = {
    "name": N_("Name"), "inn": N_("INN"), "kpp": N_("KPP"), "approach": N_("Approach"),
    "contract_no": N_("Contract No."), "contract_date": N_("Contract date"),
    "program_version": N_("Program version"), "manager": N_("Manager"), "address": N_("Address"),
    "city": N_("City"), "signer_name": N_("Signer"), "signer_position": N_("Signer position"), "notes": N_("Notes"),
}
EMPTY = "—"
# a contact's cells an import may change (app.services.import_update.ContactChange.field)
CONTACT_LABELS = {"position": N_("Position"), "phone": N_("Phone"), "email": N_("E-mail")}
UPDATES_SHOWN = 20  # clients whose changes `clients import --update` lists; the rest are counted


def shown(field: str, value: str | date | None) -> str:
    """A stored value of the card as the command line and the window's import report show it: «—» for an empty
    one, a date as ДД.ММ.ГГГГ, the approach by its name in the interface language, text on one line
    (``printable``)."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if field == "approach":
        from app.domain.stages import APPROACH_UI, Approach

        try:
            return _(APPROACH_UI[Approach(value)])
        except ValueError:  # a code another program wrote: as stored
            return printable(value)
    return printable(value)


def update_lines(updates, limit: int = UPDATES_SHOWN) -> list[str]:
    """What `clients import --update` changed (``ImportResult.updates``), as `clients edit` says it: for each of the
    first ``limit`` clients its name, number and count of changes, then one line per change («Примечание: первый →
    второй», a contact added or its cell changed); the clients beyond ``limit`` are counted, not listed (5 000 rows
    must not flood the terminal)."""
    from app.i18n import format_number, ngettext

    lines = []
    for update in updates[:limit]:
        lines.append(ngettext("«{name}» (No. {id}): {n} change", "«{name}» (No. {id}): {n} changes", update.count)
                     .format(name=in_quotes(printable(update.name)), id=update.client_id, n=format_number(update.count)))
        lines += [f"  {_(LABELS[c.field])}: {shown(c.field, c.old)} → {shown(c.field, c.new)}" for c in update.fields]
        for change in update.contacts:
            if change.field is None:
                lines.append("  " + _("Contact «{name}»: added").format(name=in_quotes(printable(change.contact))))
            else:
                lines.append("  " + _("Contact «{name}», {field}: {old} → {new}").format(
                    name=in_quotes(printable(change.contact)), field=_(CONTACT_LABELS[change.field]),
                    old=shown(change.field, change.old), new=shown(change.field, change.new)))
    rest = len(updates) - limit
    if rest > 0:
        lines.append(ngettext("… and {n} more client updated", "… and {n} more clients updated", rest)
                     .format(n=format_number(rest)))
    return lines
