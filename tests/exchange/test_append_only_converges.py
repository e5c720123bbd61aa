"""A work-log entry changed differently on two computers swapping bundles (a helper's finding, 2026-12-01): the
append-only rule took each computer's own value, so after the swap one laptop billed 2 000 ₽ and the other 2 500,50 ₽
for the same entry, for ever. An append-only record still never conflicts, but both computers now take the same
side — the one the bundles' order keeps (``keeps_here``), as for any field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.exchange.bundle_export import export_bundle
from app.exchange.bundle_import import import_bundle
from app.persistence.models import WorkLogEntry
from app.services.worklog import EntryInput, add_entry
from app.sync.service import conflicts
from tests.exchange.test_bundle_versions import INN, carry, laptops  # noqa: F401 (the fixture)


def _amount(db) -> Decimal:
    with db.read() as s:
        return s.scalar(select(WorkLogEntry.amount).where(WorkLogEntry.note == "такси"))


def _set_amount(db, amount: str) -> None:
    with db.unit() as s:
        s.scalar(select(WorkLogEntry).where(WorkLogEntry.note == "такси")).amount = Decimal(amount)


def test_an_entry_changed_on_both_computers_ends_the_same_on_both(laptops, tmp_path):  # noqa: F811
    a, b = laptops
    add_entry(a, INN, EntryInput(kind="transfer", on_date=date(2026, 11, 2), amount=Decimal("1500"), note="такси"))
    carry(a, b, tmp_path / "0.zip")
    _set_amount(a, "2000")
    _set_amount(b, "2500.50")
    export_bundle(a, None, tmp_path / "a.zip")  # the two files cross in the post
    export_bundle(b, None, tmp_path / "b.zip")
    import_bundle(b, tmp_path / "a.zip", backup=False)
    import_bundle(a, tmp_path / "b.zip", backup=False)
    assert _amount(a) == _amount(b)
    assert conflicts(a) == [] and conflicts(b) == []  # append-only: no conflict, one value
