"""A clients' CSV row applied to the client already here (``update``): only the cells that hold something."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.normalize import fold
from app.persistence.models import Client, Contact
from app.services.client_input import PersonInput
from app.services.clients import FieldChange
from app.services.import_rows import ImportRow


@dataclass(frozen=True)
class ContactChange:
    """One change an update made to a client's contacts: ``field`` None when the contact ``contact`` was added, else
    «position», «phone» or «email» of that contact with the stored values before and after."""

    contact: str
    field: str | None
    old: str = ""
    new: str = ""


@dataclass(frozen=True)
class ClientUpdate:
    """What an update changed in one client already here: its name (as stored now), the fields of its card and its
    contacts (never empty together: a client the file does not change is not an update)."""

    client_id: int
    name: str
    fields: list[FieldChange]
    contacts: list[ContactChange]

    @property
    def count(self) -> int:
        """The number of values changed (fields and contacts' cells, a contact added counting one)."""
        return len(self.fields) + len(self.contacts)


_CARD_FIELDS = ("name", "kpp", "approach", "contract_no", "contract_date", "program_version", "manager",
                "city", "address", "notes")


def _update(client: Client, row: ImportRow) -> ClientUpdate | None:
    """Apply the file's row to the client already here; what changed, or None when nothing did.

    Only the file's columns, and of them only the cells that hold something: an empty cell keeps the stored value
    (people update from spreadsheets with gaps; «clients edit --notes ""» clears a field). The row's contact updates
    the stored contact of the same name (case, ё and spaces aside; a row naming no contact: the one of its phone
    or e-mail) with its non-empty cells, or is added; other
    contacts and the employees are left as stored, and nothing is deleted."""
    fields: list[FieldChange] = []
    for name in _CARD_FIELDS:
        new = getattr(row.data, name)
        if name not in row.columns or new is None or new == "":
            continue
        old = getattr(client, name)
        if new != old:
            fields.append(FieldChange(name, old, new))
            setattr(client, name, new)
    contacts: list[ContactChange] = []
    for person in row.data.contacts:  # no contact name in the row: the contact of its phone or e-mail, if any
        name = person.name or client.name  # a contact without a name of its own is named after the client
        same = None if row.contact_named else _same_reach(client.contacts, person)
        same = same or next((c for c in client.contacts if fold(c.name) == fold(name)), None)
        if same is None:
            client.contacts.append(Contact(name=name, position=person.position, phone=person.phone,
                                           email=person.email))
            contacts.append(ContactChange(name, None))
            continue
        for attr in ("position", "phone", "email"):
            new, old = getattr(person, attr), getattr(same, attr)
            if new and new != old:
                contacts.append(ContactChange(same.name, attr, old, new))
                setattr(same, attr, new)
    if not fields and not contacts:
        return None
    return ClientUpdate(client.id, client.name, fields, contacts)


def _same_reach(contacts: list[Contact], person: PersonInput) -> Contact | None:
    """The stored contact with the phone or the e-mail of a row that names no contact (both stored normalised)."""
    return next((c for c in contacts if (person.phone and c.phone == person.phone)
                 or (person.email and c.email == person.email)), None)
