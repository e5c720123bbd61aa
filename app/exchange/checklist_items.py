"""Checklist items a user added to the template travel with a bundle, so a tick of one lands on the other side.

The shipped items (resources/seed/checklist.json) exist on every installation; an item added with
``templates.add_checklist_item`` exists only where it was added. A bundle carries those added items as the
changeset's ``checklist_template`` member: ``[{"code", "stage", "title", "requires"}, …]``. On import an item
whose code is already here is matched by its code (the wording here stays: a rename is this installation's
own); a new one is appended to its stage's list, before any record of the file is checked, in the import's
transaction — so a refused file leaves no item behind either."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.exchange.changeset import BundleError
from app.i18n import _

MAX_ITEMS = 1000
MAX_TITLE = 300
MAX_STAGE = 9


def user_items(s: Session) -> list[dict[str, Any]]:
    """The items added on this installation (not shipped), in stage and list order, as the bundle carries
    them."""
    from app.persistence.models import ChecklistTemplate
    from app.services.templates import _seeded_codes as seeded_codes

    seeded = seeded_codes()
    return [{"code": t.code, "stage": t.stage, "title": t.title, "requires": t.requires}
            for t in s.scalars(select(ChecklistTemplate).order_by(ChecklistTemplate.stage,
                                                                  ChecklistTemplate.position,
                                                                  ChecklistTemplate.id))
            if t.code not in seeded]


def parse(raw: Any) -> list[dict[str, Any]]:
    """The file's ``checklist_template`` member, checked (absent: none). Raises BundleError for anything
    that is not a list of items with a code like ``s<stage>.name``, a stage 0–9 and a one-line title."""
    from app.exchange.validate import text_problem
    from app.services.templates import CODE_PATTERN

    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) > MAX_ITEMS:
        raise BundleError(_("The file's contents are not in the expected format."))
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    for entry in raw:
        if not isinstance(entry, dict):
            raise BundleError(_("The file's contents are not in the expected format."))
        code, stage, title, requires = (entry.get(k) for k in ("code", "stage", "title", "requires"))
        if not (isinstance(title, str) and title.strip() and len(title) <= MAX_TITLE
                and text_problem(title, one_line=True) is None):
            raise BundleError(_("The file describes a checklist item with an empty or damaged title."))
        if (not isinstance(code, str) or not CODE_PATTERN.match(code) or isinstance(stage, bool)
                or not isinstance(stage, int) or not 0 <= stage <= MAX_STAGE or not code.startswith(f"s{stage}.")
                or code in seen or (requires is not None and (not isinstance(requires, str)
                                                                or not CODE_PATTERN.match(requires)))):
            raise BundleError(_("The file describes the checklist item «{title}» in a damaged form.").format(
                title=title.strip()[:MAX_TITLE]))
        seen.add(code)
        items.append({"code": code, "stage": stage, "title": title.strip(), "requires": requires})
    return items


def ensure(s: Session, items: list[dict[str, Any]]) -> list[str]:
    """Add the file's items this installation lacks (caller's transaction); returns the titles added. An
    item's requirement is kept when the required item exists here or comes with the file."""
    from app.persistence.models import ChecklistTemplate, StageDef, template_uuid

    if not items:
        return []
    here = set(s.scalars(select(ChecklistTemplate.code)))
    stages = set(s.scalars(select(StageDef.number)))
    known = here | {i["code"] for i in items}
    added = []
    for item in items:
        if item["code"] in here:
            continue
        if item["stage"] not in stages:
            raise BundleError(_("The file describes the checklist item «{title}» for a stage this program does "
                                "not have.").format(title=item["title"]))
        last = s.scalar(select(func.max(ChecklistTemplate.position)).where(
            ChecklistTemplate.stage == item["stage"]))
        s.add(ChecklistTemplate(code=item["code"], stage=item["stage"], position=(last or 0) + 1,
                                title=item["title"], requires=item["requires"] if item["requires"] in known else None,
                                uuid=template_uuid(item["code"])))  # the same UUID the team server gives it
        s.flush()
        here.add(item["code"])
        added.append(item["title"])
    return added
