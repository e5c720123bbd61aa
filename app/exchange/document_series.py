"""Documents' numbering series of a file as seen here (another installation's series, the team's one)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.exchange.changeset import Changeset
from app.exchange.row_change import RowChange
from app.exchange.value_codec import decode


def localize_series(s: Session, changeset: Changeset, source_installation: str, *,
                    from_team: bool = False) -> Changeset:
    """Documents' numbering series as seen here: '' in the file means the source installation; our own
    installation's id means ours (''). So the same «АУ-1/2026» issued on two installations never clashes.

    Within a team there is one series: every member's documents are numbered from the server's blocks
    (app/sync/numbers.py) and kept in the series ''. So when the file comes from a team's computer
    (``from_team``: the manifest's «team») and this computer belongs to a team too, '' stays '' — the
    team's «АУ-43/2026» stays «АУ-43/2026» on every laptop and on the server, never «(установка …)» of the
    laptop that happened to carry it (issue 17: the importer's sync was then refused for ever, the server
    keeping an issued document's series fixed)."""
    from app.persistence.models import Setting

    rows = changeset.rows("document")
    if not rows:
        return changeset
    try:
        source = decode("uuid", source_installation)
    except ValueError:
        source = ""  # a hand-made file without a usable id: its documents count as ours (clashes are refused)
    if from_team:
        from app.exchange.origin import team_computer

        if team_computer(s):
            source = ""  # the team's series
    setting = s.get(Setting, "installation_id")
    local = setting.value.lower() if setting else ""

    def localized(change: RowChange) -> RowChange:
        if change.op != "upsert":
            return change
        series = change.values.get("series") or source
        series = "" if series == local else series
        return RowChange(change.table, change.op, change.uuid, change.updated_at, {**change.values, "series": series},
                         change.bases)

    return Changeset(tables={**changeset.tables, "document": [localized(c) for c in rows]},
                     tombstones=changeset.tombstones, checklist_items=changeset.checklist_items,
                     checklist_deleted=changeset.checklist_deleted)
