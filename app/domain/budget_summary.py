"""A client's estimate against its billed work (BudgetSummary): a value the kanban, the header and the card show.

No database library here: the window's first screen imports it before SQLAlchemy (app.services.budget fills it)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


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
    # work-log entries whose minutes, days or amount the program cannot use (another program wrote a word there):
    # the figures leave them out, so nothing is compared (no «over budget», no percent) while there are any
    unreadable: int = 0

    @property
    def comparable(self) -> bool:
        return self.has_estimate and not self.unreadable

    @property
    def over_budget(self) -> bool:
        return self.comparable and self.actual_total > self.planned_total

    @property
    def hours_over(self) -> bool:
        return self.comparable and self.actual_hours > self.planned_hours

    @property
    def days_over(self) -> bool:
        return self.comparable and self.actual_days > self.planned_days

    @property
    def used_percent(self) -> int | None:
        """Share of the planned money already billed (None without an estimate or for a free plan)."""
        if not self.comparable or not self.planned_total:
            return None
        return int((self.actual_total * 100 / self.planned_total).to_integral_value())
