"""Document numbers across a team: one series per kind and year even when documents are issued offline.

The server hands out numbers: online, ``vn_next_number`` sees every document and every reserved block; a
synced laptop holds blocks of numbers reserved at each sync (``vn_reserve_numbers``) and issues offline from
them only, so two laptops never issue the same number. ``document_number`` is the hook the documents
service calls; None means "no team: number as before"."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from app.errors import UserError
from app.i18n import _
from app.persistence.models import Document, NumberBlock, Setting

KINDS = ("signoff", "estimate", "act", "progress")
BLOCK = 20
REFILL_BELOW = 5


def _synced(session: Session) -> bool:
    from app.team.users import LOGIN_KEY

    row = session.get(Setting, LOGIN_KEY)
    return row is not None and bool(row.value)


def free_in_blocks(session_or_conn, kind: str, year: int) -> tuple[int | None, int]:
    """(the next number this laptop may issue or None, how many are left) from its reserved blocks."""
    blocks = session_or_conn.execute(select(NumberBlock.first, NumberBlock.last).where(
        NumberBlock.kind == kind, NumberBlock.year == year).order_by(NumberBlock.first)).all()
    next_number, left = None, 0
    for first, last in blocks:
        used = session_or_conn.execute(select(func.max(Document.number)).where(
            Document.series == "", Document.kind == kind, Document.year == year,
            Document.number >= first, Document.number <= last)).scalar()
        candidate = (used + 1) if used else first
        if candidate <= last:
            left += last - candidate + 1
            if next_number is None:
                next_number = candidate
    return next_number, left


def document_number(session: Session, kind: str, year: int) -> int | None:
    """The number the next document of ``kind`` and ``year`` gets, or None when not in a team.

    Raises UserError on a synced laptop whose reserved numbers for that year are used up (sync first)."""
    if session.get_bind().dialect.name == "postgresql":
        has = session.execute(text("SELECT to_regprocedure('vn_next_number(text,integer)')")).scalar()
        if not has:
            return None
        return int(session.execute(text("SELECT vn_next_number(:k, :y)"), {"k": kind, "y": year}).scalar_one())
    if not _synced(session):
        return None
    number, _left = free_in_blocks(session, kind, year)
    if number is None:
        raise UserError(_("No document numbers are reserved on this laptop for {year}: connect to the team "
                          "server and sync once, then issue the document.").format(year=year))
    return number


def reserve(server: Connection, local: Connection, login: str, years: set[int]) -> int:
    """Top up this laptop's blocks (fewer than REFILL_BELOW left → one more BLOCK) for each kind and year.

    The server's reservation commits first; a crash before the laptop stores it leaves a gap in the series,
    never a duplicate. Returns how many blocks were reserved."""
    made = 0
    for year in sorted(years):
        for kind in KINDS:
            _next, left = free_in_blocks(local, kind, year)
            local.rollback()  # end the read: the block is stored in a transaction of its own
            if left >= REFILL_BELOW:
                continue
            with server.begin():
                first = int(server.execute(text("SELECT vn_reserve_numbers(:k, :y, :n)"),
                                           {"k": kind, "y": year, "n": BLOCK}).scalar_one())
            with local.begin():
                local.execute(insert(NumberBlock).values(
                    kind=kind, year=year, first=first, last=first + BLOCK - 1, next=first, login=login))
            made += 1
    return made


def years_to_reserve(server_year: int, today: date | None = None) -> set[int]:
    """The server's year and the laptop's (they differ when the laptop's clock is wrong or at New Year)."""
    return {server_year, (today or date.today()).year}
