"""Editable templates: checklist items added, renamed, reordered; dated rates; issued documents and ticks stay."""

import re
from datetime import date
from decimal import Decimal

import pytest

from app.errors import UserError
from app.reports.printing import issue
from app.services import templates
from app.services.documents import prepare, stored_content
from app.services.estimates import quote
from app.services.progress import checklist, set_checklist
from app.services.tariffs import rates_on
from tests.reports.helpers import ACT_DAY, ISSUED, MARCH, build_world


def _stage_codes(db, stage: int) -> list[str]:
    return [t.code for t in templates.checklist_template(db) if t.stage == stage]


def test_add_rename_reorder_items_of_a_stage(db):
    code, changes = templates.add_checklist_item(db, 2, "Внесены остатки по кассе")
    assert re.fullmatch(r"s2\.custom_[0-9a-f]{10}", code) and changes.checklist
    other_laptop, _c = templates.add_checklist_item(db, 2, "Другой пункт")  # a counter made both «custom_1»
    assert other_laptop != code
    templates.delete_checklist_item(db, other_laptop)
    named, _c = templates.add_checklist_item(db, "3", "Отчёты руководителю", code="s3.reports")
    assert named == "s3.reports" and _stage_codes(db, 3)[-1] == "s3.reports"
    templates.rename_checklist_item(db, code, "Внесены остатки по кассе и банку")
    assert {t.code: t.title for t in templates.checklist_template(db)}[code] == \
        "Внесены остатки по кассе и банку"
    templates.move_checklist_item(db, code, -10)
    assert _stage_codes(db, 2)[0] == code
    order = ["s2.warehouses", "s2.inventory", "s2.contracts", "s2.personnel", "s2.legacy_off", code]
    templates.reorder_checklist(db, 2, order)
    assert _stage_codes(db, 2) == order


@pytest.mark.parametrize(("call", "needle"), [
    (lambda db: templates.add_checklist_item(db, 0, "x"), "1, 2"),
    (lambda db: templates.add_checklist_item(db, 4, "x"), "1, 2"),
    (lambda db: templates.add_checklist_item(db, 1, "  "), "обязательно"),
    (lambda db: templates.add_checklist_item(db, 1, "две\nстроки"), "в одну строку"),
    (lambda db: templates.add_checklist_item(db, 1, "x", code="s2.wrong_stage"), "s1."),
    (lambda db: templates.add_checklist_item(db, 1, "x", code="s1.lessons"), "s1.lessons"),
    (lambda db: templates.rename_checklist_item(db, "s9.none", "x"), "не найден"),
    (lambda db: templates.reorder_checklist(db, 1, ["s1.lessons"]), "s1.instruction"),
    (lambda db: templates.reorder_checklist(db, 1, ["s1.lessons"] * 4), "s1.instruction"),
])
def test_bad_template_edits_change_nothing(db, call, needle):
    before = templates.checklist_template(db)
    with pytest.raises(UserError) as error:
        call(db)
    assert needle in error.value.message
    assert templates.checklist_template(db) == before


def test_warehouses_still_need_the_inventory_whatever_the_order(db):
    build_world(db)
    templates.reorder_checklist(db, 2, ["s2.warehouses", "s2.inventory", "s2.contracts", "s2.personnel",
                                        "s2.legacy_off"])
    templates.rename_checklist_item(db, "s2.inventory", "Инвентаризация")
    from app.services.clients import ClientInput, add_client

    fresh = add_client(db, ClientInput(name="ООО «Новое»", inn="7736207543", approach="remote"))
    with pytest.raises(UserError, match="Инвентаризация"):
        set_checklist(db, fresh, ["s2.warehouses"], True)


def test_a_changed_template_changes_no_issued_document_and_no_past_tick(db):
    world = build_world(db)
    signoff = issue(db, prepare(db, "signoff", world.client_id, stage=1, on=ISSUED))
    act = issue(db, prepare(db, "act", world.client_id, date_from=MARCH[0], date_to=MARCH[1], on=ACT_DAY))
    before_signoff, before_act = stored_content(db, signoff.id), stored_content(db, act.id)
    ticks = {i.code: i.done_on for i in checklist(db, world.client_id) if i.done}
    templates.rename_checklist_item(db, "s1.lessons", "Совсем другое название")
    templates.add_checklist_item(db, 1, "Новый пункт этапа 1")
    templates.reorder_checklist(db, 1, list(reversed(_stage_codes(db, 1))))
    templates.set_rate(db, "remote_hour", "2100", date(2020, 1, 1), force=True, reason="тариф пересмотрен")
    templates.set_rate(db, "USD", "99.99", date(2020, 1, 1))
    assert stored_content(db, signoff.id) == before_signoff
    assert stored_content(db, act.id) == before_act
    assert {i.code: i.done_on for i in checklist(db, world.client_id) if i.done} == ticks
    # the same period again is refused (nothing left to bill) instead of repriced (issue 10)
    with pytest.raises(UserError, match=act.code):
        prepare(db, "act", world.client_id, date_from=MARCH[0], date_to=MARCH[1], on=ACT_DAY)


def test_dated_rates_hold_from_their_date(db):
    templates.set_rate(db, "remote_hour", Decimal("1800"), date(2027, 1, 1), on=date(2026, 3, 1))
    templates.set_rate(db, "USD", "95.50", date(2027, 1, 1), on=date(2026, 3, 1))
    assert rates_on(db, date(2026, 12, 31)).remote_hour == Decimal("1500.00")
    assert rates_on(db, date(2027, 1, 1)).remote_hour == Decimal("1800.00")
    assert rates_on(db, date(2027, 1, 1)).usd_rate == Decimal("95.50")
    from app.domain.estimate import EstimateInput

    assert quote(db, "remote", EstimateInput(conference_hours=Decimal(2)), on=date(2027, 2, 1)).total == 3600
    kinds = {(r.kind, r.valid_from) for r in templates.rates(db)}
    assert ("remote_hour", date(2027, 1, 1)) in kinds and ("USD", date(2027, 1, 1)) in kinds


@pytest.mark.parametrize(("kind", "rate", "valid_from", "needle"), [
    ("remote_hour", "1500", date(1900, 1, 1), "2000"),
    ("remote_hour", "1500", date(2040, 1, 1), "5"),
    ("remote_hour", "-1", date(2026, 1, 1), "положительн"),
    ("remote_hour", "abc", date(2026, 1, 1), "abc"),
    ("EUR", "100", date(2026, 1, 1), "EUR"),
])
def test_bad_rates_change_nothing(db, kind, rate, valid_from, needle):
    before = templates.rates(db)
    with pytest.raises(UserError) as error:
        templates.set_rate(db, kind, rate, valid_from, on=date(2026, 3, 1))
    assert needle in error.value.message
    assert templates.rates(db) == before


def test_template_commands(cli):
    status, out, err = cli("template", "checklist", "add", "1", "--title", "Проведено обучение бухгалтерии")
    assert status == 0, err
    code = out.strip()
    assert re.fullmatch(r"s1\.custom_[0-9a-f]{10}", code)
    assert cli("template", "checklist", "rename", code, "--title", "Обучение бухгалтерии")[0] == 0
    assert cli("template", "checklist", "order", "1", code, "s1.lessons", "s1.instruction", "s1.test_project",
               "s1.directories")[0] == 0
    import json

    items = json.loads(cli("template", "checklist", "list", "--json")[1])
    assert next(i["code"] for i in items if i["stage"] == 1) == code
    assert next(i for i in items if i["code"] == "s2.warehouses")["requires"] == "s2.inventory"
    status, _out, err = cli("template", "checklist", "order", "1", code)
    assert status == 2 and "s1.lessons" in err and "Traceback" not in err
    status, _out, err = cli("template", "checklist", "add", "5", "--title", "x")
    assert status == 2


def test_an_added_item_nobody_ticked_can_be_deleted_and_the_others_keep_their_places(db):
    """The others keep their order and their positions: renumbering them from 1 moved every item of the stage
    (positions are shared by all stages), an audit line each (the re-trial's lines for shipped items)."""
    first, _c = templates.add_checklist_item(db, 2, "Лишний пункт")
    second, _c = templates.add_checklist_item(db, 2, "Нужный пункт")
    before = {t.code: t.position for t in templates.checklist_template(db)}
    changes = templates.delete_checklist_item(db, first)
    assert changes.checklist
    after = {t.code: t.position for t in templates.checklist_template(db)}
    assert first not in after and after == {code: p for code, p in before.items() if code != first}
    items = [t for t in templates.checklist_template(db) if t.stage == 2]
    assert items[-1].code == second


def test_a_move_changes_the_places_of_the_two_items_it_swaps_only(db):
    code, _c = templates.add_checklist_item(db, 2, "Настроить ЭДО")
    before = {t.code: t.position for t in templates.checklist_template(db)}
    stage2 = [t.code for t in templates.checklist_template(db) if t.stage == 2]
    templates.move_checklist_item(db, code, -1)
    after = {t.code: t.position for t in templates.checklist_template(db)}
    moved = {c for c in after if after[c] != before[c]}
    assert moved == {code, stage2[-2]}
    assert after[code] == before[stage2[-2]] and after[stage2[-2]] == before[code]


def test_items_of_the_process_ticked_or_required_are_not_deleted(db):
    build_world(db)
    from app.services.client_list import list_clients

    client_id = list_clients(db)[0].id
    code, _c = templates.add_checklist_item(db, 1, "Проведено обучение бухгалтерии")
    set_checklist(db, client_id, [code], True)
    before = templates.checklist_template(db)
    for item, needle in ((code, "отмечен у заказчиков (1)"), ("s1.lessons", "часть процесса"),
                         ("s2.inventory", "часть процесса"), ("s9.none", "не найден")):
        with pytest.raises(UserError) as error:
            templates.delete_checklist_item(db, item)
        assert needle in error.value.message
    assert templates.checklist_template(db) == before
    set_checklist(db, client_id, [code], False)
    templates.delete_checklist_item(db, code)  # an untick leaves no trace: now it can go
    assert code not in [t.code for t in templates.checklist_template(db)]


def test_delete_command(cli):
    code = cli("template", "checklist", "add", "3", "--title", "Отчёт руководителю")[1].strip()
    status, out, err = cli("template", "checklist", "delete", code)
    assert status == 0 and code in out, err
    status, _out, err = cli("template", "checklist", "delete", "s1.lessons")
    assert status == 2 and "часть процесса" in err and "Traceback" not in err
