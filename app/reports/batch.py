"""Acts of services of one month for every client with billable work: the batch `report acts` and the window run.

One act per client (``documents.billable_clients``: paid approach, work logged in the month), each issued in
its own transaction with its PDF written inside it (``files.file_target``), so what is issued is registered
and on disk, and nothing is half-done. ``cancelled()`` is asked between documents: a cancelled batch stops
before the next client and keeps everything issued so far."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from app.errors import UserError
from app.i18n import _, format_number
from app.persistence.db import Database
from app.services.changes import Changes

ISSUED, BILLED, SKIPPED = "issued", "billed", "skipped"


@dataclass(frozen=True)
class BatchLine:
    """What happened to one client (``index`` of ``total``, from 1): ``outcome`` is ISSUED (``code`` and
    ``path`` of the act), BILLED (every entry already billed by ``codes``) or SKIPPED (``reason``, then the
    refusal's ``details`` — e.g. the further values it cannot read, and the way out — and its ``cli_hint``)."""

    index: int
    total: int
    client_id: int
    client_name: str
    outcome: str
    code: str = ""
    path: Path | None = None
    reason: str = ""
    codes: tuple[str, ...] = ()
    details: tuple[str, ...] = ()
    cli_hint: str = ""


@dataclass
class ActsBatch:
    """The month's batch: ``lines`` in client order, ``total`` clients with billable work, whether the user
    cancelled it, and the Changes of what was issued (documents and billed work of those clients)."""

    start: date
    end: date
    total: int
    lines: list[BatchLine] = field(default_factory=list)
    cancelled: bool = False
    changes: Changes = field(default_factory=Changes)

    def count(self, outcome: str) -> int:
        return sum(1 for line in self.lines if line.outcome == outcome)

    @property
    def issued(self) -> int:
        return self.count(ISSUED)

    def summary(self) -> str:
        """One Russian sentence: how many acts were issued, already issued, skipped (and left when cancelled)."""
        text = _("Acts issued: {issued}, already issued: {existing}, skipped: {skipped}.").format(
            issued=format_number(self.issued), existing=format_number(self.count(BILLED)),
            skipped=format_number(self.count(SKIPPED)))
        if self.cancelled:
            text += " " + _("Cancelled: {left} of {total} clients were not processed; the acts issued stay "
                            "issued and registered.").format(
                left=format_number(self.total - len(self.lines)), total=format_number(self.total))
        return text


def _skipped(index: int, total: int, client_id: int, name: str, refusal: UserError) -> BatchLine:
    """The line of a client whose act was refused: the refusal's message, details and command-line hint."""
    return BatchLine(index, total, client_id, name, SKIPPED, reason=refusal.message, details=tuple(refusal.details),
                     cli_hint=refusal.cli_hint)


class _DraftFiles:
    """The file of one act of the batch, named after its draft once the draft exists (inside the transaction
    that prepares and issues it, ``printing.issue_act``): ``write(draft, pdf)`` writes a temporary file beside
    the target (``files.file_target``); leaving the ``with`` block without an error puts it in place, with one
    removes it. A second write (the transaction tried again) replaces the first."""

    def __init__(self, folder: Path, file_target) -> None:
        self.folder, self.file_target = folder, file_target
        self.target: Path | None = None
        self._open: Any = None

    def write(self, draft, pdf: bytes) -> None:
        self._close(RuntimeError("issued again"))  # an earlier try's file, if any: removed
        self.target = self.folder / draft.file_name()
        opened = self.file_target(self.target)
        writer = opened.__enter__()
        self._open = opened
        writer(pdf)

    def _close(self, error: BaseException | None) -> None:
        opened, self._open = self._open, None
        if opened is not None:
            opened.__exit__(type(error) if error else None, error, None)

    def __enter__(self) -> _DraftFiles:
        return self

    def __exit__(self, _kind, error, _traceback) -> None:
        self._close(error)


def issue_month_acts(db: Database, month: str, folder: Path, *, on: date | None = None, new: bool = False,
                     progress: Callable[[int, int], None] | None = None,
                     cancelled: Callable[[], bool] | None = None,
                     on_line: Callable[[BatchLine], None] | None = None) -> ActsBatch:
    """Issue the acts of ``month`` («YYYY-MM») into ``folder`` (created when missing), one per client.

    ``progress(done, total)`` after each client; ``cancelled()`` is asked before each client; ``on_line``
    hears each client's outcome as it happens. Raises UserError before anything is issued for a bad month,
    incomplete executor details or a ``folder`` that is a file. A client's own refusal (e.g. a missing
    tariff, an entry whose date or deleted flag another program wrote, an approach «ufo» in its record) skips that
    client only, with the refusal's text in its line: the batch goes on, and its summary counts it. So does a
    failure no check foresaw when the file holds values the program cannot use (``Database.unexpected_refusal``
    names them); another failure is the program's own and stops the batch (the acts issued so far stay). Every entry already billed →
    BILLED naming the acts (``NothingToBill``).
    Each act is prepared and issued in one transaction (``printing.issue_act``), with the reads no act changes
    (VAT, tariffs, rounding, the executor's details on paper) read once for the batch (``batch_reads``); ``new``
    changes nothing for acts (an act never reprints an earlier one: it bills what is left)."""
    from app.services import documents as docs
    from app.services.common import today
    from app.services.documents.batch_reads import read_batch

    start, end = docs.month_period(month)
    if end > today():  # an act is dated no earlier than its period's end and never in the future: none fits yet
        raise UserError(_("The month {month} has not ended yet: its acts can be issued from {end}.").format(
            month=start.strftime("%m.%Y"), end=end.strftime("%d.%m.%Y")))
    shared = read_batch(db)  # refuses incomplete details of the issuing person (issue 17) before any act
    if folder.exists() and not folder.is_dir():
        raise UserError(_("«{path}» is not a folder.").format(path=folder))
    clients = docs.billable_clients(db, start, end)
    batch = ActsBatch(start, end, len(clients))
    if not clients:
        return batch
    made = _new_folders(folder)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        _issue_each(db, clients, batch, folder, start, end, on, shared, progress, cancelled, on_line)
    finally:  # the folders this batch made and put no act in are not left behind (tester N, item 8)
        for made_folder in made:
            try:
                made_folder.rmdir()  # only when empty
            except OSError:
                break
    return batch


def _new_folders(folder: Path) -> list[Path]:
    """``folder`` and those of its parents that do not exist yet, deepest first."""
    made = []
    for path in (folder, *folder.parents):
        if path.exists():
            break
        made.append(path)
    return made


def _issue_each(db: Database, clients, batch: ActsBatch, folder: Path, start: date, end: date, on: date | None,
                shared, progress, cancelled, on_line) -> None:
    """The batch's acts, one client after another (``issue_month_acts``)."""
    from app.reports.printing import issue_act
    from app.services import documents as docs
    from app.services.files import file_target

    if progress is not None:
        progress(0, len(clients))
    for index, (client_id, name) in enumerate(clients, start=1):
        if cancelled is not None and cancelled():
            batch.cancelled = True
            break
        files = _DraftFiles(folder, file_target)
        try:
            with files:
                result = issue_act(db, client_id, start, end, on=on, before_commit=files.write, shared=shared)
            target = files.target
        except docs.NothingToBill as exc:
            line = BatchLine(index, len(clients), client_id, name, BILLED, codes=tuple(exc.codes))
        except UserError as exc:
            line = _skipped(index, len(clients), client_id, name, exc)
        except Exception as exc:  # a value no check named failed far from its read: this client's alone is refused
            refusal = db.unexpected_refusal(exc)  # the values the file holds that the program cannot use, named
            if refusal is None:  # no such value: a fault of the program, not of this client's data
                raise
            line = _skipped(index, len(clients), client_id, name, refusal)
        else:
            line = BatchLine(index, len(clients), client_id, name, ISSUED, code=result.code, path=target)
            batch.changes = batch.changes.merge(result.changes)
        batch.lines.append(line)
        if on_line is not None:
            on_line(line)
        if progress is not None:
            progress(index, len(clients))
