"""The audit trail of a local edit that lost a conflict: it never leaves the lost value as a field's last word.

The same field changed here and on the server (or in a bundle's file): the sync keeps the server's value by the
stated default (``field`` conflicts, kept 'server'; app/sync/merge.py), a bundle the side its order says (kept
'file'), and a billed entry's figure stays what its act billed (``billed_edit``, kept 'server' or 'file'). The
line «Карточка · город … → Настоящее» written by the edit then describes a value the record no longer holds.

As for a deletion the sync undid (app/team/restored.py): a line that never left this computer (``row_version``
0) is dropped; one the team's server already has — or, after such a drop, when the line before it says another
value than the one kept (a bundle brings its value without a line) — is answered by a line of action ``kept_s``
(by a sync) or ``kept_f`` (by a bundle's import), from the value the lost edit wrote to the value kept, which «История изменений» titles as
«оставлено значение сервера (см. конфликты)» / «оставлено значение из файла (см. конфликты)».

The rule is read from the state: only a field whose newest line's new value differs from what the record
holds gets anything, so running it twice writes nothing more."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from app.persistence.models import AuditEntry, Base, utcnow
from app.persistence.types import new_uuid

KEPT_SERVER = "kept_s"  # a sync kept the server's value over this computer's (app/team/audit.py ACTION_TITLES)
KEPT_FILE = "kept_f"  # a bundle's import kept the file's value
KINDS = ("field", "billed_edit")  # conflicts in which one side's value of a field was kept over the other's
LOSING = ("server", "file")  # ``kept`` when this computer's value lost
SOFT_DELETE = "deleted"  # a soft deletion's conflict is app/team/restored.py's


def candidates(rows: Iterable[Mapping[str, Any]]) -> list[tuple[str, str, str, str]]:
    """(table, record UUID, field, client UUID) of the conflicts among ``rows`` (mappings with table_name,
    record_uuid, client_uuid, kind, field, kept) in which this computer's value of a field lost, each once."""
    out: dict[tuple[str, str, str, str], None] = {}
    for row in rows:
        if row["kind"] in KINDS and row["kept"] in LOSING and row["field"] and row["field"] != SOFT_DELETE:
            out[(str(row["table_name"]), str(row["record_uuid"]), str(row["field"]),
                 str(row["client_uuid"] or ""))] = None
    return list(out)


def settle(conn: Connection, records: Iterable[tuple[str, str, str, str]], author: str, *,
           action: str = KEPT_SERVER) -> int:
    """For each (table, UUID, field, client UUID) whose record is here and whose newest line about the field
    says a value the record does not hold: drop that line if it never reached a server, else write a line of
    ``action`` by ``author`` now, from that value to the record's. In the caller's transaction; returns the
    number of lines written (the caller sends them)."""
    from app.team.hooks import _text
    from app.team.restored import NEWEST, drop_unsent

    written = 0
    for name, uuid, field, client_uuid in records:
        t = Base.metadata.tables.get(name)
        if t is None or "uuid" not in t.c or field not in t.c:
            continue
        row = conn.execute(select(t.c[field]).where(t.c.uuid == uuid).limit(1)).first()
        if row is None:
            continue
        now_value = _text(row[0])
        where = [AuditEntry.table_name == name, AuditEntry.record_uuid == uuid, AuditEntry.field == field]
        if client_uuid:  # the trail's index by client
            where.append(AuditEntry.client_uuid == client_uuid)
        newest = select(AuditEntry.uuid, AuditEntry.row_version, AuditEntry.old_value, AuditEntry.new_value,
                        AuditEntry.client_uuid).where(*where).order_by(*NEWEST).limit(1)
        line = conn.execute(newest).first()
        if line is None or line.new_value == now_value:
            continue
        # said «from»: the value this computer's edit wrote, which the kept one replaced here (tester L, item 11:
        # «— → Заметка B» when the lost edit had written «Заметка A»)
        before, line_client = line.new_value, line.client_uuid
        if not line.row_version:  # never left this computer: the edit it describes did not hold
            drop_unsent(conn, [line.uuid])
            # the line before it already says the value kept (the server's, pulled with its line): the trail ends
            # on it with the edit's line gone, nothing more to say
            earlier = conn.execute(newest).first()
            if earlier is not None and earlier.new_value == now_value:
                continue
        conn.execute(insert(AuditEntry).values(
            uuid=new_uuid(), at=utcnow(), author=author, client_uuid=line_client, table_name=name,
            record_uuid=uuid, action=action, field=field, old_value=before, new_value=now_value))
        written += 1
    return written


__all__ = ["KEPT_FILE", "KEPT_SERVER", "candidates", "settle"]
