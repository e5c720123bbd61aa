"""Load the seed data from resources/seed into a new database (stages, checklist, lessons, tariffs)."""

from __future__ import annotations

import csv
import io
import json
import uuid
from contextlib import AbstractContextManager
from datetime import date
from decimal import Decimal
from importlib import resources
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.persistence.models import (
    ChecklistTemplate,
    ExchangeRate,
    Executor,
    Lesson,
    Setting,
    StageDef,
    Tariff,
)


class Seedable(Protocol):
    """What seeding needs of an open database (``app.persistence.db.Database``; not imported here)."""

    def unit(self) -> AbstractContextManager[Session]: ...


def _seed_text(name: str) -> str:
    return resources.files("resources").joinpath("seed", name).read_text(encoding="utf-8")


def default_lessons() -> list[dict]:
    reader = csv.DictReader(io.StringIO(_seed_text("lessons.csv")), delimiter=";")
    return [dict(row) for row in reader]


def ensure_seed(db: Seedable) -> None:
    """Fill reference tables that are empty; never touch data the user already has."""
    with db.unit() as s:
        s.info["team.replaying"] = True  # reference data shipped with the app: no author, no audit entries
        have = set(s.scalars(select(StageDef.number)))
        for row in json.loads(_seed_text("stages.json")):  # the five stages must all exist
            if row["number"] not in have:
                s.add(StageDef(number=row["number"], title=row["title"], goal=row["goal"]))
        s.flush()
        if s.scalar(select(func.count()).select_from(ChecklistTemplate)) == 0:
            for position, row in enumerate(json.loads(_seed_text("checklist.json"))):
                s.add(ChecklistTemplate(code=row["code"], stage=row["stage"], position=position,
                                        title=row["title"], requires=row.get("requires")))
        if s.scalar(select(func.count()).select_from(Lesson)) == 0:
            for row in default_lessons():
                s.add(Lesson(code=row["code"], number=int(row["number"]), title=row["title"],
                             section=row["section"], stage=int(row["stage"]),
                             duration_min=int(row["duration_min"] or 0), video_url=row["video_url"]))
        if s.scalar(select(func.count()).select_from(Tariff)) == 0:
            data = json.loads(_seed_text("tariffs.json"))
            for row in data["tariffs"]:
                s.add(Tariff(kind=row["kind"], rate=Decimal(row["rate"]),
                             valid_from=date.fromisoformat(row["valid_from"])))
            for row in data["exchange_rates"]:
                s.add(ExchangeRate(currency=row["currency"], rate=Decimal(row["rate"]),
                                   valid_from=date.fromisoformat(row["valid_from"])))
        if s.scalar(select(func.count()).select_from(Executor)) == 0:
            s.add(Executor())
        if s.get(Setting, "installation_id") is None:
            s.add(Setting(key="installation_id", value=str(uuid.uuid4())))
