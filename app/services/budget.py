"""Estimate against actual per client. INTERFACE STUB: the calculator/work-log issue implements it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.persistence.db import Database


@dataclass(frozen=True)
class BudgetSummary:
    client_id: int
    planned_total: Decimal  # of the client's latest saved estimate, 0 when none
    actual_total: Decimal  # billed from the work log with the tariffs of each entry's date
    planned_hours: Decimal
    actual_hours: Decimal
    planned_days: Decimal
    actual_days: Decimal
    has_estimate: bool

    @property
    def over_budget(self) -> bool:
        return self.has_estimate and self.actual_total > self.planned_total


def budget_summaries(db: Database, client_ids: list[int] | None = None) -> dict[int, BudgetSummary]:
    """Per client, in a constant number of SQL statements whatever the number of clients."""
    return {}
