"""One client moved on two laptops offline, one forward and one back (the trial of 2026-12-01 14:00): the stage and
«на этапе с» were two conflicts whose values printed alike, the card's stage was not where the history's last move
went, and every bundle holding the client was refused on import («…находится на этапе 2, а его последний переход
ведёт на этап 0»). The stage now follows the history (app/sync/stages.py): no conflict, every computer at the
stage of the move that reached the team last — by the server's numbers, not by a clock a year ahead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from app.exchange.bundle_export import export_bundle
from app.exchange.bundle_import import import_bundle
from app.services.clients import ClientInput, get_client
from app.services.progress import move_stage
from app.sync.laptop_apply import conflict_rows
from app.sync.service import sync_once

pytestmark = pytest.mark.postgres

INN = "7707083893"
CLIENT = ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote")


def _at_stage_one(db) -> None:
    move_stage(db, INN, 1, force=True, reason="договор подписан")


def _where(db) -> tuple[int, int, list[tuple[int, int]]]:
    """(the card's stage, the last history line's target, the history as (from, to))."""
    card = get_client(db, INN)
    return card.stage, card.history[-1].to_stage, [(e.from_stage, e.to_stage) for e in card.history]


@pytest.mark.parametrize("ahead", ["a", "b", None], ids=["a-clock-a-year-ahead", "b-clock-a-year-ahead",
                                                          "right-clocks"])
def test_a_client_moved_both_ways_offline_stands_where_the_last_move_to_reach_the_team_went(two_worlds, ahead):
    worlds = two_worlds(CLIENT, prepare=_at_stage_one)
    ta, tb = worlds.team
    year = timedelta(days=365)
    with time_machine.travel(datetime.now(UTC) + (year if ahead == "a" else timedelta(0)), tick=True):
        move_stage(ta, INN, 2, force=True, reason="уроки пройдены")
    with time_machine.travel(datetime.now(UTC) + (year if ahead == "b" else timedelta(0)), tick=True):
        move_stage(tb, INN, 0, reason="заказчик приостановил")
    sync_once(ta)  # a's move reaches the server first, b's second: b's is the last, whatever the clocks say
    sync_once(tb)
    sync_once(ta)
    assert conflict_rows(ta) == [] and conflict_rows(tb) == []
    for db in (ta, tb, worlds.server):
        stage, last, history = _where(db)
        assert (stage, last) == (0, 0)
        assert history[-2:] == [(1, 2), (1, 0)]  # both moves kept, in the order they reached the team
    assert sync_once(ta).pushed == 0 and sync_once(tb).pushed == 0  # settled: nothing goes back and forth


def test_every_bundle_holding_the_client_imports_after_the_moves_crossed(two_worlds, tmp_path):
    from app.persistence.db import open_database

    worlds = two_worlds(CLIENT, prepare=_at_stage_one)
    ta, tb = worlds.team
    with time_machine.travel(datetime.now(UTC) + timedelta(days=365), tick=True):  # a's clock: a year ahead
        move_stage(ta, INN, 2, force=True, reason="уроки пройдены")
    move_stage(tb, INN, 0, reason="заказчик приостановил")
    sync_once(ta)
    sync_once(tb)
    sync_once(ta)
    for name, db in (("a", ta), ("b", tb)):
        export_bundle(db, None, tmp_path / f"{name}.zip")
        fresh = open_database(f"sqlite:///{tmp_path / (name + '-fresh.sqlite3')}")
        try:
            import_bundle(fresh, tmp_path / f"{name}.zip", backup=False)  # refused before: «последний переход…»
            assert _where(fresh)[:2] == (0, 0)
        finally:
            fresh.dispose()


def test_two_laptops_with_no_server_agree_on_the_stage_and_its_last_move(two_worlds):
    """The same moves carried on a USB stick: both computers end at one stage, the last line of the history."""
    worlds = two_worlds(CLIENT, prepare=_at_stage_one)
    ua, ub = worlds.usb
    move_stage(ua, INN, 2, force=True, reason="уроки пройдены")
    move_stage(ub, INN, 0, reason="заказчик приостановил")
    report_b = worlds.carry(ua, ub)
    report_a = worlds.carry(ub, ua)
    assert conflict_rows(ua) == [] and conflict_rows(ub) == []
    assert not report_a.conflicts and not report_b.conflicts
    assert _where(ua) == _where(ub)
    stage, last, history = _where(ua)
    assert stage == last == 0 and history[-2:] == [(1, 2), (1, 0)]
