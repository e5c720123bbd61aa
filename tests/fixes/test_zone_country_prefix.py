"""A client's zone from an address that starts with the country (tester K, item 3): «Россия, Екатеринбург, …»,
«Российская Федерация, 690091, Владивосток, …» or «РФ, …» were not read, and the client's events were planned in
Moscow time or its latest event's zone — a Vladivostok conference put on Kaliningrad's clock, 8 hours off."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.domain.schedule import client_zone, known_zone
from app.services import plan, plan_read
from app.services.clients import ClientInput, add_client
from app.services.event_input import EventInput

FORMS = [
    ("Россия, Екатеринбург, ул. Ленина 1", "Asia/Yekaterinburg"),
    ("Российская Федерация, 690091, Владивосток, ул. Светланская, 1", "Asia/Vladivostok"),
    ("Россия, Владивосток, ул. Светланская 1", "Asia/Vladivostok"),
    ("Россия, 236000, Калининград, Ленинский пр-т 1", "Europe/Kaliningrad"),
    ("РФ, Екатеринбург, ул. Ленина 1", "Asia/Yekaterinburg"),
    ("690091, Россия, Владивосток, ул. Светланская, 1", "Asia/Vladivostok"),
    ("690091 Россия, г. Владивосток", "Asia/Vladivostok"),
    ("Россия, Владивосток 690091", "Asia/Vladivostok"),
    ("РФ. Новосибирск, Красный пр-т, 1", "Asia/Novosibirsk"),
    ("Российская Федерация, г. Москва, ул. Самарская, 1", "Europe/Moscow"),  # the «г.» town, not the street
    ("Россия, ул. Омская, 5, Тула", "Europe/Moscow"),  # a known town anywhere, a street's name is no town
    ("Россия, 443001, Самарская обл., г. Самара", "Europe/Samara"),
]


@pytest.mark.parametrize(("address", "zone"), FORMS)
def test_a_country_and_a_postcode_before_the_town_are_skipped(address, zone):
    assert known_zone(address) == zone
    assert client_zone("", address) == zone
    assert client_zone(address, "") == zone


@pytest.mark.parametrize("text", ["Россия", "РФ, 690091", "Россия, Самра, ул. Ленина"])
def test_no_town_named_is_still_unknown(text):
    assert client_zone("", text) is None


def test_the_address_decides_over_the_latest_event(db):
    """The tester's client: «Россия, Владивосток, …» and a latest event in Kaliningrad time."""
    client = add_client(db, ClientInput(name="ООО «Владивосток»", inn="7707083893", approach="remote",
                                        address="Россия, Владивосток, ул. Светланская 1"))
    plan.add_event(db, client, EventInput("call", datetime(2026, 12, 10, 10), "Europe/Kaliningrad", 30),
                   on=datetime(2026, 12, 5).date())
    assert plan_read.zone_choice(db, client) == plan_read.ZoneChoice("Asia/Vladivostok", "address")
