"""The version-based merge of bundles (format 2): the team sync's rules between two computers with no server.

docs/sync.md «Bundles» gives the design; in short:

* **Versions.** Each installation counts its exports with a Lamport counter (setting ``exchange.clock``):
  an export takes ``max(counter, every number seen in an import) + 1``. A bundle is the state of its records
  at (exporter, number). Wall clocks are never compared.
* **Bases.** ``exchange_base`` keeps, per peer and record, the values of the peer's latest export this
  installation has merged — a state both sides had, i.e. a common ancestor. A bundle carries its exporter's
  bases of every record (as the fields that differ from the record's values), so the importer also learns
  which of *its own* exports the exporter has merged.
* **The base of a merge** is the newest common ancestor: the importer's base for the exporter, the exporter's
  base for the importer, or an export of a third installation both have merged (same peer and number). A
  file already merged (its number not above the one remembered for its exporter) or made here merges
  against itself: nothing in it is newer than what is here. In a copied file (app/sync/file_home.py) «made
  here» includes the original's exports numbered up to the counter the file was copied at (setting
  ``file.copied_at_export``), and an exporter's base of such an export counts as its base for the importer.
* **The merge** is ``app.sync.merge.merge3`` with the file in the server's place: fields changed on one side
  take that side's value; the same field changed on both is a conflict recorded in ``sync_conflict`` (shown
  by ``sync conflicts``, closed by ``sync resolve``). The value kept by default is decided by a total order
  both computers compute alike (``versioned_clock.keeps_here``): the side whose latest export is the higher
  (export number, installation id) keeps its value. A file whose sender had merged our latest export is always numbered
  above it, so its value is kept — the change that left its computer first, as the server's value is in a
  sync; two files crossing in the post (neither sender had the other's) give the same winner on both
  laptops, so one swap ends in one value. Append-only tables (work log, stage history) never conflict, except
  a work-log entry's billing mark (``merge.SHARED_MARKS``: two acts billing one entry are a «double_billing»
  conflict naming both acts by number) and the figures its act billed (``billed_edit``). Deleted in the file and edited here: the edit stays (``delete_edit``); deleted here and edited in
  the file: the record comes back (``edit_delete``); not edited since the base: the deletion holds.

The parts: ``versioned_clock`` (export numbers), ``versioned_values`` (values as JSON), ``versioned_bases``
(bases held and carried), ``versioned_merge_base`` (a merge's base), ``versioned_conflicts``,
``versioned_deletions`` (tombstones), ``versioned_table`` (a table's rows), ``versioned_stream`` (the whole merge).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.exchange.changeset import Changeset
from app.exchange.merge_report import MergeReport


def apply_versioned(s: Session, changeset: Changeset, source: str, version: int, *, made_at,
                    from_team: bool = False) -> MergeReport:
    """Merge a format-2 changeset made by installation ``source`` in its export number ``version`` (caller's
    transaction; ``from_team``: made on a team's computer, see ``document_series.localize_series``). Every record first passes the forms' validation (``validate.check_changeset``); a date is
    refused only when it is later than both computers' clocks. Raises BundleError for what cannot be merged."""
    from app.exchange.versioned_stream import chunks_of, merge_chunks

    head = Changeset(tombstones=changeset.tombstones, checklist_items=changeset.checklist_items,
                     checklist_deleted=changeset.checklist_deleted)
    deletes = [r for rows in changeset.tables.values() for r in rows if r.op == "delete"]
    ticked = {r.values.get("code") for r in changeset.rows("checklist_state") if r.values.get("done")}
    return merge_chunks(s, head, deletes, chunks_of(changeset), ticked, source, version, made_at=made_at,
                        from_team=from_team)
