"""An entry whose minutes, days or amount another program wrote outside the form's ranges is refused by name by the
act and the work log (a fresh tester, 2026-12-05: 2 000 000 000 minutes made an act of 56 000 000 000,00 ₽, exit 0;
-500 minutes were billed as 0 and marked billed)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from app.errors import UserError
from app.persistence.models import Document, WorkLogEntry
from app.services import documents as docs
from app.services.worklog_read import list_entries
from tests.reports.helpers import ACT_DAY, MARCH, build_world


@pytest.mark.parametrize(("column", "value"), [("minutes", 2_000_000_000), ("minutes", -500), ("minutes", 0)])
def test_an_entry_out_of_range_is_refused_by_the_act_and_the_log(db, column, value):
    world = build_world(db)
    with db.unit() as s:
        entry = s.scalar(select(func.min(WorkLogEntry.id)).where(WorkLogEntry.client_id == world.client_id,
                                                                  WorkLogEntry.kind == "conference",
                                                                  WorkLogEntry.on_date >= MARCH[0]))
        s.execute(update(WorkLogEntry).where(WorkLogEntry.id == entry).values(**{column: value}))
    for read in (lambda: docs.prepare_act(db, world.client_id, *MARCH, on=ACT_DAY),
                 lambda: list_entries(db, world.client_id, *MARCH)):
        with pytest.raises(UserError) as err:
            read()
        said = "\n".join([err.value.message, *err.value.details])
        assert f"запись {entry}, поле {column}: «{value}»" in said, said
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 0
