"""How a form names a client employee who has left the staff but is still held by the record it edits (an event's
participant, a question's asker): listed, chosen and marked, so that saving the form keeps them."""

from __future__ import annotations

from app.i18n import _


def departed_title(name: str) -> str:
    """How a person no longer on the client's staff is listed: «Иванов И. И. (не в штате)»; their name is gone
    with their card (plan_read shows «?», a question's row an empty name), then «Бывший сотрудник (не в штате)»."""
    known = name.strip() not in ("", "?")
    return _("{name} (not on the staff)").format(name=name.strip() if known else _("Former staff member"))
