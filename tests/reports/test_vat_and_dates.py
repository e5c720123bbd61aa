"""Issue 10, points 3 and 4: dated VAT with three modes and its wording; refused changes inside a billed period;
document dates that make sense; «по состоянию на D» counts only what happened by D."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.errors import UserError
from app.persistence.models import ChecklistState, Client, StageEvent, WorkLogEntry
from app.reports import printing
from app.services import documents as docs
from app.services import estimates, tariffs, worklog
from app.services.worklog import EntryInput
from tests.reports.helpers import ACT_DAY, MARCH, build_world, pdf_text


def act(db, client_id, start, end, on):
    return printing.issue(db, docs.prepare_act(db, client_id, start, end, on=on))


def test_december_2025_act_keeps_20_percent_after_the_rate_becomes_22(db):
    world = build_world(db)
    tariffs.set_vat(db, "included", "20", date(2025, 1, 1))
    worklog.add_entry(db, world.client_id, EntryInput(date(2025, 12, 10), "conference", minutes=60))
    tariffs.set_vat(db, "included", "22", date(2026, 1, 1))
    december = act(db, world.client_id, date(2025, 12, 1), date(2025, 12, 31), date(2025, 12, 31))
    text = pdf_text(december.pdf)
    assert "В том числе НДС 20 %: 250,00" in text and "22 %" not in text
    assert "Всего (с учётом НДС): 1 500,00" in text
    march = pdf_text(act(db, world.client_id, *MARCH, ACT_DAY).pdf)
    assert "В том числе НДС 22 %: 4 733,61" in march  # 26 250 × 22 / 122
    # changing a rate later never changes an issued document
    tariffs.set_vat(db, "on_top", "5", date(2026, 6, 1))
    assert printing.reprint(db, december.code)[1] == december.pdf


def test_vat_on_top_without_vat_and_a_decimal_rate(db):
    world = build_world(db)
    tariffs.set_vat(db, "on_top", "16.67", date(2026, 1, 1))
    text = pdf_text(act(db, world.client_id, *MARCH, ACT_DAY).pdf)
    assert "НДС 16,67 %: 4 375,88" in text and "Всего (с учётом НДС): 30 625,88" in text
    assert "Тридцать тысяч шестьсот двадцать пять рублей 88 копеек" in text
    docs.void_document(db, "АУ-1/2026", "Ставка НДС")
    tariffs.set_vat(db, "none", None, date(2026, 1, 1), basis="п. 2 ст. 346.11 НК РФ")
    text = pdf_text(act(db, world.client_id, *MARCH, ACT_DAY).pdf)
    assert "Без налога (НДС) —" in text and "НДС не облагается на основании п. 2 ст. 346.11 НК РФ." in text
    assert "Всего: 26 250,00" in text
    with pytest.raises(UserError, match="none, included или on_top"):
        tariffs.set_vat(db, "sometimes", "20", date(2026, 1, 1))
    with pytest.raises(UserError, match="ставку НДС"):
        tariffs.set_vat(db, "included", None, date(2026, 7, 1))


def test_estimate_conditions_say_vat_included(db):
    world = build_world(db)
    estimates.set_vat_rate(db, "20")
    text = pdf_text(printing.issue(db, docs.prepare_estimate(db, world.client_id, on=date(2026, 3, 15))).pdf)
    assert "Цены указаны с учётом НДС (в т.ч. НДС 20 %)." in text and "В том числе НДС 20 %: 4 375,00" in text


def test_tariff_and_vat_changes_inside_a_billed_period_are_refused_unless_forced(db):
    world = build_world(db)
    issued = act(db, world.client_id, *MARCH, ACT_DAY)
    for change in (lambda **kw: tariffs.set_tariff(db, "remote_hour", "1800", date(2026, 3, 15), **kw),
                   lambda **kw: tariffs.set_vat(db, "included", "20", date(2026, 3, 15), **kw)):
        with pytest.raises(UserError, match=r"01\.03\.2026–31\.03\.2026 выставлен актом АУ-1/2026") as refused:
            change()
        assert "--" not in refused.value.full_text() and "--force --reason" in refused.value.cli_hint  # window / CLI
        with pytest.raises(UserError, match="АУ-1/2026"):
            change(force=True)  # forced without a reason
        change(force=True, reason="Допсоглашение № 2")
    assert printing.reprint(db, issued.code)[1] == issued.pdf  # the issued act stays as printed
    tariffs.set_tariff(db, "remote_hour", "1800", date(2026, 4, 1))  # after the billed period: fine
    with pytest.raises(UserError, match="кратен 0,60"):
        tariffs.set_tariff(db, "remote_hour", "2000", date(2026, 4, 1))


def test_cli_vat_and_forced_tariff(cli, sqlite_path, tmp_path):
    from app.persistence.db import open_database

    db = open_database(f"sqlite:///{sqlite_path}")
    world = build_world(db)
    db.dispose()
    assert cli("billing", "vat", "included", "20", "--from", "2025-01-01")[0] == 0
    assert cli("report", "act", str(world.client_id), "--from", "2026-03-01", "--to", "2026-03-31", "--date",
               "2026-03-31", "-o", str(tmp_path / "a.pdf"))[0] == 0
    status, _out, err = cli("billing", "vat", "included", "22", "--from", "2026-03-01")
    assert status == 2 and "АУ-1/2026" in err
    status, _out, err = cli("billing", "rate", "remote_hour", "1800", "--from", "2026-03-01")
    assert status == 2 and "--force --reason" in err
    assert cli("billing", "rate", "remote_hour", "1800", "--from", "2026-03-01", "--force", "--reason",
               "Допсоглашение")[0] == 0
    assert "20 %" in cli("billing", "vat-list")[1]


# ------------------------------------------------------------------ dates


def test_a_document_is_never_dated_before_the_previous_number(db):
    world = build_world(db)
    with db.unit() as s:
        s.add(WorkLogEntry(client_id=world.client_id, on_date=date(2026, 4, 10), kind="questions", minutes=30,
                       stage=2))
    act(db, world.client_id, date(2026, 4, 1), date(2026, 4, 30), date(2026, 4, 30))
    with pytest.raises(UserError, match=r"АУ-1/2026, датирован 30\.04\.2026"):
        act(db, world.client_id, date(2026, 2, 1), date(2026, 2, 28), date(2026, 2, 28))


def test_signoff_not_before_the_last_item_it_lists(db):
    world = build_world(db)
    with pytest.raises(UserError, match="незакрытые пункты"):  # as of 02.03 stage 1 is not complete yet
        docs.prepare_signoff(db, world.client_id, 1, on=date(2026, 3, 2))
    draft = docs.prepare_signoff(db, world.client_id, 1, on=date(2026, 3, 4))
    assert [item["done"] for item in draft.content["checklist"]] == [True, True, True, True]


def test_as_of_counts_only_what_happened_by_then(db):
    world = build_world(db)
    with db.unit() as s:
        s.add(WorkLogEntry(client_id=world.client_id, on_date=date(2026, 4, 1), kind="conference", minutes=600,
                           stage=2))
    march = docs.prepare_progress(db, world.client_id, on=date(2026, 3, 31)).content
    assert march["budget"]["actual_total"] == "28500.00"  # the conference of 01.04 is not counted
    assert march["budget"]["actual_hours"] == "19.00"
    february = docs.prepare_progress(db, world.client_id, on=date(2026, 2, 1)).content
    ticks = [item for group in february["checklist"] for item in group["items"] if item["done"]]
    assert ticks == []  # March ticks do not show on 01.02
    assert february["stage"]["number"] == 1 and len(february["history"]) == 1
    assert february["budget"]["actual_total"] == "0.00"
    text = pdf_text(printing.render_draft(docs.prepare_progress(db, world.client_id, on=date(2026, 2, 1))))
    assert "по состоянию на 1 февраля 2026 г." in text and "Справочники заполнены" not in text


def test_stage_sheet_as_of_a_date_and_s1_lessons(db):
    world = build_world(db)
    with db.unit() as s:  # no tick for the lessons item: it follows the lesson progress
        s.query(ChecklistState).filter(ChecklistState.code == "s1.lessons").delete()
    with pytest.raises(UserError, match="Видеоуроки просмотрены по плану"):
        docs.prepare_signoff(db, world.client_id, 1, on=date(2026, 3, 10))
    from app.persistence.models import Lesson, LessonProgress

    with db.unit() as s:
        for lesson in s.query(Lesson).filter(Lesson.stage == 1, Lesson.active.is_(True)):
            if not s.query(LessonProgress).filter_by(client_id=world.client_id, lesson_code=lesson.code).count():
                s.add(LessonProgress(client_id=world.client_id, lesson_code=lesson.code, employee_uuid="",
                                     done=True, done_on=date(2026, 2, 1)))
    draft = docs.prepare_signoff(db, world.client_id, 1, on=date(2026, 3, 10))
    lessons = next(item for item in draft.content["checklist"] if item["code"] == "s1.lessons")
    assert lessons["done"] and lessons["note"].startswith("просмотрено")
    with db.unit() as s:  # a manual tick while lessons are missing: the sheet shows the override
        s.query(LessonProgress).filter(LessonProgress.client_id == world.client_id).delete()
        s.add(ChecklistState(client_id=world.client_id, code="s1.lessons", done=True, done_on=date(2026, 3, 1)))
    text = pdf_text(printing.render_draft(docs.prepare_signoff(db, world.client_id, 1, on=date(2026, 3, 10))))
    assert "отмечено вручную; просмотрено 0 из" in text


def test_default_stage_is_the_last_completed_one(db):
    world = build_world(db)
    assert docs.prepare_signoff(db, world.client_id, on=date(2026, 3, 15)).stage == 1
    with db.unit() as s:
        s.add(StageEvent(client_id=world.client_id, from_stage=2, to_stage=3, at=datetime(2026, 3, 20, 9, 0)))
        s.get(Client, world.client_id).stage = 3
    assert docs.prepare_signoff(db, world.client_id, on=date(2026, 3, 15)).stage == 1  # as of 15.03: at stage 2
    assert docs.prepare_signoff(db, world.client_id, on=date(2026, 3, 21), force=True,
                                reason="Склады позже").stage == 2


def test_the_issue_scenario_with_the_undated_setting(cli, sqlite_path, tmp_path):
    """`billing settings --vat 20`, log December 2025, `--vat 22`: the December act still says 20 %."""
    from app.persistence.db import open_database

    db = open_database(f"sqlite:///{sqlite_path}")
    world = build_world(db)
    db.dispose()
    assert cli("billing", "settings", "--vat", "20")[0] == 0
    assert cli("log", "add", str(world.client_id), "--kind", "conference", "--date", "2025-12-10",
               "--minutes", "55")[0] == 0
    assert cli("billing", "settings", "--vat", "22")[0] == 0
    out = tmp_path / "december.pdf"
    assert cli("report", "act", str(world.client_id), "--from", "2025-12-01", "--to", "2025-12-31", "--date",
               "2025-12-31", "-o", str(out))[0] == 0
    text = pdf_text(out.read_bytes())
    assert "В том числе НДС 20 %: 229,17" in text and "22 %" not in text and "1 375,00" in text
