"""Estimates: pricing with dated tariffs, VAT and hours-per-day settings, comparison, saving per client."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.comparison import DEFAULT_HOURS_PER_DAY, Comparison, check_hours_per_day, compare
from app.domain.estimate import EstimateInput, check_estimate_input, estimate, relevant_input
from app.domain.pricing import Quote
from app.domain.quotes import in_quotes
from app.domain.rates import RateSchedule
from app.domain.stages import KNOWN_APPROACHES, parse_approach
from app.domain.validation import clean_multiline
from app.domain.vat import VatRule, VatSchedule, check_vat_rate
from app.errors import UserError
from app.i18n import _
from app.persistence.db import Database
from app.persistence.models import Estimate, Setting
from app.services.changes import Changes
from app.services.common import find_client, today
from app.services.tariffs import RateTable, VatTable

HOURS_PER_DAY_KEY = "hours_per_day"


@dataclass(frozen=True)
class PricingContext:
    """Everything pricing needs, loaded in one go so a calculator can recompute on every keystroke."""

    rates: RateSchedule
    vat: VatSchedule  # dated VAT rules: an estimate uses the rule of its own date
    hours_per_day: Decimal

    def vat_on(self, day: date) -> VatRule:
        return self.vat.on(day)

    @property
    def vat_rate(self) -> Decimal | None:
        """The VAT rate in force today (None without VAT)."""
        rule = self.vat.on(today())
        return None if rule.mode == "none" else rule.rate

    def quote(self, approach: str, data: EstimateInput, on: date) -> Quote:
        return estimate(parse_approach(approach), data, self.rates.on(on), on, self.vat.on)

    def compare(self, data: EstimateInput, on: date, hours_per_day: Decimal | None = None) -> Comparison:
        return compare(data, self.rates.on(on), on, hours_per_day or self.hours_per_day, self.vat.on)


def _vat(s: Session) -> Decimal | None:
    from app.services.documents.executor import current_vat_rate

    return current_vat_rate(s)


def _hours_per_day(s: Session) -> Decimal:
    row = s.get(Setting, HOURS_PER_DAY_KEY)
    try:
        value = Decimal(row.value) if row is not None and row.value else DEFAULT_HOURS_PER_DAY
    except ArithmeticError:
        value = DEFAULT_HOURS_PER_DAY
    return value if Decimal(1) <= value <= Decimal(24) else DEFAULT_HOURS_PER_DAY


def load_context(s: Session) -> PricingContext:
    return PricingContext(RateTable(s), VatTable(s), _hours_per_day(s))


def pricing_context(db: Database) -> PricingContext:
    """Tariffs, USD rates, VAT and hours per day (four queries)."""
    with db.read() as s:
        return load_context(s)


def quote(db: Database, approach: str, data: EstimateInput, on: date | None = None) -> Quote:
    """Price planned work with the tariffs and USD rate of ``on`` (default today) and the VAT setting."""
    return pricing_context(db).quote(approach, data, on or today())


def compare_approaches(db: Database, data: EstimateInput, on: date | None = None,
                       hours_per_day: Decimal | None = None) -> Comparison:
    return pricing_context(db).compare(data, on or today(), hours_per_day)


# ------------------------------------------------------------------ settings


def vat_rate(db: Database) -> Decimal | None:
    """The VAT rate in force today: None means «Без НДС» (dated rules: app.services.tariffs.set_vat)."""
    with db.read() as s:
        return _vat(s)


def set_vat_rate(db: Database, value: Decimal | str | None) -> Changes:
    """VAT included in prices at ``value`` percent from today (None / empty = «Без НДС»); the very first setting
    holds from 01.01.2000. Earlier dates keep their VAT; dated rules with all modes: tariffs.set_vat."""
    from app.services.documents.executor import set_vat_shortcut

    return set_vat_shortcut(db, check_vat_rate(value))


def hours_per_day(db: Database) -> Decimal:
    with db.read() as s:
        return _hours_per_day(s)


def set_hours_per_day(db: Database, value: Decimal | str) -> Changes:
    """Hours in one on-site working day, used to compare approaches (default 8)."""
    from app.team import rights

    rights.require_admin_db(db, rights.SETTINGS)  # team-wide data: the team's administrator only
    hours = check_hours_per_day(value)
    with db.unit() as s:
        row = s.get(Setting, HOURS_PER_DAY_KEY)
        if row is None:
            s.add(Setting(key=HOURS_PER_DAY_KEY, value=str(hours)))
        else:
            row.value = str(hours)
    return Changes(settings=True, estimates=True)


# ------------------------------------------------------------------ saved estimates


@dataclass(frozen=True)
class SavedEstimate:
    id: int
    client_id: int
    approach: str
    on_date: date
    input: EstimateInput
    total: Decimal
    note: str
    saved_at: datetime


def _saved(row: Estimate) -> SavedEstimate:
    if row.approach not in KNOWN_APPROACHES:  # another program wrote it: named, not taken for the user's typing
        from sqlalchemy.orm import object_session

        from app.persistence.damaged import value_refusal

        session = object_session(row)
        assert session is not None  # rows come from a query of the caller's session
        raise value_refusal("estimate", row.id, "approach", row.approach, session.get_bind())
    data = EstimateInput(conference_hours=row.conference_hours, question_hours=row.question_hours,
                         control_hours=row.control_hours, days=row.days, transfer=row.transfer,
                         lodging=row.lodging)
    return SavedEstimate(row.id, row.client_id, row.approach, row.on_date, data, row.total, row.note,
                         row.updated_at)


@dataclass(frozen=True)
class EstimateStart:
    """What the calculator shows on opening a client."""

    client_id: int
    client_name: str
    approach: str  # the client's own approach
    saved: SavedEstimate | None  # the latest saved estimate


def estimate_start(db: Database, client_ref: int | str) -> EstimateStart:
    """The client's name, approach and latest saved estimate (two queries)."""
    with db.read() as s:
        client = find_client(s, client_ref)
        row = s.scalar(select(Estimate).where(Estimate.client_id == client.id)
                       .order_by(Estimate.id.desc()).limit(1))
        return EstimateStart(client.id, client.name, client.approach, None if row is None else _saved(row))


def save_estimate(db: Database, client_ref: int | str, approach: str, data: EstimateInput,
                  on: date | None = None, note: str = "") -> Changes:
    """Save the calculator's figures as the client's estimate (the plan the budget compares against)."""
    approach_value = parse_approach(approach).value
    text = clean_multiline(note, _("Note"), max_len=2000, paper=True)  # printed on the estimate
    on = on or today()
    with db.unit() as s:
        client = find_client(s, client_ref)
        result = load_context(s).quote(approach_value, data, on)
        clean = relevant_input(approach_value, check_estimate_input(data))
        s.add(Estimate(client_id=client.id, approach=approach_value, on_date=on,
                       conference_hours=clean.conference_hours, question_hours=clean.question_hours,
                       control_hours=clean.control_hours, days=clean.days, transfer=clean.transfer,
                       lodging=clean.lodging, total=result.total, note=text))
        client_id = client.id
    return Changes(estimates=True, clients=True, client_ids=frozenset({client_id}))


def latest_estimate(db: Database, client_ref: int | str) -> SavedEstimate | None:
    """The client's most recently saved estimate, or None."""
    with db.read() as s:
        client = find_client(s, client_ref)
        row = s.scalar(select(Estimate).where(Estimate.client_id == client.id)
                       .order_by(Estimate.id.desc()).limit(1))
        return None if row is None else _saved(row)


def estimate_quote(db: Database, client_ref: int | str) -> tuple[SavedEstimate, Quote]:
    """The client's latest estimate priced again with the tariffs of its own date (same figures forever)."""
    with db.read() as s:
        client = find_client(s, client_ref)
        row = s.scalar(select(Estimate).where(Estimate.client_id == client.id)
                       .order_by(Estimate.id.desc()).limit(1))
        if row is None:
            raise UserError(_("The client «{name}» has no saved estimate yet: make one in the calculator.").format(
                name=in_quotes(client.name)))
        saved = _saved(row)
        return saved, load_context(s).quote(saved.approach, saved.input, saved.on_date)
