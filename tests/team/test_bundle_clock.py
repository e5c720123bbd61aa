"""A laptop whose clock ran a year ahead wrote its dates into the team's records; the server keeps them as
written. Every laptop holding those records must still exchange bundles (issue 17, trial of 05:15: «Файл
содержит недопустимую запись: Заказчик …: поле «время изменения»: 01.12.2027 05:02 — позже, чем создан
файл. Ничего не импортировано.»): a versioned bundle merges by versions, a year-off clock changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from app.exchange.bundle_export import export_bundle
from app.exchange.bundle_import import import_bundle
from app.persistence.models import ChecklistState, Client, StageEvent, WorkLogEntry
from app.services.progress import advance, set_checklist
from app.services.worklog import EntryInput, add_entry
from app.sync.service import sync_once

pytestmark = pytest.mark.postgres

INN = "7707083893"
YEAR = timedelta(days=365)


def _a_year_ahead(db) -> date:
    """On ``db`` under a clock a year ahead: the card edited, an item ticked, a stage moved and work logged on
    that laptop's «today»; returns that day."""
    with time_machine.travel(datetime.now(UTC) + YEAR, tick=True):
        ahead = date.today()
        with db.unit() as s:
            s.scalar(select(Client).where(Client.inn == INN)).city = "Подольск"
        set_checklist(db, INN, ["s1.lessons"], True)
        advance(db, INN)
        add_entry(db, INN, EntryInput(kind="conference", on_date=ahead, minutes=30, note="из будущего"))
    return ahead


def _dates(db) -> dict:
    with db.read() as s:
        client = s.scalar(select(Client).where(Client.inn == INN))
        return {"city": client.city, "client": client.updated_at.year,
                "tick": s.scalar(select(ChecklistState.done_on).where(ChecklistState.code == "s1.lessons")),
                "move": max(e.at for e in s.scalars(select(StageEvent))).year,
                "work": s.scalar(select(WorkLogEntry.on_date).where(WorkLogEntry.note == "из будущего"))}


@pytest.mark.parametrize("importer_clock", [timedelta(0), -YEAR], ids=["right-clock", "a-year-behind"])
def test_records_stamped_by_a_clock_a_year_ahead_travel_on_in_bundles(server, entry_pair, tmp_path,
                                                                       importer_clock):
    from app.persistence.db import open_database

    a, b, _ann, _boss = entry_pair
    ahead = _a_year_ahead(a)
    sync_once(a)  # the server keeps what the laptop wrote
    sync_once(b)  # B's clock is right; it holds the year-ahead stamps now
    expected = {"city": "Подольск", "client": ahead.year, "tick": ahead, "move": ahead.year, "work": ahead}
    assert _dates(b) == expected
    export_bundle(b, None, tmp_path / "b.zip")  # made now, by a right clock

    c = open_database(f"sqlite:///{tmp_path / 'c.sqlite3'}")  # a laptop with no server (its clock: right, or
    try:                                                       # a year behind)
        with time_machine.travel(datetime.now(UTC) + importer_clock, tick=True):
            report = import_bundle(c, tmp_path / "b.zip", backup=False).report
        assert report.refused == []
        assert _dates(c) == expected
    finally:
        c.dispose()
