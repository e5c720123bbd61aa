"""Changing several billing settings at once: every value checked first, all saved in one transaction."""

from __future__ import annotations

from decimal import Decimal

from app.domain import comparison, pricing
from app.errors import UserError
from app.i18n import _
from app.persistence.db import Database
from app.persistence.models import Setting
from app.services.changes import Changes

UNCHANGED = object()  # the VAT rate is not touched (None itself means «Без НДС»)


def check_rounding(minutes: int | str) -> int:
    """Billing rounding per entry in minutes: 0, 15, 30 or 60 (``entry_rounding.ROUNDING_STEPS``); UserError otherwise."""
    from app.services.entry_rounding import ROUNDING_STEPS

    try:
        step = int(str(minutes).strip() or 0)
    except ValueError:
        step = -1
    if step not in ROUNDING_STEPS:
        raise UserError(_("Billing rounding must be 0 (none), 15, 30 or 60 minutes."))
    return step


def check_hours_per_day(value: Decimal | str) -> Decimal:
    """Hours in one on-site working day: 1 to 24, two decimals at most; UserError otherwise."""
    return comparison.check_hours_per_day(value)


def save_billing_settings(db: Database, *, vat: object = UNCHANGED, rounding: int | str | None = None,
                          hours_per_day: Decimal | str | None = None, force: bool = False,
                          reason: str = "") -> Changes:
    """Set any of VAT (``None`` = «Без НДС»), rounding and hours per day: all are validated before anything
    is written, then saved in one transaction, so a refused value leaves every setting as it was. A rounding
    other than the one acts in force billed with needs ``force`` and a ``reason`` (``entry_rounding.write_rounding``)."""
    from app.services.documents.executor import current_vat_rate, set_vat_from_today
    from app.services.entry_rounding import write_rounding
    from app.services.estimates import HOURS_PER_DAY_KEY
    from app.team import rights

    rights.require_admin_db(db, rights.VAT if vat is not UNCHANGED else rights.SETTINGS)  # the team's: admins only

    rate = pricing.check_vat_rate(vat) if vat is not UNCHANGED else None  # type: ignore[arg-type]
    step = check_rounding(rounding) if rounding is not None else None
    hours = check_hours_per_day(hours_per_day) if hours_per_day is not None else None
    with db.unit() as s:
        if vat is not UNCHANGED and rate != current_vat_rate(s):
            set_vat_from_today(s, rate)  # a dated VAT rule (issue 10): earlier dates keep their VAT
        if step is not None:
            write_rounding(s, step, force=force, reason=reason)
        for key, value in ((HOURS_PER_DAY_KEY, hours),):
            if value is None:
                continue
            row = s.get(Setting, key)
            if row is None:
                s.add(Setting(key=key, value=str(value)))
            else:
                row.value = str(value)
    return Changes(settings=True, estimates=True, worklog=True, clients=True, all_figures=True)


def team_settings_refusal(db: Database) -> UserError | None:
    """The refusal a change of the team's billing settings would meet here (a team laptop, signed in as no
    administrator: app/team/rights.py), or None when the signed-in person may change them. A dialog asks before it
    saves anything, so that one OK is saved whole or not at all."""
    from app.team import rights

    try:
        rights.require_admin_db(db, rights.SETTINGS)
    except UserError as exc:
        return exc
    return None
