"""Issue 17 (trial of 05:15): a local edit that lost a conflict over the same field (the server's value kept by
the stated default) is not left as the field's newest line. Sent to the server already, it is answered by
«оставлено значение сервера (см. конфликты)» from the lost value to the kept one; never sent, it is dropped
(app/team/overridden.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.persistence.models import Client
from app.sync.service import conflicts, sync_once
from tests.team.test_restored_trail import _trail, pull_only

pytestmark = pytest.mark.postgres

CITY = "Карточка · город"


def _set_city(db, city: str) -> None:
    with db.unit() as s:
        s.scalar(select(Client)).city = city


def _city_lines(db) -> list[str]:
    return [line for line in _trail(db) if f"\t{CITY}\t" in line]


def test_an_edit_that_lost_to_the_server_is_answered_by_the_kept_value(server, entry_pair):
    a, b, _ann, _boss = entry_pair
    _set_city(b, "Будущее")
    sync_once(b)
    _set_city(a, "Настоящее")
    sync_once(a)  # the card's push meets the server's city: the server's value stays
    assert [(c.kind, c.field, c.kept) for c in conflicts(a)] == [("field", "city", "server")]
    with a.read() as s:
        assert s.scalar(select(Client.city)) == "Будущее"
    expected = ["Иванова Анна\tоставлено значение сервера (см. конфликты)\tКарточка · город\tНастоящее → Будущее",
                "Иванова Анна\tизменено\tКарточка · город\t— → Настоящее",
                "Петрова Мария\tизменено\tКарточка · город\t— → Будущее"]
    assert _city_lines(a) == expected
    sync_once(b)
    assert _city_lines(server) == expected and _city_lines(b) == expected
    sync_once(a)
    assert _city_lines(a) == expected  # written once


def test_an_unsent_edit_that_lost_to_a_pull_is_dropped(server, entry_pair):
    a, b, _ann, _boss = entry_pair
    _set_city(b, "Будущее")
    sync_once(b)
    _set_city(a, "Настоящее")
    from app.sync.service import _settle_restored

    login = pull_only(a)  # the pull alone, as after a push that missed it
    assert [(c.kind, c.field, c.kept) for c in conflicts(a)] == [("field", "city", "server")]
    assert _settle_restored(a, login) == 0  # nothing written: the unsent line is dropped
    assert _city_lines(a) == ["Петрова Мария\tизменено\tКарточка · город\t— → Будущее"]
    sync_once(a)
    sync_once(b)
    assert _city_lines(server) == ["Петрова Мария\tизменено\tКарточка · город\t— → Будущее"]
    with a.read() as s:
        assert s.scalar(select(Client.city)) == "Будущее"
