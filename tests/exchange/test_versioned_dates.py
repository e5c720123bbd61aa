"""Dates in a versioned (format-2) file: a clock wrong by a year on the writer's side and another on ours
changes nothing; a date no such clock could write is still refused, in Russian (app/exchange/validate.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from app.exchange.bundle_error import BundleError
from app.exchange.changeset import Changeset
from app.exchange.row_change import RowChange
from app.exchange.validate import check_changeset

NOW = datetime(2026, 12, 1, 5, 15)
CLIENT = "00000000-0000-4000-8000-000000000001"


def _check(db, table: str, values: dict, *, updated_at: datetime = NOW, versioned: bool = True) -> None:
    rows = [RowChange("client", "upsert", CLIENT, NOW, {"name": "ООО «Ромашка»", "inn": "7707083893",
                                                        "approach": "remote"})]
    if table == "client":
        rows = [RowChange("client", "upsert", CLIENT, updated_at, {**rows[0].values, **values})]
        tables = {"client": rows}
    else:
        tables = {"client": rows, table: [RowChange(table, "upsert", "00000000-0000-4000-8000-000000000002",
                                                    updated_at, {"client_uuid": CLIENT, **values})]}
    with db.read() as s:
        check_changeset(s, Changeset(tables=tables), made_at=NOW, now=NOW - timedelta(days=365),
                        versioned=versioned)


TWO_YEARS = timedelta(days=2 * 365)


@pytest.mark.parametrize("table,values,updated_at", [
    ("client", {}, NOW + TWO_YEARS),  # written a year ahead, read a year behind
    ("client", {"created_at": NOW + TWO_YEARS}, NOW),
    ("checklist_state", {"code": "s1.lessons", "done": True, "done_on": (NOW + TWO_YEARS).date()}, NOW),
    ("work_log", {"on_date": (NOW + TWO_YEARS).date(), "kind": "conference", "minutes": 30}, NOW),
    ("document", {"kind": "act", "number": 1, "year": 2028, "issued_on": date(2028, 11, 30)}, NOW),
], ids=["updated_at", "created_at", "tick", "work", "document"])
def test_a_date_two_years_ahead_is_merged(db, table, values, updated_at):
    _check(db, table, values, updated_at=updated_at)


@pytest.mark.parametrize("table,values,updated_at,shown", [
    ("client", {}, datetime(2199, 1, 1), "01.01.2199 00:00"),
    ("checklist_state", {"code": "s1.lessons", "done": True, "done_on": date(2199, 1, 1)}, NOW, "01.01.2199"),
], ids=["updated_at", "tick"])
def test_a_date_no_wrong_clock_could_write_is_refused_in_russian(db, table, values, updated_at, shown):
    with pytest.raises(BundleError) as err:
        _check(db, table, values, updated_at=updated_at)
    assert f"{shown} — более чем на два года позже и часов этого компьютера, и времени создания файла" \
        in err.value.message


def test_the_old_format_still_refuses_a_stamp_after_the_file(db):
    with pytest.raises(BundleError) as err:
        _check(db, "client", {"created_at": NOW + timedelta(days=1)}, versioned=False)
    assert "позже, чем создан файл" in err.value.message
