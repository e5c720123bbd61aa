"""What a user types, read as meant (tester K, 2026-12-05): a search typed with a dash or in the list's own
«Ромашка, ООО» form; an event's zone typed as a city or an IANA name in lower case."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.domain.normalize import fold, search_tokens
from app.domain.schedule import zone_name
from app.errors import UserError
from app.services import plan, plan_read
from app.services.event_input import EventInput


@pytest.mark.parametrize(("typed", "words"), [
    ("Кубань-Агромаш", ("кубань", "агромаш")),
    ("кубань — агромаш", ("кубань", "агромаш")),
    ("Без-города", ("без", "города")),
    ("Уральский завод металлоконструкций, ООО", ("уральский", "завод", "металлоконструкций", "ооо")),
    ("Тульский, АО", ("тульский", "ао")),
    ("«Зелёный  сад»", ("зеленый", "сад")),
])
def test_a_query_is_split_at_dashes_and_commas(typed, words):
    assert search_tokens(typed) == words


@pytest.mark.parametrize("stored", ["ООО «Кубань Агромаш»", "ООО «Кубань-Агромаш»", "ООО «Кубань – Агромаш»"])
@pytest.mark.parametrize("typed", ["Кубань-Агромаш", "Кубань Агромаш", "кубань—агромаш", "Кубань Агромаш, ООО"])
def test_a_dash_and_a_space_find_each_other(stored, typed):
    text = fold(stored)
    assert all(word in text for word in search_tokens(typed))


@pytest.mark.parametrize(("typed", "zone"), [
    ("Asia/Vladivostok", "Asia/Vladivostok"), ("asia/vladivostok", "Asia/Vladivostok"),
    (" EUROPE/MOSCOW ", "Europe/Moscow"), ("utc", "UTC"), ("Владивосток", "Asia/Vladivostok"),
    ("владивосток", "Asia/Vladivostok"), ("г. Екатеринбург", "Asia/Yekaterinburg"), ("Москва", "Europe/Moscow"),
    ("Калининград", "Europe/Kaliningrad"),
])
def test_a_zone_is_an_iana_name_in_any_case_or_a_known_city(typed, zone):
    assert zone_name(typed) == zone


@pytest.mark.parametrize("typed", ["", "Нигде", "Asia/Nowhere", "../etc/passwd", "x" * 300])
def test_anything_else_is_refused_in_russian(typed):
    with pytest.raises(UserError, match="Неизвестный часовой пояс"):
        zone_name(typed)


def test_an_event_planned_in_a_city_is_stored_in_its_zone(db, client_id):
    event_id = plan.add_event(db, client_id, EventInput("call", datetime(2027, 3, 10, 10, 0), "Владивосток", 30))[0]
    assert plan_read.get_event(db, event_id).time_zone == "Asia/Vladivostok"
    event_id = plan.add_event(db, client_id, EventInput("call", datetime(2027, 3, 11, 10, 0), "asia/omsk", 30))[0]
    assert plan_read.get_event(db, event_id).time_zone == "Asia/Omsk"
