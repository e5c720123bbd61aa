"""Dated tariffs and USD rates: ``Rates`` holding on one date, ``RateSchedule`` picking them (Decimal)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.domain.money import money
from app.errors import UserError
from app.i18n import _


@dataclass(frozen=True)
class Rates:
    """Tariffs and the USD rate valid on one date (each with the date it holds from)."""

    remote_hour: Decimal
    onsite_day: Decimal
    usd_rate: Decimal
    usd_date: date
    remote_from: date
    onsite_from: date


class RateSchedule:
    """Dated tariffs and USD rates in memory: ``on(day)`` picks the ones holding on that day."""

    def __init__(self, tariffs: dict[str, list[tuple[date, Decimal]]], usd: list[tuple[date, Decimal]]) -> None:
        self.tariffs = {kind: sorted(rows) for kind, rows in tariffs.items()}
        self.usd = sorted(usd)
        self._cache: dict[tuple[date, bool], Rates] = {}

    @staticmethod
    def _pick(rows: list[tuple[date, Decimal]], day: date, what: str, strict: bool) -> tuple[date, Decimal]:
        position = bisect.bisect_right([row[0] for row in rows], day)
        if position == 0:
            if rows and not strict:
                return rows[0]  # a lenient overview uses the earliest figure
            raise UserError(_("No {what} holds on {date}: add one valid from that date or earlier.").format(
                what=what, date=day.strftime("%d.%m.%Y")))
        return rows[position - 1]

    def on(self, day: date, strict: bool = True) -> Rates:
        key = (day, strict)
        if key not in self._cache:
            remote_from, remote = self._pick(self.tariffs.get("remote_hour", []), day,
                                             _("remote hourly tariff"), strict)
            onsite_from, onsite = self._pick(self.tariffs.get("onsite_day", []), day,
                                             _("on-site daily tariff"), strict)
            usd_from, usd = self._pick(self.usd, day, _("USD exchange rate"), strict)
            self._cache[key] = Rates(remote_hour=money(remote), onsite_day=money(onsite), usd_rate=money(usd),
                                     usd_date=usd_from, remote_from=remote_from, onsite_from=onsite_from)
        return self._cache[key]

    def lenient(self, day: date) -> Rates:
        return self.on(day, strict=False)

    def remote(self, day: date, strict: bool = True) -> tuple[date, Decimal]:
        """Only the hourly tariff holding on ``day`` (its start, the rate): what a remote act needs."""
        start, rate = self._pick(self.tariffs.get("remote_hour", []), day, _("remote hourly tariff"), strict)
        return start, money(rate)

    def onsite(self, day: date, strict: bool = True) -> tuple[date, Decimal]:
        """Only the daily tariff holding on ``day``."""
        start, rate = self._pick(self.tariffs.get("onsite_day", []), day, _("on-site daily tariff"), strict)
        return start, money(rate)

    def usd_on(self, day: date, strict: bool = True) -> tuple[date, Decimal] | None:
        """The USD rate holding on ``day``; None when there is none (an act does not need it)."""
        try:
            start, rate = self._pick(self.usd, day, _("USD exchange rate"), strict)
        except UserError:
            return None
        return start, money(rate)
