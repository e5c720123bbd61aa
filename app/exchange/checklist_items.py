"""Checklist items a user added to the template travel with a bundle as they do through the team server.

The shipped items (resources/seed/checklist.json) exist on every installation and never travel; an item added
with ``templates.add_checklist_item`` has the UUID of its code (``models.template_uuid``). A bundle carries

* ``checklist_template``: the items added here, ``[{"code", "stage", "title", "requires", "bases"}, …]``;
* ``checklist_template_deleted``: the added items deleted here, ``[{"uuid", "bases"}, …]`` (from the
  ``tombstone`` rows ``templates.delete_checklist_item`` leaves).

``bases`` are the merge bases of app/exchange/versioned.py (per peer: its export number and the item's
values then); an item of a team's laptop also carries ``server``, the item as the team server last gave it
to the exporter (its version and values: the laptop's sync base, app/sync/bases.py). Two laptops of a team
that never swapped a file still share that state: the import merges against it, as the sync does, so a
rename on one side only is taken without a conflict; and a computer that gets the item first from the file
keeps that state as its own sync base, so its first sync does not call the team's later wording a conflict
(issue 17). An import merges an item by versions, never by clocks, with the team sync's rules
(docs/sync.md; tests/team/test_template_sync.py): a rename on one side is taken, the same item renamed on both
sides is a «title» conflict with both titles (the value kept by ``versioned_clock.keeps_here``); a deletion deletes
here unless the item was changed here since, is ticked here or another item requires it (then it stays, and
the next export brings it back to the other side); an item deleted here comes back only with a tick or a
change from the other side. Format-1 files (no versions) only add the items this installation lacks
(:func:`ensure`). All of it runs in the import's transaction, before any record of the file is checked — a
refused file leaves no item behind."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.domain.quotes import in_quotes, quoted
from app.exchange.bundle_error import BundleError
from app.i18n import _

if TYPE_CHECKING:
    from app.exchange.changeset import Changeset
    from app.exchange.merge_report import MergeReport

MAX_ITEMS = 1000
MAX_TITLE = 300
MAX_STAGE = 9
TABLE = "checklist_template"
FIELDS = ("title", "stage", "requires")  # what travels and is merged (the list order is each laptop's own)


def _values(item) -> dict[str, Any]:
    """An item's merged fields as JSON (``item``: a ChecklistTemplate row or a parsed entry)."""
    get = item.get if isinstance(item, dict) else lambda key: getattr(item, key)
    return {"title": get("title"), "stage": get("stage"), "requires": get("requires")}


def user_items(s: Session) -> list[dict[str, Any]]:
    """The items added on this installation (not shipped), in stage and list order, as the bundle carries
    them: code, stage, title, requires and the merge bases this installation holds for each."""
    from app.exchange.row_change import encode_bases
    from app.exchange.versioned_bases import rows_bases
    from app.persistence.models import ChecklistTemplate, template_uuid
    from app.services.templates import _seeded_codes as seeded_codes

    seeded = seeded_codes()
    rows = [t for t in s.scalars(select(ChecklistTemplate).order_by(ChecklistTemplate.stage,
                                                                    ChecklistTemplate.position,
                                                                    ChecklistTemplate.id))
            if t.code not in seeded]
    carried = rows_bases(s, TABLE, [(template_uuid(t.code), _values(t)) for t in rows])
    served = server_bases(s, [template_uuid(t.code) for t in rows])
    out = []
    for t in rows:
        entry: dict[str, Any] = {"code": t.code, "stage": t.stage, "title": t.title, "requires": t.requires}
        bases = carried.get(template_uuid(t.code))
        if bases:
            entry["bases"] = encode_bases(bases)
        server = served.get(template_uuid(t.code))
        if server is not None:
            entry["server"] = {"version": server[0], "values": server[1]}
        out.append(entry)
    return out


def server_bases(s: Session, uuids: list[str]) -> dict[str, tuple[int, dict[str, Any]]]:
    """uuid -> (the team server's version, the item's merged fields then) as this computer last saw them (its
    sync base, app/sync/bases.py); items it never got from a server are left out, and a PostgreSQL database
    has none."""
    from app.sync.bases import read_bases

    if not uuids or s.get_bind().dialect.name != "sqlite":  # a laptop's: the server itself keeps no sync bases
        return {}
    known = read_bases(s.connection(), TABLE, uuids)
    return {uuid: (version, {k: data.get(k) for k in FIELDS}) for uuid, (version, data) in known.items()}


def deleted_items(s: Session) -> list[dict[str, Any]]:
    """The added items deleted here (their tombstones), each with the bases held for it, as the bundle
    carries them."""
    from app.exchange.row_change import encode_bases
    from app.exchange.versioned_bases import _load_bases
    from app.persistence.models import Tombstone

    uuids = list(s.scalars(select(Tombstone.uuid).where(Tombstone.table_name == TABLE, Tombstone.kind == "delete")
                           .order_by(Tombstone.id)))
    known = _load_bases(s, uuids)
    out = []
    for uuid in uuids:
        entry: dict[str, Any] = {"uuid": uuid}
        bases = known.get((TABLE, uuid))
        if bases:
            entry["bases"] = encode_bases(bases)
        out.append(entry)
    return out


def parse(raw: Any) -> list[dict[str, Any]]:
    """The file's ``checklist_template`` member, checked (absent: none). Raises BundleError for anything
    that is not a list of items with a code like ``s<stage>.name``, a stage 0–9, a one-line title and
    well-formed bases."""
    from app.exchange.validate import paper_problem, text_problem
    from app.services.templates import CODE_PATTERN

    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) > MAX_ITEMS:
        raise BundleError(_("The file's contents are not in the expected format."))
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    for entry in raw:
        if not isinstance(entry, dict):
            raise BundleError(_("The file's contents are not in the expected format."))
        code, stage, title, requires = (entry.get(k) for k in ("code", "stage", "title", "requires"))
        if not (isinstance(title, str) and title.strip() and len(title) <= MAX_TITLE
                and text_problem(title, one_line=True) is None):
            raise BundleError(_("The file describes a checklist item with an empty or damaged title."))
        if (unprintable := paper_problem(title, "title")) is not None:  # the sign-off lists it, as at input (r13)
            raise BundleError(_("The file describes the checklist item «{title}»: {problem}").format(
                title=in_quotes(title.strip()[:MAX_TITLE]), problem=unprintable))
        damaged = BundleError(_("The file describes the checklist item «{title}» in a damaged form.").format(
            title=in_quotes(title.strip()[:MAX_TITLE])))
        if (not isinstance(code, str) or not CODE_PATTERN.match(code) or isinstance(stage, bool)
                or not isinstance(stage, int) or not 0 <= stage <= MAX_STAGE or not code.startswith(f"s{stage}.")
                or code in seen or (requires is not None and (not isinstance(requires, str)
                                                                or not CODE_PATTERN.match(requires)))):
            raise damaged
        seen.add(code)
        item = {"code": code, "stage": stage, "title": title.strip(), "requires": requires,
                "bases": _parse_bases(entry.get("bases"), damaged)}
        if entry.get("server") is not None:
            server = _parse_server(entry["server"], damaged)
            item["server"] = {"version": server[0], "values": server[1]}
        items.append(item)
    return items


def _parse_server(raw: Any, bad: BundleError) -> tuple[int, dict[str, Any]]:
    """An item's ``server`` ({"version": n, "values": {title, stage, requires}}), checked; ``bad`` otherwise."""
    if not isinstance(raw, dict):
        raise bad
    version, values = raw.get("version"), raw.get("values")
    if type(version) is not int or not 0 < version < 2**63 or not isinstance(values, dict) \
            or set(values) != set(FIELDS):
        raise bad
    title, stage, requires = values["title"], values["stage"], values["requires"]
    if (not isinstance(title, str) or len(title) > MAX_TITLE or isinstance(stage, bool) or not isinstance(stage, int)
            or (requires is not None and not isinstance(requires, str))):
        raise bad
    return version, dict(values)


def parse_deleted(raw: Any) -> list[dict[str, Any]]:
    """The file's ``checklist_template_deleted`` member (absent: none): ``[{"uuid", "bases"}]``. BundleError
    for anything malformed."""
    from app.exchange.value_codec import decode

    if raw is None:
        return []
    bad = BundleError(_("The file's contents are not in the expected format."))
    if not isinstance(raw, list) or len(raw) > MAX_ITEMS:
        raise bad
    out = []
    for entry in raw:
        if not isinstance(entry, dict):
            raise bad
        try:
            uuid = decode("uuid", entry.get("uuid"))
        except (ValueError, TypeError):
            raise bad from None
        out.append({"uuid": uuid, "bases": _parse_bases(entry.get("bases"), bad)})
    return out


def _parse_bases(raw: Any, bad: BundleError) -> dict[str, tuple[int, dict[str, Any] | None]]:
    """An item's ``bases`` ({peer uuid: {"version": n, "values": {title, stage, requires}} or {"version": n,
    "deleted": true}}), checked; ``bad`` is raised for anything else."""
    from app.exchange.row_decode import MAX_BASES
    from app.exchange.value_codec import decode

    if raw is None:
        return {}
    if not isinstance(raw, dict) or len(raw) > MAX_BASES:
        raise bad
    out: dict[str, tuple[int, dict[str, Any] | None]] = {}
    for peer, item in raw.items():
        try:
            peer_id = decode("uuid", peer)
        except (ValueError, TypeError):
            raise bad from None
        version = item.get("version") if isinstance(item, dict) else None
        if type(version) is not int or not 0 <= version < 2**63:
            raise bad
        if item.get("deleted", False) is True:
            out[peer_id] = (version, None)
            continue
        values = item.get("values", {})
        if not isinstance(values, dict) or any(k not in FIELDS for k in values):
            raise bad
        title, stage, requires = values.get("title", ""), values.get("stage", 0), values.get("requires")
        if (not isinstance(title, str) or len(title) > MAX_TITLE or isinstance(stage, bool)
                or not isinstance(stage, int) or (requires is not None and not isinstance(requires, str))):
            raise bad
        out[peer_id] = (version, dict(values))
    return out


def ensure(s: Session, items: list[dict[str, Any]]) -> list[str]:
    """Add the file's items this installation lacks (caller's transaction); returns the titles added. An
    item's requirement is kept when the required item exists here or comes with the file. (Format 1, and
    every item new here in a format-2 merge.)"""
    from app.persistence.models import ChecklistTemplate, StageDef

    if not items:
        return []
    here = set(s.scalars(select(ChecklistTemplate.code)))
    stages = set(s.scalars(select(StageDef.number)))
    known = here | {i["code"] for i in items}
    added = []
    for item in items:
        if item["code"] in here:
            continue
        if item["stage"] not in stages:
            raise BundleError(_("The file describes the checklist item «{title}» for a stage this program does "
                                "not have.").format(title=in_quotes(item["title"])))
        _add(s, item, known)
        here.add(item["code"])
        added.append(item["title"])
    return added


def _add(s: Session, item: dict[str, Any], known: set[str]) -> None:
    from app.persistence.models import ChecklistTemplate, Tombstone, template_uuid

    uuid = template_uuid(item["code"])  # the same UUID the team server gives it
    last = s.scalar(select(func.max(ChecklistTemplate.position)).where(ChecklistTemplate.stage == item["stage"]))
    s.add(ChecklistTemplate(code=item["code"], stage=item["stage"], position=(last or 0) + 1,
                            title=item["title"], requires=item["requires"] if item["requires"] in known else None,
                            uuid=uuid))
    s.execute(delete(Tombstone).where(Tombstone.uuid == uuid, Tombstone.kind == "delete"))  # it is here again
    s.flush()


def merge(s: Session, changeset: Changeset, bases, conflicts, report: MergeReport) -> Changeset:
    """The format-2 merge of the file's added and deleted items (see the module), in the caller's transaction:
    ``bases`` is a ``versioned_merge_base._Bases`` of this import (the items' UUIDs loaded), ``conflicts`` its
    ``versioned_conflicts._Conflicts``. Returns the changeset without the file's unticked rows of items whose
    deletion holds here (their item is gone). Raises BundleError for an item of a stage this program does not have."""
    ticked = {r.values.get("code") for r in changeset.rows("checklist_state") if r.values.get("done")}
    held = merge_items(s, changeset, ticked, bases, conflicts, report)
    if not held:
        return changeset
    from app.exchange.changeset import Changeset as _Changeset

    rows = [r for r in changeset.rows("checklist_state") if r.values.get("code") not in held]
    return _Changeset(tables={**changeset.tables, "checklist_state": rows}, tombstones=changeset.tombstones,
                      checklist_items=[i for i in changeset.checklist_items if i["code"] not in held],
                      checklist_deleted=changeset.checklist_deleted)


def merge_items(s: Session, changeset: Changeset, ticked: set, bases, conflicts, report: MergeReport) -> set[str]:
    """``merge`` without filtering the file's ticks: ``ticked`` are the codes the file's ticks mark done (its
    checklist rows may not be read yet: a streamed import, app/exchange/bundle_stream.py). Returns the codes
    deleted here whose deletion holds: the caller leaves out the file's ticks of them."""
    from app.persistence.models import ChecklistState, ChecklistTemplate, StageDef, template_uuid
    from app.sync.merge import merge3

    items, deleted = changeset.checklist_items, changeset.checklist_deleted
    if not items and not deleted:
        return set()
    here = {t.uuid or template_uuid(t.code): t for t in s.scalars(select(ChecklistTemplate))}
    stages = set(s.scalars(select(StageDef.number)))
    incoming = {template_uuid(i["code"]): i for i in items}
    from app.persistence.models import Tombstone

    deleted_here = set(s.scalars(select(Tombstone.uuid).where(Tombstone.table_name == TABLE,
                                                              Tombstone.kind == "delete")))
    for entry in deleted:
        if entry["uuid"] not in incoming:  # an item both listed and deleted: the listing is the newer word
            if _deleted_there(s, entry, here.get(entry["uuid"]), bases, conflicts):
                report.deleted[TABLE] += 1
    known = {t.code for t in here.values()} | {i["code"] for i in items}
    held: set[str] = set()  # codes deleted here whose deletion the file does not undo
    served = server_bases(s, [uuid for uuid, item in incoming.items() if item.get("server")])
    from app.exchange.origin import team_computer

    on_team = bool(served) and team_computer(s)
    for uuid, item in incoming.items():
        theirs = _values(item)
        local = here.get(uuid)
        base = bases.base(TABLE, uuid, item["bases"], theirs, None if local is None else _values(local))
        bases.remember(TABLE, uuid, theirs)
        if local is None:
            from app.exchange.versioned_merge_base import GONE

            had = uuid in deleted_here or (base is not None and base is not GONE)
            edited = base is GONE or (base is not None and not _same(theirs, base))
            if had and not edited and item["code"] not in ticked:
                held.add(item["code"])  # deleted here, neither ticked nor changed there since: stays deleted
                continue
            if item["stage"] not in stages:
                raise BundleError(_("The file describes the checklist item «{title}» for a stage this program "
                                    "does not have.").format(title=in_quotes(item["title"])))
            if had and edited:  # deleted here, changed there: it comes back (the team sync's rule)
                conflicts.add(TABLE, uuid, "", _label(item["title"]), "edit_delete", "", "deleted", "edited", "file")
            _add(s, item, known)
            _keep_server_base(s, uuid, item)
            report.added[TABLE] = report.added.get(TABLE, 0) + 1
            continue
        from app.exchange.versioned_merge_base import GONE

        mine = _values(local)
        candidates = [None if base is None or base is GONE else base]
        shared = _shared_server_state(item.get("server"), served.get(uuid), on_team)
        if shared is not None:  # the state both last had from the team server (the sync's base)
            candidates.append(shared)
        # each candidate is a state both sides had: the nearer one (fewer conflicts) is the newer common ancestor
        merged, found = min((merge3(TABLE, c, mine, theirs, local_wins=bases.keep_here, symmetric=True) for c in candidates),
                            key=lambda result: len(result[1]))
        for c in found:
            kept_here = bases.keep_here if c.kept_local is None else c.kept_local
            conflicts.add(TABLE, uuid, "", _label(local.title), c.kind, c.field, c.local, c.server,
                          "here" if kept_here else "file")
        taken = tuple(k for k in ("title", "requires") if merged.get(k) != mine.get(k)
                      and (k != "requires" or merged[k] is None or merged[k] in known))
        if taken or found:  # a later change of a field answers its open conflict of an earlier file
            conflicts.settle(s, TABLE, uuid, (*taken, *(c.field for c in found)))
        if taken:
            # a conflict is listed once, under «Конфликты»; «изменено по файлу» is what changed there only
            only_there = tuple(k for k in taken if k not in {c.field for c in found})
            if only_there:
                report.changed.append((_label(local.title), only_there))
            for key in taken:
                setattr(local, key, merged[key])
    for code in held:  # still deleted here: its unticked rows are gone too
        s.execute(delete(ChecklistState).where(ChecklistState.code == code, ChecklistState.done.is_(False)))
    s.flush()
    return held


def _shared_server_state(theirs: dict[str, Any] | None, mine: tuple[int, dict[str, Any]] | None,
                         on_team: bool) -> dict[str, Any] | None:
    """The item's fields in a state of the team server both computers had (the exporter's sync base
    ``theirs``, this computer's ``mine``), or None: the same version with the same fields; or, on a team's
    computer, the lower of two versions (the server's history is one line: the state at the lower version
    is an ancestor of both)."""
    if theirs is None or mine is None:
        return None
    version, values = theirs["version"], theirs["values"]
    if version == mine[0]:
        return values if values == mine[1] else None
    if not on_team:
        return None
    return values if version < mine[0] else mine[1]


def _keep_server_base(s: Session, uuid: str, item: dict[str, Any]) -> None:
    """An item new here from a team's file: the server's state the exporter last saw becomes this computer's
    sync base for it (when it has none), so its first sync merges against it instead of calling every later
    rename on the team a conflict (app/sync/bases.py reads it back)."""
    import json

    from app.persistence.models import SyncBase

    server = item.get("server")
    if server is None or s.get(SyncBase, (TABLE, uuid)) is not None:
        return
    values = server["values"]
    data = {"code": item["code"], "uuid": uuid, "title": values["title"], "stage": values["stage"],
            "requires": values["requires"], "updated_by": ""}
    s.add(SyncBase(table_name=TABLE, record_uuid=uuid, row_version=server["version"],
                   data=json.dumps(data, ensure_ascii=False)))
    s.flush()


def _label(title: str) -> str:
    """«Пункт чек-листа «Настроить ЭДО»» for the import report."""
    from app.exchange.record_titles import TABLE_TITLES

    return f"{_(TABLE_TITLES[TABLE])} {quoted(title)}"


def _same(values: dict[str, Any], base: dict[str, Any]) -> bool:
    return all(values.get(k) == v for k, v in base.items() if k in FIELDS)


def _deleted_there(s: Session, entry: dict[str, Any], local, bases, conflicts) -> bool:
    """The file's deletion of an added item: it deletes the item here (True) unless it was changed here since
    the common base (a «delete_edit» conflict, as for any record), is ticked here or another item requires it
    (it stays; the next export brings it back there)."""
    from app.exchange.versioned_merge_base import GONE
    from app.persistence.models import ChecklistState, ChecklistTemplate
    from app.persistence.tracking import record_tombstones

    uuid = entry["uuid"]
    bases.remember(TABLE, uuid, None)
    if local is None or bases.merged_already(TABLE, uuid):
        return False
    base = bases.base(TABLE, uuid, entry["bases"], None)
    if base is None or base is GONE or not _same(_values(local), base):
        conflicts.add(TABLE, uuid, "", _label(local.title), "delete_edit", "", "edited", "deleted", "here")
        return False
    in_use = s.scalar(select(func.count()).select_from(ChecklistState).where(
        ChecklistState.code == local.code, ChecklistState.done.is_(True)))
    required = s.scalar(select(func.count()).select_from(ChecklistTemplate).where(
        ChecklistTemplate.requires == local.code))
    if in_use or required:
        return False
    from app.persistence.models import utcnow

    s.execute(delete(ChecklistState).where(ChecklistState.code == local.code))
    stage = local.stage
    s.delete(local)
    s.flush()
    record_tombstones(s.connection(), [(uuid, TABLE)], "delete", utcnow(), "")  # carried on to the next peer
    rows = s.scalars(select(ChecklistTemplate).where(ChecklistTemplate.stage == stage)
                     .order_by(ChecklistTemplate.position, ChecklistTemplate.id))
    for position, row in enumerate(rows, 1):
        row.position = position
    return True
