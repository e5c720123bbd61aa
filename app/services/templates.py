"""Editable templates for Settings: the stage checklist template (add, rename, reorder) and dated tariffs/rates.

Issued documents keep their JSON snapshot and ticks keep their item code, so a changed template never
changes an issued document or a past tick. VAT rates are edited through app.services.estimates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import uuid4

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain import validation as v
from app.domain.quotes import in_quotes
from app.domain.stages import CHECKLIST_STAGES
from app.errors import NotFoundError, UserError
from app.i18n import _, format_number
from app.persistence.db import Database
from app.persistence.models import ChecklistState, ChecklistTemplate, template_uuid
from app.services.changes import Changes
from app.services.common import today
from app.services.tariffs import TARIFF_KINDS, DatedRate, list_rates, set_exchange_rate, set_tariff

CODE_PATTERN = re.compile(r"^s[1-3]\.[a-z0-9_]{1,50}$")
MAX_TITLE = 300
RATE_EARLIEST = date(2000, 1, 1)
RATE_YEARS_AHEAD = 5
RATE_KINDS = (*TARIFF_KINDS, "USD")


@dataclass(frozen=True)
class TemplateItem:
    """One checklist template item; ``requires`` names the item that must be done first (kept as seeded)."""

    code: str
    stage: int
    position: int
    title: str
    requires: str | None


def _changes() -> Changes:
    return Changes(checklist=True, catalogue=True, clients=True)


def _all(s: Session) -> list[ChecklistTemplate]:
    return list(s.scalars(select(ChecklistTemplate).order_by(ChecklistTemplate.stage, ChecklistTemplate.position,
                                                             ChecklistTemplate.id)))


def checklist_template(db: Database) -> list[TemplateItem]:
    """Every item by stage and position."""
    with db.read() as s:
        return [TemplateItem(t.code, t.stage, t.position, t.title, t.requires) for t in _all(s)]


def _stage(stage: int | str) -> int:
    try:
        number = int(str(stage).strip())
    except ValueError:
        number = -1
    if number not in [int(x) for x in CHECKLIST_STAGES]:
        raise UserError(_("Checklists exist for stages 1, 2 and 3, not «{stage}».").format(stage=str(stage)[:10]))
    return number


def _title(title: str) -> str:
    text = v.clean_text(title, _("Title"), required=True, max_len=MAX_TITLE, paper=True)  # the sign-off lists it
    if "\n" in text or "\r" in text:
        raise UserError(_("The title of a checklist item is one line."))
    return text


def _item(s: Session, code: str) -> ChecklistTemplate:
    row = s.scalar(select(ChecklistTemplate).where(ChecklistTemplate.code == str(code).strip()))
    if row is None:
        raise NotFoundError(_("Checklist item «{code}» not found.").format(code=str(code)[:60]))
    return row


def add_checklist_item(db: Database, stage: int | str, title: str, code: str | None = None) -> tuple[str, Changes]:
    """Append an item to a stage's checklist; ``code`` (``s<stage>.<latin_digits_>``) is made up when not
    given (``s<stage>.custom_<10 hex digits>``, unique across laptops). Every client gets the item as not done; nobody's ticks change."""
    number = _stage(stage)
    text = _title(title)
    with db.unit() as s:
        existing = set(s.scalars(select(ChecklistTemplate.code)))
        if code is None or not str(code).strip():
            # unique on every laptop, not a counter: two laptops adding an item offline must not both make
            # «s2.custom_1», or a tick sent in a bundle lands on the other laptop's different item
            new_code = f"s{number}.custom_{uuid4().hex[:10]}"
            while new_code in existing:
                new_code = f"s{number}.custom_{uuid4().hex[:10]}"
        else:
            new_code = str(code).strip()
            if not CODE_PATTERN.match(new_code) or not new_code.startswith(f"s{number}."):
                raise UserError(_("The code «{code}» must look like s{stage}.name (Latin letters, digits, _).").format(
                    code=new_code[:60], stage=number))
            if new_code in existing:
                raise UserError(_("The checklist already has an item «{code}».").format(code=new_code))
        last = s.scalar(select(func.max(ChecklistTemplate.position)).where(ChecklistTemplate.stage == number))
        s.add(ChecklistTemplate(code=new_code, stage=number, position=(last or 0) + 1, title=text,
                                uuid=template_uuid(new_code)))  # travels through the team server
        _forget_deletion(s, template_uuid(new_code))  # the same code added again: no longer a deletion to carry
    return new_code, _changes()


def _forget_deletion(s: Session, uuid: str) -> None:
    from sqlalchemy import delete

    from app.persistence.models import Tombstone

    s.execute(delete(Tombstone).where(Tombstone.uuid == uuid, Tombstone.kind == "delete"))


def _remember_deletion(s: Session, uuid: str) -> None:
    """A deleted added item leaves a tombstone, so bundles carry the deletion (app/exchange/checklist_items.py)
    as the team server carries it (its own trigger does, there)."""
    from app.persistence.models import utcnow
    from app.persistence.tracking import record_tombstones

    if s.get_bind().dialect.name == "sqlite":  # on the server a member may not write tombstones (row-level security)
        record_tombstones(s.connection(), [(uuid, "checklist_template")], "delete", utcnow(), "")


def rename_checklist_item(db: Database, code: str, title: str) -> Changes:
    """New wording for an item; ticks are kept by code, issued documents keep the old wording."""
    text = _title(title)
    with db.unit() as s:
        _item(s, code).title = text
    return _changes()


def _seeded_codes() -> set[str]:
    import json
    from importlib import resources

    text = resources.files("resources").joinpath("seed", "checklist.json").read_text(encoding="utf-8")
    return {row["code"] for row in json.loads(text)}


def delete_checklist_item(db: Database, code: str) -> Changes:
    """Remove an item added to the template (by mistake, or no longer wanted).

    Refused (UserError, nothing changed) for an item of the implementation process itself (the
    shipped checklist: reminders, sign-off sheets and the inventory-before-warehouses rule rely on
    them), for an item another item requires, and for an item any client has ticked — the tick and
    the documents issued with it refer to it; rename it instead. NotFoundError for an unknown code."""
    with db.unit() as s:
        item = _item(s, code)
        if item.code in _seeded_codes():
            raise UserError(_("«{title}» is part of the implementation process and cannot be deleted; "
                              "rename it if its wording does not fit.").format(title=in_quotes(item.title)))
        dependant = s.scalar(select(ChecklistTemplate.title).where(ChecklistTemplate.requires == item.code))
        if dependant is not None:
            raise UserError(_("«{title}» cannot be deleted: «{other}» requires it.").format(
                title=in_quotes(item.title), other=in_quotes(dependant)))
        ticked = s.scalar(select(func.count()).select_from(ChecklistState).where(
            ChecklistState.code == item.code, ChecklistState.done.is_(True)))
        if ticked:
            raise UserError(_("«{title}» is ticked for {count} client(s) and cannot be deleted; rename it "
                              "instead.").format(title=in_quotes(item.title), count=format_number(ticked)))
        for leftover in s.scalars(select(ChecklistState).where(ChecklistState.code == item.code)):
            s.delete(leftover)  # unticked rows only (ticked ones were refused above)
        _remember_deletion(s, item.uuid or template_uuid(item.code))
        s.delete(item)  # the others keep their places: a gap orders as well, and no item changes but this one
    return _changes()


def reorder_checklist(db: Database, stage: int | str, codes: list[str]) -> Changes:
    """Put a stage's items in the order ``codes`` (all of the stage's codes, each once), in the places the stage
    already holds (positions are shared by all stages). The order is only how the list reads: an item's prerequisite (warehouses need the inventory) holds whatever the order."""
    number = _stage(stage)
    wanted = [str(c).strip() for c in codes]
    with db.unit() as s:
        rows = {t.code: t for t in _all(s) if t.stage == number}
        if sorted(wanted) != sorted(rows) or len(set(wanted)) != len(wanted):
            raise UserError(_("Give every item of stage {stage} once: {codes}.").format(
                stage=number, codes=", ".join(rows)))
        # the stage's own places, dealt out in the new order: only the items that really move change (an audit
        # line each), never the other stages' places nor those of items that stay where they were
        for position, item_code in zip(sorted(t.position for t in rows.values()), wanted, strict=True):
            rows[item_code].position = position
    return _changes()


def move_checklist_item(db: Database, code: str, offset: int) -> Changes:
    """Move an item ``offset`` places up (negative) or down within its stage (clamped at the ends)."""
    with db.read() as s:
        item = _item(s, code)
        stage, item_code = item.stage, item.code
        order = [t.code for t in _all(s) if t.stage == stage]
    index = order.index(item_code)
    target = max(0, min(len(order) - 1, index + int(offset)))
    order.insert(target, order.pop(index))
    return reorder_checklist(db, stage, order)


# ------------------------------------------------------------------ tariffs and exchange rates


def rates(db: Database) -> list[DatedRate]:
    """Tariffs (remote_hour, onsite_day) and the USD rate, each with the date it holds from."""
    return list_rates(db)


def set_rate(db: Database, kind: str, rate: Decimal | str, valid_from: date, *, on: date | None = None,
             force: bool = False, reason: str = "") -> Changes:
    """Add or correct a tariff (``remote_hour``, ``onsite_day``) or the USD rate holding from ``valid_from``.
    Documents already issued keep their printed figures (they are snapshots); a tariff change inside an
    already billed period needs ``force`` and a ``reason`` (``tariffs.set_tariff``)."""
    if kind not in RATE_KINDS:
        raise UserError(_("Unknown rate «{kind}»: use remote_hour, onsite_day or USD.").format(kind=str(kind)[:40]))
    if not isinstance(valid_from, date):
        raise UserError(_("The date a rate holds from is required."))
    day = on or today()
    if valid_from < RATE_EARLIEST:
        raise UserError(_("The date {date} is too early: rates start from 2000.").format(
            date=v.day_text(valid_from)))
    if valid_from > date(day.year + RATE_YEARS_AHEAD, day.month, min(day.day, 28)):
        raise UserError(_("The date {date} is more than {years} years ahead.").format(
            date=valid_from.strftime("%d.%m.%Y"), years=RATE_YEARS_AHEAD))
    if kind == "USD":
        return set_exchange_rate(db, rate, valid_from, "USD")
    return set_tariff(db, kind, rate, valid_from, force=force, reason=reason)
