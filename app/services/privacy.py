"""Erase one client's personal data on request: contacts and staff anonymised, documents register kept."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.persistence.db import Database
from app.persistence.models import Contact, Employee, utcnow
from app.persistence.tracking import record_tombstones
from app.services.changes import Changes
from app.services.common import find_client

# Stored data, printed in Russian documents: the same words whatever the UI language (not gettext).
ERASED_CONTACT = "Контакт {n} (удалён)"
ERASED_EMPLOYEE = "Сотрудник {n} (удалён)"


@dataclass(frozen=True)
class ErasedPersonalData:
    client_id: int
    client_name: str
    contacts: int
    employees: int
    signer: bool


PERSONAL_FIELDS = ("name", "position", "phone", "email", "department", "signer_name")
SCRUBBED = "(удалено)"


def _scrub_copies(s, uuids: list[str]) -> None:
    """Blank the erased values where the team bookkeeping keeps copies of them (issue 17): the audit trail's old
    and new values, the sync base a laptop merges against, and recorded sync conflicts. Everything else in
    those rows (who, when, which field) stays, so the history still says that a change happened."""
    import json

    from sqlalchemy import or_, update

    from app.persistence.models import AuditEntry, SyncBase, SyncConflict

    s.execute(update(AuditEntry).where(AuditEntry.record_uuid.in_(uuids), AuditEntry.field.in_(PERSONAL_FIELDS))
              .values(old_value=SCRUBBED, new_value=SCRUBBED))
    # inserts and deletes keep a summary of the whole record (a person's name among it)
    s.execute(update(AuditEntry).where(AuditEntry.record_uuid.in_(uuids), AuditEntry.field == "",
                                       AuditEntry.table_name.in_(("contact", "employee")))
              .values(old_value=SCRUBBED, new_value=SCRUBBED))
    # the sync bases of those trail lines (a laptop keeps one when a synced line is first changed here)
    lines = select(AuditEntry.uuid).where(AuditEntry.record_uuid.in_(uuids), or_(
        AuditEntry.field.in_(PERSONAL_FIELDS),
        (AuditEntry.field == "") & AuditEntry.table_name.in_(("contact", "employee"))))
    for base in s.scalars(select(SyncBase).where(SyncBase.table_name == "audit_log", SyncBase.record_uuid.in_(lines))):
        try:
            data = json.loads(base.data)
        except ValueError:
            continue
        data.update({name: SCRUBBED for name in ("old_value", "new_value") if data.get(name)})
        base.data = json.dumps(data, ensure_ascii=False)
    s.execute(update(SyncConflict).where(SyncConflict.record_uuid.in_(uuids),
                                         SyncConflict.field.in_(PERSONAL_FIELDS))
              .values(local_value=SCRUBBED, server_value=SCRUBBED))
    for base in s.scalars(select(SyncBase).where(SyncBase.record_uuid.in_(uuids))):
        try:
            data = json.loads(base.data)
        except ValueError:
            continue
        data.update({name: SCRUBBED for name in PERSONAL_FIELDS if data.get(name)})
        base.data = json.dumps(data, ensure_ascii=False)


def erase_personal_data(db: Database, ref: int | str) -> tuple[ErasedPersonalData, Changes]:
    """Blank names, positions, phones and e-mails of the client's contacts and staff and its signer.

    Rows are anonymised in place rather than deleted: they keep their UUIDs (lesson progress per employee
    keeps counting) and get erase tombstones, so merging an older export later — even one from a laptop
    whose clock ran ahead — cannot bring the erased data back. Work log, stage history and the documents
    register stay as they are.
    """
    with db.unit() as s:
        client = find_client(s, ref)
        now = utcnow()
        contacts = list(s.scalars(select(Contact).where(Contact.client_id == client.id).order_by(Contact.id)))
        employees = list(s.scalars(select(Employee).where(Employee.client_id == client.id).order_by(Employee.id)))
        for n, contact in enumerate(contacts, start=1):
            contact.name = ERASED_CONTACT.format(n=n)
            contact.position = contact.phone = contact.email = ""
            contact.updated_at = now
        for n, employee in enumerate(employees, start=1):
            employee.name = ERASED_EMPLOYEE.format(n=n)
            employee.position = employee.phone = employee.email = employee.department = ""
            employee.updated_at = now
        signer = bool(client.signer_name)
        client.signer_name = ""
        client.updated_at = now
        # erase tombstones: no bundle made before this moment brings these people (or the signer) back
        erased = ([(c.uuid, "contact") for c in contacts] + [(e.uuid, "employee") for e in employees]
                  + [(client.uuid, "client")])
        s.flush()
        record_tombstones(s.connection(), erased, "erase", max(now, client.updated_at), client.uuid)
        # and the people removed from the card before (someone who left): their removal's audit line keeps the
        # name, which the plan and the questions show (app/services/staff.py ``staff_names``)
        from app.persistence.models import AuditEntry

        departed = set(s.scalars(select(AuditEntry.record_uuid).where(
            AuditEntry.client_uuid == client.uuid, AuditEntry.table_name.in_(("contact", "employee")))))
        _scrub_copies(s, sorted({uuid for uuid, _table in erased} | departed))
        result = ErasedPersonalData(client_id=client.id, client_name=client.name, contacts=len(contacts),
                                    employees=len(employees), signer=signer)
    # secure_delete (on for every connection) zeroed the old cells; the checkpoint moves the pages into the
    # database file and empties the write-ahead log, which still held earlier versions of those pages.
    db.checkpoint()
    if db.sqlite_path is not None:  # the list's rows kept for the next start hold the contacts too
        from app.persistence.first_screen_cache import forget

        forget(db.sqlite_path)
    return result, Changes(clients=True, client_ids=frozenset({result.client_id}))
