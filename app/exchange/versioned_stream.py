"""The version-based merge of a bundle (app/exchange/versioned.py) fed a chunk of rows at a time (issue 15).

``merge_chunks`` is the whole of ``versioned.apply_versioned``: the file's small parts first (its checklist items,
its tombstones), then its rows as they come — each chunk of one table checked by the forms' rules
(``validate.Checker``), its documents' series localized, then merged — and at the end the rules that need every
row (a client's last move) and the bookkeeping (conflicts, claims, the billing trail). What it keeps between chunks
is per client (names, stages, local ids), never per row, except the UUIDs of records of the file that were here
already (to tell a record listed twice, and for the billing trail). A record listed twice or two new records with
one natural key in different chunks are refused as when the file was read whole: rows inserted by this import
have ids above the table's highest id before it (``Watermarks``).

Everything runs in the caller's transaction; a refusal (BundleError) anywhere leaves the caller to roll back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.exchange.bundle_error import BundleError
from app.exchange.changeset import Changeset
from app.exchange.merge_report import MergeReport
from app.exchange.row_change import RowChange
from app.exchange.table_specs import spec, table_specs
from app.i18n import _

CHUNK_ROWS = 2000  # rows of one table checked and merged at a time

Chunks = Iterable[tuple[str, list[RowChange]]]


class Watermarks:
    """Each client-owned table's highest id before the import, and the UUIDs of the file's records that were
    here already: a record met again in a later chunk is a record the file lists twice."""

    def __init__(self, s: Session) -> None:
        self.above = {t.name: int(s.scalar(select(func.max(t.table.c.id))) or 0) for t in table_specs()}
        self.existing: dict[str, set[str]] = {}

    def inserted(self, table: str, row: Any) -> bool:
        """Whether the local row (a mapping with ``id``) was added by this import."""
        return int(row["id"]) > self.above[table]

    def check(self, table: str, local_rows: dict[str, Any]) -> None:
        """Refuse a record of the chunk met before in this import (``local_rows``: uuid -> local row)."""
        seen = self.existing.setdefault(table, set())
        for uuid, row in local_rows.items():
            if uuid in seen or self.inserted(table, row):
                raise BundleError(_("The file contains the record {uuid} twice.").format(uuid=uuid))
        seen.update(local_rows)


def chunks_of(changeset: Changeset, size: int = CHUNK_ROWS) -> Iterator[tuple[str, list[RowChange]]]:
    """A whole changeset's upserts as chunks, tables in their merge order (parents first)."""
    for table_spec in table_specs():
        rows = [r for r in changeset.rows(table_spec.name) if r.op == "upsert"]
        for start in range(0, len(rows), size):
            yield table_spec.name, rows[start:start + size]


def merge_chunks(s: Session, head: Changeset, deletes: list[RowChange], chunks: Chunks, ticked: set, source: str,
                 version: int, *, made_at, from_team: bool = False,
                 watch: Callable[[str, list[RowChange]], None] | None = None) -> MergeReport:
    """Merge a format-2 file made by installation ``source`` in its export number ``version``: ``head`` holds its
    tombstones and checklist items (no rows), ``deletes`` its hand-made «delete» rows, ``chunks`` its upserts as
    (table, rows) in the order of ``table_specs`` (a table's rows may come in several chunks), ``ticked`` the
    checklist codes its ticks mark done. ``watch(table, rows)`` sees each chunk, checked and localized, before it
    is merged. Same rules, report and refusals as ``versioned.apply_versioned``."""
    from app.exchange import checklist_items
    from app.exchange.document_series import localize_series
    from app.exchange.record_labels import _Labels, item_titles
    from app.exchange.tombstones import Guard, TombstoneChange
    from app.exchange.validate import Checker
    from app.exchange.value_codec import decode
    from app.exchange.versioned_clock import installation_id, keeps_here, observe
    from app.exchange.versioned_conflicts import _Conflicts, _settle_restored
    from app.exchange.versioned_deletions import _tombstones
    from app.exchange.versioned_merge_base import _Bases
    from app.exchange.versioned_table import _merge_table
    from app.persistence.models import Tombstone, template_uuid, utcnow

    try:
        source = decode("uuid", source) if source else ""
    except ValueError:
        source = ""
    me = installation_id(s)
    keep_here = keeps_here(s, source, version)  # before observing: our own exports only
    report = MergeReport(versioned=True)
    conflicts = _Conflicts(report)
    # the user-added checklist items first (their ticks are checked against them), by the same versions
    item_uuids = [template_uuid(i["code"]) for i in head.checklist_items]
    items = _Bases(s, me, source, version, item_uuids + [d["uuid"] for d in head.checklist_deleted], keep_here)
    held = checklist_items.merge_items(s, head, ticked, items, conflicts, report)
    head = Changeset(tombstones=head.tombstones, checklist_deleted=head.checklist_deleted,
                     checklist_items=[i for i in head.checklist_items if i["code"] not in held])
    checker = Checker(s, head, made_at=made_at, now=utcnow(), versioned=True)
    # a hand-made «delete» row travels like a tombstone without bases
    tombstones = list(head.tombstones) + [TombstoneChange(r.table, r.uuid, "delete", r.updated_at, bases=r.bases)
                                          for r in deletes]
    observe(s, version)
    first = {t.uuid for t in tombstones}
    guard = Guard.load(s, first, made_at=None, now=None)  # no clock compared: versions decide
    kept_before = s.scalar(select(func.max(Tombstone.id)))  # the guard of later chunks: what was known before
    from app.exchange.origin import team_computer

    bases = _Bases(s, me, source, version, first, keep_here, on_team=from_team and team_computer(s))
    labels = _Labels(item_titles(s, head))  # after the file's items are merged: ticks named by title
    _tombstones(s, tombstones, guard, bases, conflicts, report, labels)
    marks = Watermarks(s)
    id_map: dict[str, dict[str, int]] = {}
    claimed: set[str] = set()  # clients of the file's documents and work
    newest_mine = version  # our own export numbers the file says its exporter merged count as seen too
    for name, rows in chunks:
        if name == "checklist_state" and held:
            rows = [r for r in rows if r.values.get("code") not in held]
        checker.check(name, rows)
        if name == "document":
            rows = localize_series(s, Changeset(tables={name: rows}), source, from_team=from_team).rows(name)
        if watch is not None:
            watch(name, rows)
        newest_mine = max([newest_mine, *(b[me][0] for r in rows if (b := r.bases) and me in b)])
        clients = {v for r in rows if isinstance(v := r.values.get("client_uuid"), str)}
        guard.load_more(s, {r.uuid for r in rows} | clients, kept_before)
        bases.load_more(s, [r.uuid for r in rows])
        if rows:
            _merge_table(s, spec(name), rows, guard, bases, conflicts, id_map, report, labels, marks=marks)
        bases.save(s, flush=True)
        if name in ("document", "work_log"):
            claimed |= clients
        if name != "client":  # the ids of other tables are read again where a later table refers to them
            id_map.pop(name, None)
    checker.finish()
    items.save(s)
    from app.sync.billing_trail import KEPT_FILE, last_conflict_id, settle_double_billings_and_trail

    since = last_conflict_id(s)  # the conflicts above it are this import's
    conflicts.save(s)
    _settle_restored(s, conflicts.rows)
    from app.sync.claims import record_claims
    from app.team.hooks import author_of

    # an act in the file listing work an act bills here is that double billing here too, as a sync tells it
    record_claims(s, claimed, kept="here")
    # a voided act arriving in the file settles a double billing naming it; a billing line here that the
    # file's mark overtook is not left as the entry's last word (app/sync/billing_trail.py): the file's entries
    # that were here already, and those it added (read back a chunk at a time)
    settle_double_billings_and_trail(s, since, author_of(s), action=KEPT_FILE,
                                     touched=marks.existing.get("work_log", set()),
                                     touched_chunks=_added(s, "work_log", marks.above["work_log"]))
    if newest_mine > version:
        observe(s, newest_mine)
    return report


def _added(s: Session, table: str, above: int) -> Iterator[list[str]]:
    """The UUIDs of the rows of ``table`` with ids above ``above`` (added by this import), 2 000 at a time."""
    t = spec(table).table
    last = above
    while True:
        rows = s.execute(select(t.c.id, t.c.uuid).where(t.c.id > last).order_by(t.c.id).limit(CHUNK_ROWS)).all()
        if not rows:
            return
        last = rows[-1][0]
        yield [uuid for _id, uuid in rows]
