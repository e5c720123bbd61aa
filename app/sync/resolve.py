"""Closing a sync conflict by the user's choice (`sync resolve N --keep local|server`, the conflicts dialog), and
the double billings that close themselves once one of their acts is voided.

What each kind of conflict (app/sync/merge.py, app/sync/push_record.py, app/sync/laptop_apply.py,
app/exchange/versioned.py) lets the user do:
- a field (``field``): either value; the other one is written into the record (a tick's or a lesson's whole
  group: done, day, who) and goes to the server at the next sync;
- a billed entry's figure (``billed_edit``): the act's figure stays; the other one only once the entry is no
  longer billed (its act voided), else the choice is refused with what to do;
- the same work billed by two acts (``double_billing``): no value to keep — one act must be voided, and the
  conflict then closes itself (:func:`settle_double_billings`); choosing a side is refused with that sentence;
- a whole record (``delete_edit``, ``edit_delete``, ``orphan``): the side the sync kept closes it; the other
  side is refused with what to do (delete the record again as usual), never a silent «closed»;
- a change made outside the program to an issued document or billed work, refused by the server
  (``kept_by_server``, app/sync/push_record.py): the server's record is back here; only «--keep server» closes it.

A refusal names the way out as the caller offers it (``surface``, app/sync/ways.py): the conflicts dialog's
buttons and the window's menus, or the command's options."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import inspect, select, update
from sqlalchemy.orm import Session

from app.errors import UserError
from app.i18n import _
from app.persistence.db import Database
from app.persistence.models import Base, Client, Document, SyncConflict, WorkLogEntry
from app.services.changes import Changes
from app.sync.engine import KEPT_BY_SERVER, NOT_YOURS
from app.sync.merge import BILLED_EDIT, DOUBLE_BILLING, field_value
from app.sync.refused import INN_TAKEN, NUMBER_TWICE, OTHERS_CLIENT, OTHERS_INN
from app.sync.rows import FOREIGN, from_json, table
from app.sync.team_data import REFUSED
from app.sync.ways import WINDOW, Surface, keep_way, void_way

# which views a conflict's record belongs to (resolve_conflict's Changes)
_TABLE_CHANGES = {
    "client": "clients", "contact": "clients", "employee": "clients", "checklist_state": "checklist",
    "lesson_progress": "lessons", "work_log": "worklog", "estimate": "estimates", "document": "documents",
    "planned_event": "plan", "question": "questions",
}
WHOLE_RECORD = frozenset({"delete_edit", "edit_delete", "orphan", NOT_YOURS, OTHERS_CLIENT, OTHERS_INN, NUMBER_TWICE})
# groups whose «done» chosen back needs a day (a conflict recorded before the group's values were kept)
TICKS = frozenset({"checklist_state", "lesson_progress"})


def resolve_conflict(db: Database, conflict_id: int, *, keep: str, strict: bool = False,
                     surface: Surface = WINDOW) -> Changes:
    """Close conflict ``conflict_id`` keeping ``keep`` ('local': this laptop's value; 'server': the server's or
    a bundle file's). Keeping the value the merge kept (``row.kept``: 'server' | 'local', a bundle's 'file' |
    'here') leaves the data as they are; keeping the other one writes it into the record (sent at the next
    sync). Returns what changed (nothing but the conflict list when the data stay as they are).

    Raises UserError (nothing changed, the conflict stays open) for an unknown id or choice, for a double
    billing (void one of the acts: the conflict closes itself), for a billed figure while its act still bills
    the entry, for the side of a whole-record conflict the sync did not keep, and for this laptop's side of a
    team-wide change the server refused (only the administrator makes it). 'file' | 'here' are accepted for a
    bundle's conflict only (UserError for a server's); with ``strict`` (the CLI) 'server' is refused for a
    bundle's conflict (issue 17: «--keep file» on a server's conflict used to say «закрыт»). A refusal says what to
    do in the words of ``surface``: the dialog's buttons and the menus (the window), or the options (the CLI); the
    'file' | 'here' refusals are the command line's only (the dialog offers 'local' | 'server')."""
    if keep not in ("server", "local", "file", "here"):
        raise UserError(_("Choose which value to keep: server or local."))
    with db.unit() as s:
        row = s.get(SyncConflict, conflict_id)
        if row is None or row.resolved:
            raise UserError(_("There is no open conflict number {id}.").format(id=conflict_id))
        from_bundle = row.kept in ("file", "here")
        if keep == "file" and not from_bundle:  # «here» is this laptop's side of any conflict: «local»
            raise UserError(_("Conflict {id} came from the team server, not from a bundle file: keep the server's "
                              "value («--keep server») or this laptop's («--keep local»).").format(id=conflict_id))
        if strict and keep == "server" and from_bundle:
            raise UserError(_("Conflict {id} came from a bundle file, not from the team server: keep the file's "
                              "value («--keep file») or this laptop's («--keep here»).").format(id=conflict_id))
        keep = {"file": "server", "here": "local"}.get(keep, keep)
        kept = "server" if row.kept in ("server", "file") else "local"  # a bundle's: 'file' | 'here'
        changes = Changes()
        if row.kind == DOUBLE_BILLING:
            if not _settled(s, row):
                raise double_billing_refusal(row, surface)
        elif keep == kept:
            pass  # the value in effect stays
        elif row.kind == INN_TAKEN:  # the server keeps one client per INN: this one's INN on the server is back
            raise UserError(_("The team server already has another member's client with the INN typed here, and "
                              "keeps one client per INN: the server's INN is in effect again; close this conflict "
                              "{keep}.").format(keep=keep_way("server", surface)))
        elif row.kind in (REFUSED, KEPT_BY_SERVER):  # the server's value is back; only an administrator changes it
            raise UserError(_("Only the team's administrator changes this: the server's value is in effect again; "
                              "close this conflict {keep}.").format(keep=keep_way("server", surface)))
        elif row.kind == NOT_YOURS and keep == "server" and row.table_name == "client":
            # handed to someone else: letting it go drops this laptop's copy and what was unsent of it
            from app.sync.handover import let_go

            _refuse_unsent_documents(s, row.record_uuid, surface)
            let_go(s.connection(), row.record_uuid)
            changes = Changes(clients=True, client_ids=frozenset())
        elif row.kind in WHOLE_RECORD:
            raise _whole_record_refusal(row, kept, surface)
        elif row.kind in ("field", BILLED_EDIT) and row.field:
            if row.kind == BILLED_EDIT:
                _check_unbilled(s, row, surface)
            _check_in_effect(s, row, kept, surface)
            changes = _write(s, row, row.local_value if keep == "local" else row.server_value)
        row.resolved = True
    return changes


def unsent_documents(s: Session, client_uuid: str) -> list[str]:
    """The printed numbers («АУ-62/2026») of the documents issued on this laptop for the client that have not
    reached the team server: never there (row version 0: a refused push leaves the outbox), or changed since and
    queued. Oldest first."""
    from app.persistence.models import SyncOutbox
    from app.services.documents.register import document_code

    queued = select(SyncOutbox.record_uuid).where(SyncOutbox.table_name == "document")
    rows = s.execute(select(Document.kind, Document.number, Document.year, Document.series)
                     .join(Client, Client.id == Document.client_id)
                     .where(Client.uuid == client_uuid, (Document.row_version == 0) | Document.uuid.in_(queued))
                     .order_by(Document.year, Document.number)).all()
    return [document_code(r.kind, r.number, r.year, r.series or "") for r in rows]


def _refuse_unsent_documents(s: Session, client_uuid: str, surface: Surface) -> None:
    """Refuse (UserError naming them) to let a handed-over client go while documents issued here for it have not
    reached the server: letting go would delete printed acts no one else holds, and their work could be billed
    again by the new specialist (the trial 17i, finding 2). An issued document is never deleted (docs/sync.md)."""
    found = unsent_documents(s, client_uuid)
    if found:
        codes = ", ".join(found)
        raise UserError(_("Documents issued on this laptop for this client have not reached the team server: {codes}. "
                          "They are not deleted: ask the manager to hand the client back to you, sync so that they "
                          "are sent, then it can be handed over again; or keep the client here {keep}.").format(
            codes=codes, keep=keep_way("local", surface)))


def _write(s: Session, row: SyncConflict, chosen: str | None) -> Changes:
    """Write the chosen recorded value (JSON text: the field's value, or a tick's whole group) into the record,
    through its mapped object: the choice is an ordinary change by the person resolving — the session hook
    (app/team/hooks.py) stamps ``updated_by`` and writes the audit lines (sent at the next sync), so «История
    изменений» ends on the value in effect, never on the «оставлено значение сервера» line of the value lost."""
    t = table(row.table_name)
    decoded = json.loads(chosen) if chosen is not None else None
    wanted = decoded if isinstance(decoded, dict) else {row.field: decoded}
    values: dict[str, object] = {}
    for field, value in wanted.items():
        if field in t.c:
            values[field] = from_json(t.c[field], value)
            continue
        column = next((c for c, (_parent, key) in FOREIGN.items() if key == field and c in t.c), None)
        if column is None:
            continue  # not a column of this laptop's table: nothing of it to write
        values[column] = None if value is None else _parent_id(s, FOREIGN[column][0], str(value))
    if not isinstance(decoded, dict) and row.table_name in TICKS and row.field == "done":
        values.update(_tick_day(s, t, row.record_uuid, bool(values.get("done"))))
    if values:
        record = s.scalar(select(_mapped(row.table_name)).where(t.c.uuid == row.record_uuid))
        if record is not None:
            mapper = inspect(record).mapper
            for column, value in values.items():
                setattr(record, mapper.get_property_by_column(t.c[column]).key, value)
            s.flush()
    client_id = s.scalar(select(Client.id).where(Client.uuid == row.client_uuid)) if row.client_uuid else None
    flag = _TABLE_CHANGES.get(row.table_name)
    return Changes(**({flag: True} if flag else {"all_figures": True}),
                   client_ids=frozenset({client_id}) if client_id is not None else frozenset())


def _check_in_effect(s: Session, row: SyncConflict, kept: str, surface: Surface) -> None:
    """The field still holds the value the conflict says is in effect (UserError otherwise, nothing written).

    A later change of the field answers its conflict — an edit here closes it (app/sync/answered.py), a later file
    that changes it too — but a change no edit hook sees (a sync's pull, a command's statement) leaves it open,
    naming the old value; writing the other value then overwrote the later one unseen (tester M, item 3). Values
    that cannot be read back are not compared (the choice goes ahead as before)."""
    t = table(row.table_name)

    def typed(recorded: str | None) -> dict[str, object]:
        decoded = json.loads(recorded) if recorded is not None else None
        wanted = decoded if isinstance(decoded, dict) else {row.field: decoded}
        return {field: from_json(t.c[field], value) for field, value in wanted.items() if field in t.c}

    try:
        in_effect = typed(row.server_value if kept == "server" else row.local_value)
        chosen = typed(row.local_value if kept == "server" else row.server_value)
    except (ValueError, TypeError, KeyError):
        return
    if not in_effect:
        return
    current = s.execute(select(*(t.c[field] for field in in_effect)).where(t.c.uuid == row.record_uuid)).first()
    if current is None:
        return
    empty = (None, "")
    for (field, value), now in zip(in_effect.items(), current, strict=True):
        if any(v == now or (v in empty and now in empty) for v in (value, chosen.get(field, value))):
            continue  # the value in effect, or already the one chosen (writing it changes nothing)
        shown = now.strftime("%d.%m.%Y") if isinstance(now, date) else "" if now is None else str(now)
        raise UserError(_("The field was changed here after this conflict: it now holds «{value}», which neither "
                          "side of the conflict names, and choosing would overwrite it. Close this conflict "
                          "{keep}; to change the value, edit it as usual.").format(
            value=shown or "—",
            keep=keep_way(kept if row.kept in ("server", "local") else "file" if kept == "server" else "here",
                          surface)))


def _mapped(name: str) -> type:
    """The mapped class of the synced table ``name``."""
    return next(m.class_ for m in Base.registry.mappers if m.local_table is table(name))


def _parent_id(s: Session, parent: str, uuid: str) -> int:
    """The id here of the record a chosen reference points to; UserError when it is not on this laptop."""
    t = table(parent)
    found = s.scalar(select(t.c.id).where(t.c.uuid == uuid))
    if found is None:
        raise UserError(_("The record this value points to is not on this laptop: sync first, then choose again."))
    return int(found)


def _tick_day(s: Session, t, uuid: str, done: bool) -> dict:
    """A tick chosen back from a conflict recorded with the field alone keeps a day (today when it had none);
    an untick has none."""
    if not done:
        return {"done_on": None}
    from app.services.common import today

    day = s.scalar(select(t.c.done_on).where(t.c.uuid == uuid))
    return {} if day is not None else {"done_on": today()}


def _check_unbilled(s: Session, row: SyncConflict, surface: Surface) -> None:
    """A billed figure stays as its act printed it while the act bills the entry (UserError naming the act)."""
    from app.services.documents.register import document_code

    if row.table_name != "work_log":
        return
    act = s.execute(select(Document.kind, Document.number, Document.year, Document.series)
                    .join(WorkLogEntry, WorkLogEntry.billed_by_document_id == Document.id)
                    .where(WorkLogEntry.uuid == row.record_uuid)).first()
    if act is not None:
        code = document_code(act.kind, act.number, act.year, act.series or "")
        raise UserError(_("The entry is billed by act {code}, which printed this figure: to change it, void the act "
                          "first ({void}), then choose again.").format(code=code, void=void_way(code, surface)))


def _whole_record_refusal(row: SyncConflict, kept: str, surface: Surface) -> UserError:
    file = row.kept in ("file", "here")
    way = keep_way("local" if kept == "local" else "file" if file else "server", surface)
    if row.kind == "delete_edit":  # deleted on the other side, edited here: the record stayed with the edit
        return UserError(_("The record deleted on the other side was kept with the changes made here, and a "
                           "choice cannot delete it: delete it here as usual if it should go (the deletion is sent "
                           "at the next sync), and close this conflict {keep}.").format(keep=way))
    if row.kind == "edit_delete":  # deleted here, edited on the other side: the record came back with the edit
        return UserError(_("The record deleted here was changed on the other side and came back with that change, "
                           "and a choice cannot delete it again: delete it here as usual if it should go, and close "
                           "this conflict {keep}.").format(keep=way))
    if row.kind == OTHERS_INN:
        return UserError(_("The client stays on this laptop only: the team server has another member's client with "
                           "its INN; close this conflict {keep}.").format(keep=keep_way("local", surface)))
    return UserError(_("The record stays on this laptop only: its client is not on the server (deleted there or "
                       "assigned to someone else); close this conflict {keep}.").format(keep=way))


# ------------------------------------------------------------------ double billing


def double_billing_refusal(row: SyncConflict, surface: Surface = WINDOW) -> UserError:
    """What to do about the same work billed by two acts: void the act that came second (the one not kept), where
    ``surface`` offers it."""
    here, other = (json.loads(v) if v is not None else "" for v in (row.local_value, row.server_value))
    keeper, loser = (here, other) if row.kept in ("local", "here") else (other, here)
    return UserError(_("The same work is billed by two acts, {kept} and {other}, and keeping a value cannot undo "
                       "that: void act {other} ({void}); the conflict then closes itself.").format(
        kept=keeper or "—", other=loser or "—", void=void_way(loser or "—", surface)))


def _codes(row) -> list[str]:
    return [str(json.loads(v)) for v in (row.local_value, row.server_value) if v is not None and json.loads(v)]


def _voided_codes(s, codes: set[str]) -> set[str]:
    """Those of ``codes`` («АУ-7/2026», another installation's «АУ-7/2026 (установка 3f2a)») that name a voided
    document here."""
    from app.services.documents.register import document_code, parse_code

    keys = {k for k in (parse_code(c.split(" (")[0]) for c in codes) if k is not None}
    if not keys:
        return set()
    rows = s.execute(select(Document.kind, Document.number, Document.year, Document.series).where(
        Document.voided_on.is_not(None), Document.number.in_({k[1] for k in keys}),
        Document.year.in_({k[2] for k in keys}))).all()
    return {document_code(r.kind, r.number, r.year, r.series or "") for r in rows} & codes


def _settled(s, row) -> bool:
    return bool(_voided_codes(s, set(_codes(row))))


def settle_double_billings(s) -> int:
    """Close every open double billing one of whose two acts is voided here (the caller's transaction: a
    Session or a Connection); the entry of each closed one passes to the act still in force if its mark went with
    the voided act (``pass_to_listing_acts``). Called after a void (app/services/documents/register.py), after a sync has pulled
    another laptop's void and after a bundle import. Returns how many were closed."""
    from app.sync.claims import pass_to_listing_acts

    rows = s.execute(select(SyncConflict.id, SyncConflict.record_uuid, SyncConflict.local_value,
                            SyncConflict.server_value).where(
        SyncConflict.kind == DOUBLE_BILLING, SyncConflict.resolved.is_(False))).all()
    if not rows:
        return 0
    voided = _voided_codes(s, {code for r in rows for code in _codes(r)})
    closed = [r for r in rows if voided & set(_codes(r))]
    if closed:
        s.execute(update(SyncConflict).where(SyncConflict.id.in_([r.id for r in closed])).values(resolved=True))
        # the work stays billed by the act still in force (its mark may have gone with the voided act)
        pass_to_listing_acts(s, {r.record_uuid for r in closed})
    return len(closed)


__all__ = ["double_billing_refusal", "field_value", "resolve_conflict", "settle_double_billings"]
