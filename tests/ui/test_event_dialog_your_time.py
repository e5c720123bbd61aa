"""The event form showed the start on the client's clock only (tester K, item 7): the specialist worked out +8 h by
hand for a Vladivostok call from Kaliningrad, and a night start on either side went unsaid."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from app.domain.schedule import working_start_in, your_time_text

KALININGRAD = ZoneInfo("Europe/Kaliningrad")


def test_your_time_and_night_on_either_side():
    assert your_time_text(datetime(2026, 12, 16, 16, 0), "Asia/Vladivostok", KALININGRAD) == \
        "У вас: 16.12.2026 08:00 (Europe/Kaliningrad)"
    assert your_time_text(datetime(2026, 12, 16, 10, 0), "Asia/Vladivostok", KALININGRAD) == \
        "У вас: 16.12.2026 02:00 (Europe/Kaliningrad) — ⚠ у вас ночь"
    assert your_time_text(datetime(2026, 12, 17, 5, 0), "Asia/Vladivostok", KALININGRAD) == \
        "У вас: 16.12.2026 21:00 (Europe/Kaliningrad) — ⚠ у заказчика ночь"
    assert your_time_text(datetime(2026, 12, 16, 10, 0), "Владивосток", KALININGRAD) == ""  # refused on saving


def test_the_suggested_start_is_in_working_hours():
    now = datetime(2026, 12, 7, 21, 0, tzinfo=UTC)  # Monday: 02:00 on Tuesday in Samara
    assert working_start_in("Europe/Samara", now, KALININGRAD) == datetime(2026, 12, 8, 10, 0)  # 08:00 here
    assert working_start_in("Europe/Samara", now, ZoneInfo("Europe/Samara")) == datetime(2026, 12, 8, 9, 0)
    assert working_start_in("Europe/Moscow", datetime(2026, 12, 8, 10, 20, tzinfo=UTC), KALININGRAD) == \
        datetime(2026, 12, 8, 14, 0)  # within today's hours: the next hour


def test_the_dialog_shows_your_time_as_the_start_and_the_zone_change(qtbot, zone):
    from ui.dialogs.plan.event_dialog import EventDialog, _to_qdatetime

    with time_machine.travel(datetime(2026, 12, 7, 21, 0, tzinfo=UTC), tick=False):
        zone("Europe/Kaliningrad")  # (a travel to an aware moment sets its own TZ)
        dialog = EventDialog([(1, "ООО «Восток»")], [], lambda _cid: [], lambda _cid, _data: None, client_id=1,
                             zone_of=lambda _cid: "Asia/Vladivostok")
        qtbot.addWidget(dialog)
        dialog.start.setDateTime(_to_qdatetime(datetime(2026, 12, 16, 16, 0)))
        assert dialog.your_time.text() == "У вас: 16.12.2026 08:00 (Europe/Kaliningrad)"
        dialog.zone.setCurrentText("Europe/Moscow")
        assert dialog.your_time.text() == "У вас: 16.12.2026 15:00 (Europe/Kaliningrad)"
        dialog.start.setDateTime(_to_qdatetime(datetime(2026, 12, 16, 23, 30)))
        assert dialog.your_time.text() == "У вас: 16.12.2026 22:30 (Europe/Kaliningrad) — ⚠ у вас ночь, у заказчика ночь"


@pytest.mark.parametrize("typed", ["Владивосток", "владивосток", "asia/vladivostok"])
def test_a_zone_typed_as_a_city_or_in_lower_case_gives_your_time_and_its_night(qtbot, zone, typed):
    """The field takes «Владивосток» (saved as Asia/Vladivostok), but «У вас: …» and its night flags went empty for
    it (tester M): 10:00 in Vladivostok is 02:00 in Kaliningrad."""
    from ui.dialogs.plan.event_dialog import EventDialog, _to_qdatetime

    with time_machine.travel(datetime(2026, 12, 7, 21, 0, tzinfo=UTC), tick=False):
        zone("Europe/Kaliningrad")
        dialog = EventDialog([(1, "ООО «Восток»")], [], lambda _cid: [], lambda _cid, _data: None, client_id=1,
                             zone_of=lambda _cid: "Europe/Moscow")
        qtbot.addWidget(dialog)
        dialog.zone.setCurrentText(typed)
        dialog.start.setDateTime(_to_qdatetime(datetime(2026, 12, 16, 10, 0)))
        assert dialog.your_time.text() == "У вас: 16.12.2026 02:00 (Europe/Kaliningrad) — ⚠ у вас ночь"
