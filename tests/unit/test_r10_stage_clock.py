"""A stage move on a computer whose clock is set back is never stamped before the moves it follows (tester L, 5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from app.persistence.models import Client, StageEvent
from app.services import progress
from app.services.reminders import attention
from app.sync.stages import settle_stages


def _client(db, client_id):
    with db.read() as s:
        client = s.get(Client, client_id)
        return client.stage, client.stage_since


def test_a_move_by_a_clock_400_days_back_follows_the_moves_before_it(db, client_id):
    created = _client(db, client_id)[1]
    progress.move_stage(db, client_id, 1, force=True, reason="вперёд")
    first = _client(db, client_id)[1]
    with time_machine.travel(datetime.now(UTC) - timedelta(days=400), tick=False):
        progress.move_stage(db, client_id, 2, force=True, reason="часы назад")
    stage, since = _client(db, client_id)
    assert stage == 2 and since > first >= created  # not «на этапе с» 400 days ago
    assert not [r for r in attention(db) if r.kind == "stalled"]  # not «без движения 400 дн.»
    with db.read() as s:
        moves = s.query(StageEvent).filter_by(client_id=client_id).order_by(StageEvent.at).all()
        assert [m.to_stage for m in moves] == [1, 2]  # ordered by their moment (bundles): the last move is last
    with db.engine.begin() as conn:  # as a bundle's merge settles it: the client stands where its last move went
        settle_stages(conn, [client_id])
    assert _client(db, client_id)[0] == 2


def test_undo_by_a_clock_set_back_follows_the_move_it_undoes(db, client_id):
    from app.services.stage_undo import restore_stage

    state = progress.move_start(db, client_id, 1)[1]
    progress.move_stage(db, client_id, 1, force=True, reason="вперёд")
    with time_machine.travel(datetime.now(UTC) - timedelta(days=400), tick=False):
        restore_stage(db, 1, state, "отмена")
    with db.engine.begin() as conn:
        settle_stages(conn, [client_id])
    assert _client(db, client_id)[0] == 0
