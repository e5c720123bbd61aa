"""One record's push on the server: merged with the server's row, a deletion, or a refusal of a kept row."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from sqlalchemy import delete, select, text, update
from sqlalchemy.engine import Connection

from app.persistence.models import SyncTombstone
from app.sync import hidden_keys, refused
from app.sync.engine import NOT_YOURS, Result
from app.sync.laptop_apply import _conflicts_of
from app.sync.merge import APPEND_ONLY, FieldConflict, merge3
from app.sync.rows import IdMap, find_natural, read_rows, table, values_for

KEPT_TABLES = frozenset({"document", "work_log", "client"})  # rows the server may keep as they were (_kept_by_server)


def _push_one(sc: Connection, ids: IdMap, name: str, uuid: str, data: dict | None, base: tuple[int, dict] | None,
              adopted: dict[str, str], login: str, installation: str, *, resent: bool = False,
              from_file: bool = False, whole: set[str] | frozenset[str] = frozenset()) -> Result:
    """One record's push (``data`` None: its deletion), in a savepoint where refusals are met (_kept_by_server);
    ``resent``: the record was in a batch whose laptop side never committed (``pushing.IN_FLIGHT``); ``from_file``: its
    base is the server's state a bundle carried (app/exchange/carried_bases.py), not one this laptop synced;
    ``whole``: the clients this push sent again after their deletion there (a record of theirs the deletion took
    goes back quietly, under the client's conflict)."""
    if data is None:
        return _kept_by_server(sc, ids, name, uuid, None, partial(_push_delete, sc, ids, name, uuid, base))
    if data.get("client_uuid") in adopted:  # its client took the server's UUID just before
        data = {**data, "client_uuid": adopted[data["client_uuid"]]}
    sent = data
    if name == "audit_log" and data.get("author") != login:
        # written on this laptop before it joined the team, under the local profile's name:
        # the server only takes lines under the sender's login, the local name stays beside it
        data = {**data, "author": f"{login} ({data.get('author') or '—'})"}
    result = _kept_by_server(sc, ids, name, uuid, data, partial(
        _push_row, sc, ids, name, uuid, data, base, installation, resent, from_file,
        quiet=name != "client" and data.get("client_uuid") in whole))
    result.sent = sent  # what the laptop holds: unchanged since read → the entry is done
    return result


def _kept_by_server(sc: Connection, ids: IdMap, name: str, uuid: str, sent: dict | None,
                    attempt: Callable[[], Result]) -> Result:
    """``attempt()`` (one record's push) in a savepoint, for the tables whose rows the server keeps as they were
    (app/team/server_triggers.py: an issued document, work billed by an act in force, a client with documents).
    The program never sends such a change (its services refuse it, the merge makes it a conflict), but a laptop
    whose file was changed behind it (an old version, a hand-edited file) would be refused at every sync: the
    refusal is rolled back to the savepoint instead, the server's row comes back to the laptop, and a conflict of
    kind ``KEPT_BY_SERVER`` says so (closed with «--keep server»); another member's client, or its ИНН on a client
    this member does not see: refused.py, hidden_keys.py (``kept_conflict``). Any other error goes on."""
    from sqlalchemy.exc import DBAPIError

    if name not in KEPT_TABLES:
        return attempt()
    savepoint = sc.begin_nested()
    try:
        result = attempt()
    except DBAPIError as exc:
        if exc.connection_invalidated:  # the connection itself went (the trial 17d): no savepoint to go back to
            raise
        savepoint.rollback()
        current = _server_row(sc, ids, name, uuid)
        conflict = hidden_keys.kept_conflict(name, exc, sent, current)  # None: no refusal of a kept row
        if conflict is None:
            raise
        if current is None or conflict[4] == "local":  # kept here only (another member's client, its ИНН)
            return Result(name, uuid, uuid, None, None, sent, [conflict], keep_local=True)
        return Result(name, uuid, uuid, current[0], current[1], sent, [conflict])
    savepoint.commit()
    return result


def _server_row(sc: Connection, ids: IdMap, name: str, uuid: str) -> tuple[int, dict] | None:
    # the audit trail is append-only: no UPDATE right, hence no FOR UPDATE either (nor any need)
    return read_rows(sc, name, [uuid], ids, lock=name != "audit_log").get(uuid)


def _tombstoned(sc: Connection, name: str, uuid: str) -> bool:
    return sc.execute(select(SyncTombstone.id).where(SyncTombstone.table_name == name,
                                                     SyncTombstone.record_uuid == uuid).limit(1)).first() is not None


def _push_row(sc: Connection, ids: IdMap, name: str, uuid: str, data: dict,
              base: tuple[int, dict] | None, installation: str, resent: bool = False,
              from_file: bool = False, quiet: bool = False) -> Result:
    t = table(name)
    server_uuid = uuid
    current = _server_row(sc, ids, name, uuid)
    conflicts: list[tuple[str, str, object, object, str]] = []
    gone = current is None and base is not None and name not in APPEND_ONLY and _tombstoned(sc, name, uuid)
    if current is None and (base is None or gone):
        # new here, or edited here and deleted there: met by its natural key (a client added again with its ИНН
        # meanwhile is one company: the edit goes into it, a delete-against-edit conflict says so)
        natural = find_natural(sc, name, data, ids)
        if natural is not None:
            server_uuid = natural
            current = _server_row(sc, ids, name, natural)
            if gone and current is not None:
                conflicts.append(("delete_edit", "", "edited", "deleted", "local"))
    if name == "document" and base is None and current is not None:  # the team's act, first met here in a file
        data = refused.as_issued(current[1], data)
    changed = False
    if current is None:
        if gone and not quiet:  # (``quiet``: deleted with its client, sent again with it: the client's conflict)
            conflicts.append(("delete_edit", "", "edited", "deleted", "local"))
        elif base is not None and name == "client" and not from_file:
            # it came from the server, is neither there for this member nor deleted: row-level security hides
            # it (handed to another specialist). Refused: nothing is sent — its audit lines neither (push) — and
            # the laptop keeps its copy with a conflict saying so, instead of a sync that fails for ever
            return Result(name, uuid, uuid, None, None, data, [(NOT_YOURS, "", "edited", "hidden", "local")],
                          keep_local=True)
        values = values_for(name, data, ids)
        if values is None:  # its client is not on the server (deleted there, or not yours): keep it here
            return Result(name, uuid, uuid, None, None, data, [("orphan", "", "kept", "missing", "local")],
                          keep_local=True)
        hidden_keys.insert_row(sc, name, values, installation)  # a document's number taken: this installation's series
        changed = True
    else:
        version, server_data = current
        if name == "audit_log":
            return Result(name, uuid, server_uuid, version, server_data, data, [])
        if base is not None and base[0] == version:
            merged, found = {**server_data, **data}, list[FieldConflict]()
        else:
            merged, found = merge3(name, base[1] if base else None, data, server_data)
        conflicts += _conflicts_of(sc, found, "server")
        merged["uuid"] = server_uuid
        if any(merged.get(k) != server_data.get(k) for k in merged if k not in ("updated_at", "updated_by")):
            values = values_for(name, merged, ids) or {}
            values.pop("uuid", None)
            sc.execute(update(t).where(t.c.uuid == server_uuid).values(**values))
            changed = True
        else:
            changed = resent and _taken_before(base, version, data, server_data)
    taken = read_rows(sc, name, [server_uuid], ids)
    if server_uuid not in taken and name == "audit_log":
        # a line of a client deleted on the server (hidden_lines.deleted_clients): taken, but row-level security hides
        # it from this member until the client is back; its version is the one the server's trigger just drew
        taken[server_uuid] = (int(sc.execute(text("SELECT currval('vn_row_version')")).scalar_one()), data)
    after = taken[server_uuid]
    if name == "client":
        ids.forget("client", server_uuid)
    return Result(name, uuid, server_uuid, after[0], after[1], data, conflicts, changed=changed)


def _taken_before(base: tuple[int, dict] | None, version: int, data: dict, server_data: dict) -> bool:
    """Whether the server already holds this laptop's change from the earlier push of a batch whose laptop side
    never committed (``pushing.IN_FLIGHT``: a file gone read-only, a process killed after the server's commit): the
    server's row is newer than the base (or there is none: an insert), written by the same login, and equal to
    what is sent. It was sent, and is counted so — the trial of 2026-12-01 saw «Отправлено: 0» after the file was
    made writable again. A record the server merely holds as it is (the team's own data back from a bundle) was
    in no such batch."""
    return ((base is None or version > base[0]) and bool(data.get("updated_by"))
            and data.get("updated_by") == server_data.get("updated_by")
            and all(server_data.get(k) == v for k, v in data.items() if k not in ("updated_at", "uuid")))


def _push_delete(sc: Connection, ids: IdMap, name: str, uuid: str, base: tuple[int, dict] | None) -> Result:
    current = _server_row(sc, ids, name, uuid)
    if current is None or name == "audit_log":
        return Result(name, uuid, uuid, None if current is None else current[0],
                      None if current is None else current[1], None, [])
    if base is not None and base[0] == current[0]:
        t = table(name)
        sc.execute(delete(t).where(t.c.uuid == uuid))
        kept = _server_row(sc, ids, name, uuid) if name == "checklist_template" else None
        if kept is not None:  # the server skipped it (vn_template_delete): ticked for a client of the team
            return Result(name, uuid, uuid, kept[0], kept[1], None, [("edit_delete", "", "deleted", "in use", "server")])
        return Result(name, uuid, uuid, None, None, None, [], changed=True)
    # edited on the server since this laptop saw it: the edit stays, the laptop gets the record back
    return Result(name, uuid, uuid, current[0], current[1], None,
                  [("edit_delete", "", "deleted", "edited", "server")])
