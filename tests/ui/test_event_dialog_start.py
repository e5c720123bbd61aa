"""A new event's form suggests the next hour of the client's clock, in the zone it shows (a fresh tester,
2026-12-05: it suggested the next hour of this computer's clock, labelled as the client's — for a Vladivostok
client seven hours in the past — and saving made an event overdue at once)."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine

from app.domain.schedule import next_hour_in

NOW = datetime(2026, 12, 5, 12, 20, tzinfo=UTC)  # 15:20 in Moscow, 22:20 in Vladivostok


def test_next_hour_in_a_zone():
    assert next_hour_in("Asia/Vladivostok", NOW) == datetime(2026, 12, 5, 23, 0)
    assert next_hour_in("Europe/Moscow", NOW) == datetime(2026, 12, 5, 16, 0)
    assert next_hour_in("Asia/Vladivostok", datetime(2026, 12, 5, 14, 30, tzinfo=UTC)) == datetime(2026, 12, 6, 1, 0)


def test_the_suggested_start_follows_the_clients_zone_until_the_user_picks_one(qtbot, zone):
    """In working hours now (tester K: «the next hour» was 02:00 at night for a Samara client): Saturday 12:20 UTC
    on a UTC computer gives Monday 09:00 in Vladivostok (no hour is working time on both clocks) and Monday 11:00
    in Moscow (08:00 here)."""
    from ui.dialogs.plan.event_dialog import EventDialog, _from_qdatetime, _to_qdatetime

    zones = {1: "Asia/Vladivostok", 2: "Europe/Moscow"}
    with time_machine.travel(NOW, tick=False):
        zone("UTC")
        dialog = EventDialog([(1, "ООО «Восток»"), (2, "ООО «Центр»")], [], lambda _cid: [],
                             lambda _cid, _data: None, client_id=1, zone_of=zones.__getitem__)
        qtbot.addWidget(dialog)
        assert dialog.zone.currentText() == "Asia/Vladivostok"
        assert _from_qdatetime(dialog.start.dateTime()) == datetime(2026, 12, 7, 9, 0)
        dialog.client.setCurrentIndex(1)
        assert (dialog.zone.currentText(), _from_qdatetime(dialog.start.dateTime())) == (
            "Europe/Moscow", datetime(2026, 12, 7, 11, 0))
        dialog.start.setDateTime(_to_qdatetime(datetime(2026, 12, 8, 10, 0)))  # the user's choice
        dialog.client.setCurrentIndex(0)
        assert _from_qdatetime(dialog.start.dateTime()) == datetime(2026, 12, 8, 10, 0)
