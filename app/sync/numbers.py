"""Document numbers across a team: one series per kind and year even when documents are issued offline.

The server hands out numbers: online, ``vn_next_number`` sees every document and every reserved block; a
synced laptop holds blocks of numbers reserved at each sync (``vn_reserve_numbers``) and issues offline from
them only, so two laptops never issue the same number. ``document_number`` is the hook the documents
service calls; None means "no team: number as before"."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.errors import UserError
from app.i18n import _
from app.persistence.models import Document, NumberBlock, Setting
from app.team.pg_refusals import sqlstate

# vn_reserve_numbers (app/team/server.py) with no numbers to give: past the integer range (also an older server
# whose function added past it), or too many unused blocks of this login
NO_NUMBERS_STATES = ("22003", "54000")

KINDS = ("signoff", "estimate", "act", "progress")
BLOCK = 20
REFILL_BELOW = 5


def _synced(session: Session) -> bool:
    from app.team.users import LOGIN_KEY

    row = session.get(Setting, LOGIN_KEY)
    return row is not None and bool(row.value)


def free_in_blocks(session_or_conn, kind: str, year: int, above: int = 0) -> tuple[int | None, int]:
    """(the next number this laptop may issue or None, how many are left) from its reserved blocks: past the
    documents it holds, past the block's ``next`` (set by a restore) and past ``above`` (app/sync/issued_marks.py: a
    file put back by hand): a number is never given twice."""
    blocks = session_or_conn.execute(select(NumberBlock.first, NumberBlock.last, NumberBlock.next).where(
        NumberBlock.kind == kind, NumberBlock.year == year).order_by(NumberBlock.first)).all()
    next_number, left = None, 0
    for first, last, marked in blocks:
        used = session_or_conn.execute(select(func.max(Document.number)).where(
            Document.series == "", Document.kind == kind, Document.year == year,
            Document.number >= first, Document.number <= last)).scalar()
        # ``next``: how far the block was used before a restore put older data back (app/sync/number_marks.py)
        candidate = max((used + 1) if used else first, marked or first, above + 1)
        if candidate <= last:
            left += last - candidate + 1
            if next_number is None:
                next_number = candidate
    return next_number, left


def document_number(session: Session, kind: str, year: int, above: int = 0) -> int | None:
    """The number the next document of ``kind`` and ``year`` gets, or None when not in a team; on a laptop it is
    marked taken in its block (``NumberBlock.next``) in the caller's transaction, which issues the document.

    Raises UserError on a synced laptop whose reserved numbers for that year are used up (sync first)."""
    if session.get_bind().dialect.name == "postgresql":
        has = session.execute(text("SELECT to_regprocedure('vn_next_number(text,integer)')")).scalar()
        if not has:
            return None
        try:
            return int(session.execute(text("SELECT vn_next_number(:k, :y)"), {"k": kind, "y": year}).scalar_one())
        except DBAPIError as exc:
            if sqlstate(exc) in NO_NUMBERS_STATES:
                raise numbers_used_up(kind, year) from None
            raise
    if not _synced(session):
        return None
    number, _left = free_in_blocks(session, kind, year, above)  # above: issued here already (issued_marks)
    if number is None:
        raise UserError(_("No document numbers are reserved on this laptop for {year}: connect to the team "
                          "server and sync once, then issue the document.").format(year=year))
    # the number is taken in its block, whatever becomes of the document: one handed to a colleague with its
    # client leaves this file, one the sync put under this installation's series leaves the block's count, and
    # either gave its number again (the trial 17j: «АУ-1/2026» a second and a third time, the sync then stopped)
    session.execute(update(NumberBlock).where(
        NumberBlock.kind == kind, NumberBlock.year == year, NumberBlock.first <= number, NumberBlock.last >= number,
        NumberBlock.next <= number).values(next=number + 1))
    return number


def reserve(server: Connection, local: Connection, login: str, years: set[int]) -> int:
    """Top up this laptop's blocks (fewer than REFILL_BELOW left → one more BLOCK) for each kind and year.

    The server's reservation commits first; a crash before the laptop stores it leaves a gap in the series,
    never a duplicate. Returns how many blocks were reserved. Raises UserError (:func:`numbers_used_up`) when the
    server has no numbers left to give for a kind and year, or refuses this login one more unused block."""
    made = 0
    for year in sorted(years):
        for kind in KINDS:
            _next, left = free_in_blocks(local, kind, year)
            local.rollback()  # end the read: the block is stored in a transaction of its own
            if left >= REFILL_BELOW:
                continue
            try:
                with server.begin():
                    first = int(server.execute(text("SELECT vn_reserve_numbers(:k, :y, :n)"),
                                               {"k": kind, "y": year, "n": BLOCK}).scalar_one())
            except DBAPIError as exc:
                if sqlstate(exc) in NO_NUMBERS_STATES:
                    raise numbers_used_up(kind, year) from None
                raise
            with local.begin():
                local.execute(insert(NumberBlock).values(
                    kind=kind, year=year, first=first, last=first + BLOCK - 1, next=first, login=login))
            made += 1
    return made


def numbers_used_up(kind: str, year: int) -> UserError:
    """The server gives no more numbers of ``kind`` (a code of KINDS) for ``year``: its series has reached the
    integer range (a block taken far ahead) or this login holds too many unused blocks. An administrator frees
    them (docs/sync.md «Document numbers used up»); until then the sync stops here with this sentence."""
    from app.services.documents.kinds import KIND_TITLES_UI

    title = _(KIND_TITLES_UI[kind]) if kind in KIND_TITLES_UI else kind
    return UserError(_("The team server gives no more numbers of the document «{kind}» for {year}: its numbers "
                       "were reserved far ahead or this login holds too many unused blocks of them. Ask an "
                       "administrator of the team to delete those blocks (docs/sync.md «Document numbers used "
                       "up»), then sync again.").format(kind=title, year=year))


def years_to_reserve(server_year: int, today: date | None = None) -> set[int]:
    """The server's year and the laptop's (they differ when the laptop's clock is wrong or at New Year); a
    laptop's year the server would refuse (before 2000, after the server's next year: a clock far off) is left
    out — documents of such a year cannot be numbered from the team's series anyway."""
    years = {server_year, (today or date.today()).year}
    return {y for y in years if 2000 <= y <= server_year + 1}
