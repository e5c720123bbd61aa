"""Tariffs and exchange rates by date: which figures hold on a given day."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.pricing import Rates
from app.errors import UserError
from app.i18n import _
from app.persistence.db import Database
from app.persistence.models import ExchangeRate, Tariff


class RateTable:
    """All tariffs and rates loaded once (two queries), answering ``on(date)`` in memory."""

    def __init__(self, s: Session) -> None:
        self.tariffs: dict[str, list[tuple[date, object]]] = {}
        for t in s.scalars(select(Tariff).order_by(Tariff.valid_from)):
            self.tariffs.setdefault(t.kind, []).append((t.valid_from, t.rate))
        self.usd = [(r.valid_from, r.rate) for r in
                    s.scalars(select(ExchangeRate).where(ExchangeRate.currency == "USD").order_by(ExchangeRate.valid_from))]

    @staticmethod
    def _pick(rows, on: date, what: str):
        valid = [row for row in rows if row[0] <= on]
        if not valid:
            raise UserError(_("No {what} holds on {date}: add one valid from that date or earlier.").format(
                what=what, date=on.strftime("%d.%m.%Y")))
        return valid[-1]

    def on(self, day: date) -> Rates:
        remote_from, remote = self._pick(self.tariffs.get("remote_hour", []), day, _("remote hourly tariff"))
        onsite_from, onsite = self._pick(self.tariffs.get("onsite_day", []), day, _("on-site daily tariff"))
        usd_from, usd = self._pick(self.usd, day, _("USD exchange rate"))
        return Rates(remote_hour=remote, onsite_day=onsite, usd_rate=usd, usd_date=usd_from,
                     remote_from=remote_from, onsite_from=onsite_from)


def rate_table(db: Database) -> RateTable:
    with db.read() as s:
        return RateTable(s)


def rates_on(db: Database, day: date) -> Rates:
    return rate_table(db).on(day)
