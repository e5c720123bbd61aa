"""What a batch of acts reads once: the reads no act of the batch changes (the month's acts, issue 15)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.persistence.db import Database
from app.persistence.models import Base, ExchangeRate, Executor, Tariff, VatRate
from app.services.documents import common as c
from app.services.documents.executor import ExecutorDetails, details_in, require_on_paper
from app.services.tariffs import RateTable, VatTable


@dataclass(frozen=True)
class BatchReads:
    """The VAT rules, the tariffs and USD rates, the rounding step (minutes), the executor's details as a document
    prints them (checked complete) and the demo mark, read once for a batch of acts (``read_batch``) and used by
    every act of it (``act.prepare_in(shared=…)``): each act read them again, ~5 ms an act of the month's batch.

    The acts of one batch are billed and signed alike: a tariff or the executor's details changed in another
    window while the batch runs apply from the next batch (the register's numbers and each act's entries are
    still read in the act's own transaction)."""

    vat: VatTable
    rates: RateTable
    step: int
    executor: ExecutorDetails
    demo: bool


def read_batch(db: Database) -> BatchReads:
    """The batch's reads in one read transaction (``reads_in``), before any act is issued."""
    with db.read() as s:
        return reads_in(s)


def reads_in(s: Session) -> BatchReads:
    """The reads of one act, or of a batch, in the caller's session. Raises what ``executor.require_on_paper``
    raises (``ExecutorDetailsMissing``, a team member without a position)."""
    from app.persistence.damaged import refuse_damaged
    from app.services.demo_workspace import is_demo_session

    # the executor's details, tariffs, USD rates and VAT as stored (a few rows): a value another program wrote that
    # no reader can use is named here, before any act — not a failure far away in every client's act of a batch
    if s.get_bind().dialect.name == "sqlite":
        refuse_damaged(s.connection(), [Base.metadata.tables[model.__tablename__]
                                        for model in (Executor, Tariff, ExchangeRate, VatRate)])
    vat = VatTable(s)  # read once: the executor's rate and the act's lines
    executor = require_on_paper(s, details_in(s, vat=vat))
    return BatchReads(vat, RateTable(s), c.rounding_step(s), executor, is_demo_session(s))
