"""«Требует внимания»: what needs the specialist now — events, stalled clients, unreturned acts, budgets, inventory."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache

from sqlalchemy import Select, and_, bindparam, select, type_coerce
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.types import NullType

from app.domain.stages import KNOWN_STAGES
from app.domain.timeutil import local_date
from app.errors import UserError
from app.i18n import N_, _, format_money, format_number
from app.persistence.db import Database
from app.persistence.models import ChecklistState, Client, Document, Setting
from app.services.board import STALLED_DAYS_KEY, parse_stalled_days
from app.services.budget import budget_summaries
from app.services.changes import Changes
from app.services.plan_read import agenda

UNRETURNED_DAYS_KEY = "unreturned_act_days"
DEFAULT_UNRETURNED_DAYS = 14
MAX_DAYS = 3650
SIGNED_KINDS = ("act", "signoff")  # documents whose signed copy comes back
INVENTORY_CODE = "s2.inventory"

KINDS = ("event_overdue", "event_today", "stalled", "act_unreturned", "estimate_exceeded", "log_unreadable",
         "stage_unreadable", "inventory_missing")
BUDGET_KINDS = ("estimate_exceeded", "log_unreadable")  # read from the budgets: only actions that change one
KIND_TITLES = {
    "event_overdue": N_("Overdue event"),
    "event_today": N_("Event today"),
    "stalled": N_("Stalled client"),
    "act_unreturned": N_("Signed copy not returned"),
    "estimate_exceeded": N_("Estimate exceeded"),
    "log_unreadable": N_("Work log not read"),
    "stage_unreadable": N_("Stage not read"),
    "inventory_missing": N_("Stage 2 without inventory"),
}


@dataclass(frozen=True, slots=True)  # thousands of rows in the panel: no __dict__ each (~1.5 MB at 5 000)
class Reminder:
    """One line of the «Требует внимания» panel; ``client_id`` is where one click leads,
    ``ref_id`` the event or document it is about (None for client-wide reminders)."""

    kind: str
    client_id: int
    client_name: str
    text: str
    ref_id: int | None = None
    # where the row sits among rows of its kind (events by start, acts by issue date; () for a client's own
    # reminder: by client name, then id); lets one client's fresh reminders be merged into the shown list in
    # the order attention() gives (order_key)
    rank: tuple = field(default=(), compare=False, repr=False)

    @property
    def kind_title(self) -> str:
        return _(KIND_TITLES[self.kind])

    def as_json(self) -> dict:
        return {"kind": self.kind, "client_id": self.client_id, "client": self.client_name, "text": self.text,
                "ref_id": self.ref_id}


def unreturned_days(db: Database) -> int:
    """Days after issue when a signed copy of an act not yet returned needs attention (default 14)."""
    with db.read() as s:
        row = s.get(Setting, UNRETURNED_DAYS_KEY)
        return parse_unreturned_days(row.value if row is not None else None)


def parse_unreturned_days(text: str | None) -> int:
    """The stored setting as a number of days: the default (14) when absent or out of 1–3650."""
    try:
        value = int(text if text is not None else DEFAULT_UNRETURNED_DAYS)
    except ValueError:
        return DEFAULT_UNRETURNED_DAYS
    return value if 1 <= value <= MAX_DAYS else DEFAULT_UNRETURNED_DAYS


def set_unreturned_days(db: Database, days: int | str) -> Changes:
    try:
        value = int(str(days).strip())
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_DAYS:
        raise UserError(_("The number of days for a signed copy must be from 1 to {max}.").format(max=format_number(MAX_DAYS)))
    with db.unit() as s:
        row = s.get(Setting, UNRETURNED_DAYS_KEY)
        if row is None:
            s.add(Setting(key=UNRETURNED_DAYS_KEY, value=str(value)))
        else:
            row.value = str(value)
    return Changes(settings=True)


_KIND_INDEX = {kind: index for index, kind in enumerate(KINDS)}


def order_key(reminder: Reminder) -> tuple:
    """Sort key of the «Требует внимания» list: kind (most urgent first), then place within the kind."""
    return _KIND_INDEX[reminder.kind], reminder.rank or (reminder.client_name, reminder.client_id)


EVENT_KINDS = ("event_overdue", "event_today")  # they change with the clock, not only with the data


def attention(db: Database, *, now: datetime | None = None, viewer: tzinfo | None = None,
              client_ids: Collection[int] | None = None, kinds: Collection[str] | None = None) -> list[Reminder]:
    """Every reminder, most urgent kind first, in a constant number of statements:
    overdue events and today's; clients without a stage change for the stalled threshold (stages 0–3);
    acts and sign-off sheets whose signed copy is not back after ``unreturned_days``; clients whose work
    log bills more than their latest estimate, or holds entries the program cannot read (app.services.budget:
    whether it exceeds the estimate is then unknown, and said); clients whose stage is none the program knows
    (another program wrote 9 or «ufo»: whether they are stalled or lack the inventory is unknown, and said, as the
    client list names the value); clients at stage 2 without «s2.inventory» done.

    ``client_ids``: only those clients' reminders (what one action changed), in the same order; merge them
    into the shown list by ``order_key``. Within a kind: events by start, stalled clients and
    missing inventories by name, unreturned documents by issue date, budgets (exceeded, not read) by client id.
    ``kinds``: only reminders of these kinds (of KINDS), and only the statements they need — e.g. leave out
    «estimate_exceeded» (six statements of pricing) after an action that cannot change a budget, or read
    EVENT_KINDS alone for every client (events turn overdue as time passes)."""
    ids = None if client_ids is None else sorted(set(client_ids))
    if ids is not None and not ids:
        return []
    want = set(KINDS if kinds is None else kinds)
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    day = (moment.astimezone(viewer) if viewer else moment.astimezone()).date()  # as agenda() counts «today»
    result: list[Reminder] = []
    wanted = None if ids is None else set(ids)
    plan = agenda(db, now=moment, viewer=viewer, days=1) if want & set(EVENT_KINDS) else None
    for row in plan.overdue if plan is not None and "event_overdue" in want else ():
        if wanted is not None and row.client_id not in wanted:
            continue
        # the kind of reminder says «overdue»; the details name the event and when it was
        result.append(Reminder("event_overdue", row.client_id, row.client_name,
                               f"{row.kind_title}, {row.when_text(viewer)}", row.id, (row.starts_utc, row.id)))
    for row in plan.today_rows if plan is not None and "event_today" in want else ():
        if wanted is not None and row.client_id not in wanted:
            continue
        if row.viewer_start(viewer).date() < day:  # begun on an earlier day, still under way: its date is said
            # («Событие сегодня … в 23:00» after midnight read as tonight's 23:00: tester O, round 11)
            said = _("{kind}, under way since {time}").format(kind=row.kind_title, time=row.when_text(viewer))
        else:
            said = _("{kind} at {time}").format(kind=row.kind_title, time=row.when_text(viewer, with_date=False))
        result.append(Reminder("event_today", row.client_id, row.client_name, said, row.id, (row.starts_utc, row.id)))
    if not want - set(EVENT_KINDS):
        result.sort(key=order_key)
        return result
    q = _statements(ids is not None)
    params = {} if ids is None else {"ids": ids}
    summaries = budget_summaries(db, ids, on=day, estimated_only=True) if want & set(BUDGET_KINDS) else {}
    over = {client_id for client_id, budget in summaries.items() if budget.over_budget}
    unread = {client_id for client_id, budget in summaries.items() if budget.unreadable}
    stalled, inventory, unknown = "stalled" in want, "inventory_missing" in want, "stage_unreadable" in want
    unknown_text = _("stage «{value}» is not one the program knows: stalling and the inventory cannot be checked")
    since_text = _("the date of the move to this stage «{value}» cannot be read: stalling cannot be checked")
    stalled_text = _("no stage change for {days} days")  # translated once, not once per client
    texts: dict[int, str] = {}  # one text per number of days, not one per client (~45 000 at 50 000 clients)
    inventory_text = _("the preliminary inventory is not done")
    names: dict[int, str] = {}  # of the clients of a document or an exceeded estimate
    with db.read() as s:  # one transaction: both thresholds and the rows (a move re-read them in three)
        conn = s.connection()  # Core rows from statements built once: building them was most of a move's read
        stored = dict(conn.execute(q["settings"]).all())
        read_since = _since_reader(conn.dialect)
        stalled_after = parse_stalled_days(stored.get(STALLED_DAYS_KEY))
        unreturned_after = parse_unreturned_days(stored.get(UNRETURNED_DAYS_KEY))
        documents = conn.execute(q["documents"], {**params, "cutoff": day - timedelta(days=unreturned_after)}).all()
        named = {d.client_id for d in documents} | over | unread
        # with ids (a few clients) whether each lacks the inventory comes with its row
        without_inventory = None if ids is not None else {row[0] for row in conn.execute(q["inventory"])}
        # one pass over the clients' rows as SQLite gives them, not all of them at once (~8 MB at 50 000)
        for c in conn.execute(q["clients"], params):
            cid = c.id
            if cid in named:
                names[cid] = c.name
            if c.stage not in KNOWN_STAGES:  # 9 or «ufo»: not left out without a word (nor «'<' not supported»)
                if unknown:
                    from app.persistence.damaged import shown  # imported when met: not at the window's start

                    result.append(Reminder("stage_unreadable", cid, c.name, unknown_text.format(
                        value=shown(c.stage))))
                continue
            if stalled and c.stage < 4:
                moved = read_since(c.stage_since)
                days = -1 if moved is None else (day - local_date(moved)).days
                if moved is None and unknown:  # «ufo» (another program's): said for this client, the others stay
                    from app.persistence.damaged import shown

                    result.append(Reminder("stage_unreadable", cid, c.name, since_text.format(
                        value=shown(c.stage_since))))
                elif moved is not None and days >= stalled_after:
                    text = texts.get(days)
                    if text is None:
                        text = texts[days] = stalled_text.format(days=days)
                    result.append(Reminder("stalled", cid, c.name, text))
            if inventory and (c[4] if without_inventory is None else cid in without_inventory):
                result.append(Reminder("inventory_missing", cid, c.name, inventory_text))
    for d in documents if "act_unreturned" in want else ():
        # imported here: the documents package (~15 ms) is not needed to import this module (the window's start)
        from app.services.documents import document_code

        result.append(Reminder("act_unreturned", d.client_id, names.get(d.client_id, ""), _(
            "the signed copy of {code} of {date} is not back after {days} days").format(
            code=document_code(d.kind, d.number, d.year), date=d.issued_on.strftime("%d.%m.%Y"),
            days=(day - d.issued_on).days), d.id, (d.issued_on, d.id)))
    for client_id, budget in summaries.items():
        if budget.over_budget and "estimate_exceeded" in want:
            result.append(Reminder("estimate_exceeded", client_id, names.get(client_id, ""), _(
                "billed {actual} of the estimated {planned}").format(
                actual=format_money(budget.actual_total), planned=format_money(budget.planned_total)), None,
                (client_id,)))  # «211 400,00 ₽» / «RUB211,400.00», as the window writes money (English had «… ₽»)
        elif budget.unreadable and "log_unreadable" in want:  # whether the estimate is exceeded is unknown: said
            result.append(Reminder("log_unreadable", client_id, names.get(client_id, ""), _(
                "entries the program cannot read: {n}; the estimate is not compared").format(n=format_number(budget.unreadable)),
                None, (client_id,)))
    result.sort(key=order_key)  # in Python, not SQL: the same order as a merge by order_key whatever the collation
    return result


@lru_cache(maxsize=2)
def _statements(with_ids: bool) -> dict[str, Select]:
    """``attention``'s statements, built once (``ids``: an expanding parameter; ``cutoff``: the last issue date
    of a document whose signed copy is overdue). With ids (one action's clients) the client rows carry, last,
    whether the client is at stage 2 without the inventory ticked — the tick is unique per client and code, so
    the outer join adds no row — and the inventory has no statement of its own."""
    c, d, st, setting = Client.__table__.c, Document.__table__.c, ChecklistState.__table__.c, Setting.__table__.c
    ids: BindParameter = bindparam("ids", expanding=True)
    settings = select(setting.key, setting.value).where(setting.key.in_((STALLED_DAYS_KEY, UNRETURNED_DAYS_KEY)))
    documents = (select(d.id, d.client_id, d.kind, d.year, d.number, d.issued_on)
                 .where(d.kind.in_(SIGNED_KINDS), d.signed_returned_on.is_(None),
                        d.voided_on.is_(None),  # a voided act is not coming back signed
                        d.issued_on <= bindparam("cutoff")))
    with_tick = Client.__table__.outerjoin(ChecklistState.__table__, and_(
        st.client_id == c.id, st.code == INVENTORY_CODE, st.done.is_(True)))
    without = and_(c.stage == 2, st.id.is_(None))
    inventory = select(c.id).select_from(with_tick).where(without)
    since = type_coerce(c.stage_since, NullType()).label("stage_since")  # read per row: «ufo» names one client
    clients = select(c.id, c.name, c.stage, since)
    if with_ids:
        documents = documents.where(d.client_id.in_(ids))
        clients = select(c.id, c.name, c.stage, since, without).select_from(with_tick).where(c.id.in_(ids))
    return {"settings": settings, "clients": clients, "documents": documents, "inventory": inventory}


def _since_reader(dialect: Dialect) -> Callable[[object], datetime | None]:
    """A client's ``stage_since`` as the driver gives it → the datetime SQLAlchemy's DateTime reads, or None for a
    value it cannot read (another program's «ufo» or a number in SQLite: a refusal of the whole statement hid
    every client's reminders)."""
    process = Client.__table__.c.stage_since.type.dialect_impl(dialect).result_processor(dialect, None)

    def read(value: object) -> datetime | None:
        if value is None:
            return None
        try:
            moved = process(value) if process is not None else value
        except (ValueError, TypeError):
            return None
        return moved if isinstance(moved, datetime) else None
    return read
