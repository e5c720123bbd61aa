"""Stage times are stored in UTC and shown in local time: a fixed time zone (UTC+3) shows the shift."""

import os
import time
from datetime import date, datetime

import pytest
from sqlalchemy import update

from app.domain.timeutil import local_date, to_local
from app.persistence.models import Client, StageEvent
from app.services import clients as client_service
from app.services import progress
from app.services.client_list import list_clients

STORED = datetime(2024, 7, 1, 22, 30)  # UTC: already 2 July, 01:30 in Moscow


@pytest.fixture
def moscow():
    """UTC+3 without DST, as a POSIX TZ string (no tzdata needed)."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "MSK-3"
    time.tzset()
    yield
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()


def test_to_local_shifts_naive_utc(moscow):
    assert to_local(STORED) == datetime(2024, 7, 2, 1, 30)
    assert local_date(STORED) == date(2024, 7, 2)


def test_local_date_follows_a_time_zone_change(moscow):
    assert local_date(STORED) == date(2024, 7, 2)
    os.environ["TZ"] = "UTC0"
    time.tzset()
    assert local_date(STORED) == date(2024, 7, 1)


def test_history_and_days_in_stage_are_local(db, moscow):
    client_id = client_service.add_client(db, client_service.ClientInput(name="ООО «Ромашка»", inn="7707083893",
                                                                        approach="remote"))
    progress.move_stage(db, client_id, 1, force=True, reason="тест")
    with db.unit() as s:
        s.execute(update(StageEvent).where(StageEvent.client_id == client_id).values(at=STORED))
        s.execute(update(Client).where(Client.id == client_id).values(stage_since=STORED))
    details = client_service.get_client(db, client_id)
    assert [row.at for row in details.history] == [datetime(2024, 7, 2, 1, 30)]
    assert details.stage_since == datetime(2024, 7, 2, 1, 30)
    [summary] = list_clients(db, ids=[client_id])
    assert summary.stage_since_local == datetime(2024, 7, 2, 1, 30)
    # moved at 01:30 local on 2 July: on 2 July that is 0 days, not 1 (the UTC date is 1 July)
    assert summary.days_in_stage(date(2024, 7, 2)) == 0
    assert summary.days_in_stage(date(2024, 7, 12)) == 10
