"""Import clients from a CSV as people have it (Excel, 1C, Google Sheets): all rows or none, or an update.

The file is read by ``app.services.csvread`` (encoding, separator, ``sep=`` line, physical lines);
the header may use the usual spellings of each column (``E-mail``/``Email``/``Эл. почта``,
``Договор №``/``Договор N``/``Номер договора`` …); a column that cannot be placed is refused by name
rather than dropped. Cells are validated and normalised by the same functions as the client card
(``app.services.client_input``), and every message names the physical line of the file.

Its parts: the header (``import_columns``), the rows (``import_rows``), a client already here updated
(``import_update``), the refusals' words (``import_refusals``); here the file meets the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from app.fileio import read_input_file
from app.gcpause import paused_gc
from app.persistence.db import Database
from app.persistence.models import utcnow
from app.services.bulk_clients import existing_inns, insert_clients, load_clients
from app.services.changes import Changes
from app.services.import_progress import Report
from app.services.import_refusals import (
    ClientsAlreadyExist,
    _here_lines,
    _RowProblems,
    _say_already_here,
    _update_hint,
    clients_refused,
)
from app.services.import_rows import ImportRow, _refuse_incomplete, parse_rows
from app.services.import_update import ClientUpdate, _update

# skipped_line: ui/main_window.py (split at the same time elsewhere) imports it from here

MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class ImportResult:
    """What an import did: ids of the clients added and of those updated (``--update``), and what changed in each
    client updated, in the file's order."""

    added: list[int]
    updated: list[int]
    changes: Changes
    updates: list[ClientUpdate] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # the file's computed columns passed over (``COMPUTED``)


def _write(s: Session, rows: list[ImportRow], update: bool, report: Report) -> tuple[list[int], list[ClientUpdate]]:
    """Check the whole file against the database with one statement, then add the new clients in bulk
    (``app.services.bulk_clients``) and, with ``update``, update the existing ones. Refused, in this order: every row
    of a new client without its name or approach (UserError), then ClientsAlreadyExist naming every row whose ИНН is
    already here when no update was asked for (a contacts-only file comes to the window's «Обновить существующих»)."""
    existing = existing_inns(s)
    new = [row for row in rows if row.data.inn not in existing]
    old = [row for row in rows if row.data.inn in existing]
    # first what no answer can mend: a new client without its name or approach, whether or not the file updates
    # (the command line hears of the rows already here too, that need --update)
    here, here_ids = _here_lines(s, existing, [(row.line, row.data.inn) for row in old]) if not update else ([], [])
    _refuse_incomplete([row for row in new if row.if_new], here)
    if here:  # the window asks with a button, «Обновить существующих»
        refusal = ClientsAlreadyExist(clients_refused(0, len(here)), here, here_ids)
        refusal.cli_hint = _update_hint(len(here))
        raise refusal
    added = insert_clients(s, [row.data for row in new], report)
    updates: list[ClientUpdate] = []
    if old:
        clients = load_clients(s, [existing[row.data.inn] for row in old])
        stamp = utcnow()
        for row in old:  # one row per ИНН: parse_rows refuses a repeated one
            client = clients[existing[row.data.inn]]
            change = _update(client, row)
            if change is not None:  # a row that changes nothing is not an update: no new stamp, not counted
                client.updated_at = stamp
                updates.append(change)
        report.check()
        report.step(len(old))
    return added, updates


def import_clients(db: Database, path: str | Path, *, update: bool = False,
                   progress: Callable[[int, int], None] | None = None,
                   cancelled: Callable[[], bool] | None = None) -> ImportResult:
    """Import a CSV file in one transaction: new clients are added; a client whose ИНН is already in the
    database is refused (ClientsAlreadyExist), or with ``update`` updated from the file's columns.
    UserError (nothing saved) naming every bad line. The clients workbook's computed columns (``COMPUTED``) are
    passed over and named in ``ImportResult.skipped``.

    The work is linear in the size of the file: one statement reads the ИНН already here, the new clients
    and their contacts go in with one executemany per 1 000 rows (authorship and audit entries through
    ``app.team.hooks``), whatever the number of rows. ``progress(done, total)`` hears of the work as it goes
    (monotonic, ends at ``done == total``; each row counts twice: checked, then written); ``cancelled()`` is
    asked between chunks and, when true before the commit, stops the import with ImportCancelled and
    nothing saved."""
    report = Report(progress, cancelled)
    raw = read_input_file(Path(path), MAX_FILE_BYTES)
    skipped: list[str] = []
    with paused_gc():  # tens of thousands of acyclic cards: full collections would make the work superlinear
        try:
            rows = parse_rows(raw, report, update=update, skipped=skipped)
        except _RowProblems as refusal:
            if not update:
                raise _say_already_here(db, refusal) from None
            raise
        with db.unit() as s:
            added, updates = _write(s, rows, update, report)
            s.flush()
            report.check()  # the last moment a cancel can still leave the database as it was
    report.finish()
    updated = [u.client_id for u in updates]
    ids = frozenset(added) | frozenset(updated)
    return ImportResult(added, updated, Changes(clients=True, client_ids=ids), updates, skipped)


def import_clients_csv(db: Database, path: str | Path, *, update: bool = False) -> tuple[list[int], Changes]:
    """``import_clients`` for callers that want (ids added or updated, changes)."""
    result = import_clients(db, path, update=update)
    return result.added + result.updated, result.changes
