"""«Требует внимания»: each kind of reminder appears for the right client and only then."""

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from app.domain.estimate import EstimateInput
from app.errors import UserError
from app.persistence.models import Client, Document
from app.services import plan, plan_read, reminders
from app.services.board import set_stalled_days
from app.services.clients import ClientInput, add_client
from app.services.estimates import save_estimate
from app.services.event_input import EventInput
from app.services.progress import move_stage, set_checklist
from app.services.worklog import EntryInput, add_entry

MOSCOW = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def _client(db, name, inn, approach="remote") -> int:
    client_id = add_client(db, ClientInput(name=name, inn=inn, approach=approach))
    with db.unit() as s:  # moved to its stage yesterday: not stalled
        s.execute(update(Client).where(Client.id == client_id).values(stage_since=datetime(2026, 3, 9, 9, 0)))
    return client_id


def _kinds(db) -> list[tuple[str, int]]:
    return [(r.kind, r.client_id) for r in reminders.attention(db, now=NOW, viewer=MOSCOW)]


def test_nothing_to_remind_on_a_quiet_day(db):
    _client(db, "ООО «Ромашка»", "7707083893")
    assert _kinds(db) == []


def test_every_kind_of_reminder_with_its_client(db):
    events = _client(db, "ООО «Ромашка»", "7707083893")
    stalled = _client(db, "АО «Заря»", "7736207543")
    act = _client(db, "ООО «Акт»", "7728168971")
    over = _client(db, "ООО «Перерасход»", "7702070139")
    pilot = _client(db, "ООО «Пилот»", "7710140679")
    overdue_id = plan.add_event(db, events, EventInput("conference", datetime(2026, 3, 9, 10), "Europe/Moscow", 60),
                                on=NOW.date())[0]
    today_id = plan.add_event(db, events, EventInput("call", datetime(2026, 3, 10, 16), "Europe/Moscow", 30),
                              on=NOW.date())[0]
    plan.add_event(db, events, EventInput("call", datetime(2026, 3, 12, 16), "Europe/Moscow", 30), on=NOW.date())
    with db.unit() as s:
        s.execute(update(Client).where(Client.id == stalled).values(stage_since=datetime(2026, 1, 1, 9, 0)))
        s.add(Document(client_id=act, kind="act", year=2026, number=1, issued_on=date(2026, 2, 20), content="{}"))
        s.add(Document(client_id=act, kind="act", year=2026, number=2, issued_on=date(2026, 3, 5), content="{}"))
        s.add(Document(client_id=act, kind="act", year=2026, number=3, issued_on=date(2026, 2, 1), content="{}",
                       signed_returned_on=date(2026, 2, 10)))
    save_estimate(db, over, "remote", EstimateInput(conference_hours=Decimal(1)), on=date(2026, 3, 1))
    add_entry(db, over, EntryInput(date(2026, 3, 2), "conference", minutes=120))
    move_stage(db, pilot, 1, force=True, reason="старт")
    move_stage(db, pilot, 2, force=True, reason="сроки")
    with db.unit() as s:
        s.execute(update(Client).where(Client.id == pilot).values(stage_since=datetime(2026, 3, 9, 9, 0)))
    found = reminders.attention(db, now=NOW, viewer=MOSCOW)
    assert [(r.kind, r.client_id, r.ref_id) for r in found if r.kind.startswith("event")] == [
        ("event_overdue", events, overdue_id), ("event_today", events, today_id)]
    assert [(r.kind, r.client_id) for r in found if not r.kind.startswith("event")] == [
        ("stalled", stalled), ("act_unreturned", act), ("estimate_exceeded", over), ("inventory_missing", pilot)]
    for client_id in (events, stalled, act, over, pilot):  # one client's read is that client's part of the whole
        assert reminders.attention(db, now=NOW, viewer=MOSCOW, client_ids=[client_id]) == [
            r for r in found if r.client_id == client_id]
    assert reminders.attention(db, now=NOW, viewer=MOSCOW, client_ids=[]) == []
    texts = {r.kind: r.text for r in found}
    with db.unit() as s:  # a voided act does not come back signed: no reminder for it
        s.execute(update(Document).where(Document.client_id == act).values(voided_on=date(2026, 3, 1)))
    assert "act_unreturned" not in [r.kind for r in reminders.attention(db, now=NOW, viewer=MOSCOW)]
    with db.unit() as s:
        s.execute(update(Document).where(Document.client_id == act).values(voided_on=None))
    assert "68" in texts["stalled"]  # 01.01 → 10.03
    assert "АУ-1/2026" in texts["act_unreturned"] and "20.02.2026" in texts["act_unreturned"]
    assert texts["estimate_exceeded"] == "к оплате 3 000,00 ₽ при расчёте 1 500,00 ₽"  # money as the card writes it
    assert "16:00" in texts["event_today"]
    # ticking the inventory clears that reminder; a longer threshold clears the stalled one
    set_checklist(db, pilot, ["s2.inventory"], True, on=date(2026, 3, 10))
    set_stalled_days(db, 90)
    reminders.set_unreturned_days(db, 30)
    assert [kind for kind, _id in _kinds(db)] == ["event_overdue", "event_today", "estimate_exceeded"]
    assert reminders.attention(db, now=NOW, viewer=MOSCOW, client_ids=[pilot]) == []  # its own read says so too


def test_unreturned_days_setting_is_validated(db):
    assert reminders.unreturned_days(db) == 14
    with pytest.raises(UserError):
        reminders.set_unreturned_days(db, "0")
    with pytest.raises(UserError):
        reminders.set_unreturned_days(db, "abc")
    reminders.set_unreturned_days(db, 21)
    assert reminders.unreturned_days(db) == 21


def test_agenda_and_reminders_use_a_constant_number_of_statements(db):
    from tests.sqlcount import counting

    def statements(first: int, n_clients: int) -> tuple[int, int]:
        for i in range(first, first + n_clients):
            client_id = add_client(db, ClientInput(name=f"ООО «Клиент {i}»", inn=INNS[i], approach="remote"))
            plan.add_event(db, client_id, EventInput("call", datetime(2026, 3, 9, 8 + i), "Europe/Moscow", 30),
                           on=NOW.date())
            save_estimate(db, client_id, "remote", EstimateInput(conference_hours=Decimal(1)), on=date(2026, 3, 1))
        with counting(db) as seen:
            plan_read.agenda(db, now=NOW, viewer=MOSCOW)
        agenda_count = len(seen)
        with counting(db) as seen:
            reminders.attention(db, now=NOW, viewer=MOSCOW)
        return agenda_count, len(seen)

    few = statements(0, 2)
    assert statements(2, 4) == few  # six clients, each with an overdue event and an estimate


INNS = ["7707083893", "7736207543", "7728168971", "7702070139", "7710140679", "7830002293"]


def test_stalled_clients_in_name_order_with_their_names_and_one_text_per_day_count(db):
    """Issue 15 (memory at 50 000 clients): the clients' rows are read in one pass, a stalled client's reminder
    carries no sort key of its own (its name and id are it) and clients stalled as long share one text; the
    order, the names and the texts stay as they were — also for a document's and an estimate's reminder."""
    names = ["ООО «Яблоко»", "АО «Берёза»", "ООО «Ёлка»", "ЗАО «Вектор»"]
    inns = ["7707083893", "7736207543", "7728168971", "7702070139"]
    ids = [_client(db, name, inn) for name, inn in zip(names, inns, strict=True)]
    with db.unit() as s:
        for n, client_id in enumerate(ids):  # two stalled since 01.01, two since 01.02
            since = datetime(2026, 1 + n % 2, 1, 9, 0)
            s.execute(update(Client).where(Client.id == client_id).values(stage_since=since))
        s.add(Document(client_id=ids[2], kind="act", year=2026, number=7, issued_on=date(2026, 2, 20), content="{}"))
    found = reminders.attention(db, now=NOW, viewer=MOSCOW)
    stalled = [r for r in found if r.kind == "stalled"]
    assert [r.client_name for r in stalled] == sorted(names, key=lambda name: (name, ids[names.index(name)]))
    days = {r.client_id: r.text for r in stalled}
    assert all("68" in days[i] for i in (ids[0], ids[2])) and all("37" in days[i] for i in (ids[1], ids[3]))
    by_days = {}
    for r in stalled:
        by_days.setdefault(r.text, set()).add(id(r.text))
    assert len(by_days) == 2 and all(len(objects) == 1 for objects in by_days.values())
    assert [(r.client_id, r.client_name) for r in found if r.kind == "act_unreturned"] == [(ids[2], names[2])]
    assert reminders.order_key(stalled[0]) == (reminders.order_key(stalled[0])[0], (stalled[0].client_name,
                                                                                   stalled[0].client_id))
