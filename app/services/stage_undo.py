"""Undo and redo of a stage move that restore the exact earlier state (stage and the day it was entered).

``progress.move_stage`` stamps ``stage_since`` with the moment of the move; undoing a move with another
move would leave a client who sat 90 days in stage 1 at 0 days and no longer stalled. These functions
record the reverse move in the stage history (the history stays honest) but put ``stage_since`` back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select, update

from app.domain.quotes import in_quotes
from app.errors import UserError
from app.i18n import _
from app.persistence.db import Database
from app.persistence.models import Client, StageEvent, utcnow
from app.services.changes import Changes
from app.services.common import current_user

_TICK = timedelta(microseconds=1)


def move_moment(now: datetime, since: datetime | None, last_move: datetime | None) -> datetime:
    """The moment a new stage move of a client is stamped with: this computer's clock ``now``, but never before
    the client entered its stage (``since``) and always after its last recorded move (``last_move``). A clock set
    back cannot then put a move before the moves it follows: a laptop 400 days behind made a client «на этапе с
    31.10.2025» and «без движения 400 дн.» on every computer of the team right after moving it (tester L), and
    bundles, which order moves by their moment, would have put that move before the one it followed."""
    floor = max((t for t in (since, last_move) if t is not None), default=None)
    return now if floor is None or now > floor else floor + _TICK


def last_move_at(client_id):
    """The moment of the client's last recorded move (a scalar subquery; NULL for none)."""
    return select(func.max(StageEvent.at)).where(StageEvent.client_id == client_id).scalar_subquery()


@dataclass(frozen=True)
class StageState:
    """Where a client stood: ``stage`` 0–4 and ``since`` (UTC, as stored) the moment it entered it."""

    client_id: int
    name: str
    stage: int
    since: datetime


def stage_state(db: Database, client_id: int) -> StageState:
    """The client's stage and the moment it entered it; UserError when the client no longer exists."""
    c = Client.__table__.c
    with db.read() as s:
        row = s.execute(select(c.name, c.stage, c.stage_since).where(c.id == client_id)).first()
    if row is None:
        raise UserError(_("The client no longer exists: nothing to undo."))
    return StageState(client_id, row.name, int(row.stage), row.stage_since)


def restore_stage(db: Database, expected_stage: int, state: StageState, reason: str) -> Changes:
    """Put the client back to ``state`` (stage and since) if it still stands at ``expected_stage``.

    One transaction: a history event ``expected_stage → state.stage`` with ``reason`` (forced, since the
    guard of a forward move does not apply to taking a move back), then the client row. UserError when the
    client is gone or has moved since (then nothing changes)."""
    c = Client.__table__.c
    with db.unit() as s:
        row = s.execute(select(c.name, c.stage, c.stage_since, last_move_at(c.id).label("last_move"))
                        .where(c.id == state.client_id)).first()
        if row is None:
            raise UserError(_("The client no longer exists: nothing to undo."))
        if int(row.stage) != int(expected_stage):
            raise UserError(_("«{client}» has moved since then: the move cannot be undone.").format(client=in_quotes(row.name)))
        now = move_moment(utcnow(), row.stage_since, row.last_move)  # the reverse move follows the move it undoes
        s.execute(insert(StageEvent).values(
            client_id=state.client_id, from_stage=int(expected_stage), to_stage=int(state.stage), at=now,
            who=current_user(s), reason=reason.strip(), forced=state.stage > int(expected_stage)))
        s.execute(update(Client).where(Client.id == state.client_id)
                  .values(stage=int(state.stage), stage_since=state.since, updated_at=now))
    return Changes(clients=True, stage=True, client_ids=frozenset({state.client_id}))
