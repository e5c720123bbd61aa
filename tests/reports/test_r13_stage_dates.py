"""Stage items dated before the stage began (a tester, round 13): at stage 2, `checklist done … s3.resources --date
01.12` and `s3.contracts --date 02.12` were taken (ticked ahead), then after `stage advance` on 06.12 the same kind of
date for `s3.support` was refused («… достиг 06.12.2026: выполнить его раньше этого дня нельзя»), and the sign-off
sheet printed «Сроки этапа с 06.12.2026 по 06.12.2026» above «выполнено 01.12.2026». One rule now, whatever the
order: an item's day may be before the move into its stage, and the sheet's period spans its items' days."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import update

from app.persistence.db import open_database
from app.persistence.models import StageEvent
from app.reports import printing
from app.services import documents as docs
from app.services import progress
from app.services.documents import set_executor
from tests.reports.helpers import EXECUTOR, add_remote_client, pdf_text

INNS = ("7707083893", "7736207543", "7728168971")
S3 = ("s3.resources", "s3.contracts", "s3.support")


def _day(days_ago: int) -> date:
    return date.today() - timedelta(days=days_ago)


def _period_and_items(text: str) -> tuple[date, date, list[date]]:
    """The sheet's «Сроки этапа с … по …» and the days of its items «выполнено DD.MM.YYYY»."""
    found = re.search(r"Сроки этапа с (\d\d\.\d\d\.\d{4}) по (\d\d\.\d\d\.\d{4})", text)
    assert found, text
    since, until = (datetime.strptime(d, "%d.%m.%Y").date() for d in found.groups())
    items = [datetime.strptime(d, "%d.%m.%Y").date()
             for d in re.findall(r"(?<!не )выполнено (\d\d\.\d\d\.\d{4})", text)]
    return since, until, items


def test_ticked_ahead_or_after_the_move_the_days_and_the_sheet_are_the_same(cli, sqlite_path, tmp_path):
    days = {code: _day(ago).isoformat() for code, ago in zip(S3, (5, 4, 3), strict=True)}
    for index, inn in enumerate(INNS, start=1):
        assert cli("clients", "add", "--name", f"Завод {index}", "--inn", inn, "--kpp", "770101001",
                   "--approach", "remote")[0] == 0
        for _ in range(2):
            assert cli("stage", "advance", inn, "--force", "--reason", "Договорились")[0] == 0
    # client 1 ticks every item of stage 3 ahead, client 2 two of them (the tester's order), client 3 none
    for inn, ahead in zip(INNS, (3, 2, 0), strict=True):
        for code in S3[:ahead]:
            assert cli("checklist", "done", inn, code, "--date", days[code])[0] == 0, code
        assert cli("stage", "advance", inn)[0] in (0, 2)  # stage 2's items are open: forced below if refused
        if json.loads(cli("clients", "list", "--json")[1])[INNS.index(inn)]["stage"] != 3:
            assert cli("stage", "advance", inn, "--force", "--reason", "Этап 2 принят")[0] == 0
        for code in S3[ahead:]:
            status, _out, err = cli("checklist", "done", inn, code, "--date", days[code])
            assert status == 0, err  # was refused: «… пункт этапа 3, которого … достиг …»
    db = open_database(f"sqlite:///{sqlite_path}")
    set_executor(db, EXECUTOR)
    db.dispose()
    shown = {inn: {i["code"]: i["done_on"] for i in json.loads(cli("checklist", "show", inn, "--json")[1])
                   if i["stage"] == 3} for inn in INNS}
    assert shown[INNS[0]] == shown[INNS[1]] == shown[INNS[2]] == days
    for inn in INNS:
        out = tmp_path / f"{inn}.pdf"
        status, _out, err = cli("report", "signoff", inn, "--stage", "3", "-o", str(out))
        assert status == 0, err
        text = pdf_text(out.read_bytes())
        since, until, items = _period_and_items(text)
        assert sorted(items) == sorted(date.fromisoformat(d) for d in days.values())
        assert since <= min(items) and max(items) <= until, text  # was «с <today> по <today>» above earlier days
        assert since == _day(5) and until == date.today()
        assert f"работы этапа начаты до перехода на этап {date.today():%d.%m.%Y}" in text, text


def test_the_period_spans_work_finished_after_the_move_on(db):
    set_executor(db, EXECUTOR)
    client_id = add_remote_client(db)
    progress.move_stage(db, client_id, 1)
    progress.move_stage(db, client_id, 2, force=True, reason="Договорились")
    with db.unit() as s:  # into stage 1 twenty days ago, on to stage 2 ten days ago
        for to_stage, ago in ((1, 20), (2, 10)):
            moment = datetime.combine(_day(ago), datetime.min.time()).replace(hour=12)
            s.execute(update(StageEvent).where(StageEvent.client_id == client_id, StageEvent.to_stage == to_stage)
                      .values(at=moment))
    progress.set_checklist(db, client_id, ["s1.instruction"], True, on=_day(25))  # before the move into it
    progress.set_checklist(db, client_id, ["s1.test_project"], True, on=_day(5))  # after the move on
    text = pdf_text(printing.render_draft(docs.prepare_signoff(db, client_id, 1, force=True, reason="Остальное позже")))
    since, until, items = _period_and_items(text)
    assert (since, until) == (_day(25), _day(5)), text  # was «с <20 дней назад> по <10 дней назад>»
    assert all(since <= day <= until for day in items)
    assert (f"(работы этапа начаты до перехода на этап {_day(20):%d.%m.%Y} и завершены после перехода на следующий "
            f"этап {_day(10):%d.%m.%Y})") in text, text


def _move(from_stage: int, to_stage: int, day: date) -> SimpleNamespace:
    return SimpleNamespace(from_stage=from_stage, to_stage=to_stage, at=datetime.combine(day, datetime.min.time())
                           .replace(hour=12))


def _item(day: date | None) -> dict:
    return {"done": day is not None, "done_on": day.isoformat() if day else None}


def test_stage_dates_name_a_move_only_when_the_work_went_past_it():
    from app.services.documents.signoff import stage_dates

    on = date(2026, 12, 20)
    moves = [_move(0, 1, date(2026, 11, 1)), _move(1, 2, date(2026, 11, 10))]
    inside = [_item(date(2026, 11, 3)), _item(None)]
    assert stage_dates(moves, 1, inside, on) == {"since": "2026-11-01", "until": "2026-11-10"}
    assert stage_dates(moves, 2, [_item(date(2026, 10, 28))], on) == {
        "since": "2026-10-28", "until": "2026-12-20", "moved_in": "2026-11-10"}
    # moved back into stage 1: it goes on, as of the sheet's day
    back = [*moves, _move(2, 1, date(2026, 11, 15))]
    assert stage_dates(back, 1, inside, on) == {"since": "2026-11-01", "until": "2026-12-20"}
    assert stage_dates([], 1, inside, on) == {"since": None, "until": None}  # no move into it: no period printed
