"""Issue 10, point 6: requisites as the accountant expects them, and no document fails because of what a user
typed — 5 000 characters in every field flow across pages in all four documents."""

from __future__ import annotations

from datetime import date

import pytest

from app.errors import UserError
from app.persistence.models import (
    ChecklistTemplate,
    Client,
    Estimate,
    Executor,
    Lesson,
    StageDef,
    StageEvent,
)
from app.reports import printing
from app.services import documents as docs
from tests.reports.helpers import (
    ACT_DAY,
    ISSUED,
    MARCH,
    build_world,
    check_margins,
    page_count,
    pdf_text,
    text_positions,
)

WORDS = ("Производственное объединение «Северо-Западный станкостроительный завод имени героев труда» "
         "улица Промышленная строение 15 корпус 3 ")


def long_text(length: int = 5000) -> str:
    return (WORDS * (length // len(WORDS) + 1))[:length].strip()


def _fit(obj, name: str, text: str) -> None:
    """The text at the longest length the field takes (a user cannot type more: the column limits it)."""
    limit = getattr(type(obj).__table__.c[name].type, "length", None)
    setattr(obj, name, text[:limit] if limit else text)


def fill_everything(db, world) -> None:
    text = long_text()
    with db.unit() as s:
        executor = s.query(Executor).first()
        for name in ("company", "address", "bank_details", "specialist_name", "specialist_position", "signer_name",
                     "signer_position", "bank_name", "poa_number"):
            _fit(executor, name, text)
        _fit(executor, "city", text)
        executor.poa_date = date(2026, 1, 10)
        client = s.get(Client, world.client_id)
        for name in ("name", "address", "signer_name", "signer_position", "contract_no", "program_version"):
            _fit(client, name, text)
        for stage in s.query(StageDef):
            _fit(stage, "title", text)
            _fit(stage, "goal", text)
        for template in s.query(ChecklistTemplate):
            _fit(template, "title", text)
        for lesson in s.query(Lesson):
            _fit(lesson, "title", text)
        for event in s.query(StageEvent):
            _fit(event, "who", text)
            _fit(event, "reason", text)
        for estimate in s.query(Estimate):
            _fit(estimate, "note", text)


@pytest.mark.parametrize("kind,options", [
    ("signoff", {"stage": 2, "force": True, "reason": long_text()}),
    ("act", {"date_from": MARCH[0], "date_to": MARCH[1]}),
    ("estimate", {}),
    ("progress", {}),
])
def test_every_document_renders_with_5000_characters_in_every_field(db, kind, options, tmp_path):
    world = build_world(db)
    fill_everything(db, world)
    issued = printing.issue(db, docs.prepare(db, kind, world.client_id, on=ACT_DAY if kind == "act" else ISSUED,
                                         **options))
    pages = page_count(issued.pdf)
    assert pages >= 2  # the long texts flow onto further pages instead of failing the layout
    text = pdf_text(issued.pdf)
    assert f"Страница {pages} из {pages}" in text and "улица Промышленная" in text
    assert check_margins(issued.pdf, tmp_path) == pages
    last = [text for _x, _y, text in text_positions(issued.pdf, pages - 1)]
    assert last.count("(подпись)") == 2 and last.count("М.П. (при наличии)") == 2  # signatures kept together


def test_requisites_as_1c_prints_them(db):
    world = build_world(db)
    docs.update_executor(db, ogrn="1027700132195", bank_account="40702810200000012345", bank_name="ПАО Сбербанк",
                         bank_bik="044525225", bank_corr="30101810400000000225", poa_number="77/12",
                         poa_date=date(2026, 1, 10), city="пос. Заречный")
    with db.unit() as s:
        client = s.get(Client, world.client_id)
        client.address, client.city = "", ""
    text = pdf_text(printing.issue(db, docs.prepare_act(db, world.client_id, *MARCH, on=ACT_DAY)).pdf)
    for needle in ("ОГРН 1027700132195", "р/с 40702810200000012345 в ПАО Сбербанк", "БИК 044525225",
                   "к/с 30101810400000000225", "по доверенности № 77/12 от 10.01.2026",
                   "адрес: ________________________________________", "пос. Заречный"):
        assert needle in text, needle
    assert "г. пос." not in text
    with pytest.raises(UserError, match="20 цифр"):
        docs.update_executor(db, bank_account="4070")
    with pytest.raises(UserError, match="дату доверенности"):
        docs.update_executor(db, poa_number="1", poa_date=None)


def test_no_double_city_prefix_and_non_breaking_amounts(db):
    world = build_world(db)
    docs.update_executor(db, city="г. Москва")
    content = docs.prepare_act(db, world.client_id, *MARCH, on=ACT_DAY).content
    assert content["place"] == "г. Москва"
    docs.update_executor(db, city="Москва")
    assert docs.prepare_act(db, world.client_id, *MARCH, on=ACT_DAY).content["place"] == "г.\u00a0Москва"


def test_an_organisation_needs_its_kpp(db):
    world = build_world(db)
    with db.unit() as s:
        s.get(Client, world.client_id).kpp = ""
    with pytest.raises(UserError, match="без КПП"):
        docs.prepare_progress(db, world.client_id, on=ISSUED)
    with db.unit() as s:
        s.get(Client, world.client_id).kpp = "500101001"
    with db.unit() as s:
        s.query(Executor).first().kpp = ""
    with pytest.raises(UserError, match="КПП исполнителя"):
        docs.prepare_progress(db, world.client_id, on=ISSUED)


def test_one_expense_line_per_trip_with_its_date(db):
    from app.services.worklog import EntryInput, add_entry

    world = build_world(db)
    with db.unit() as s:
        s.get(Client, world.client_id).approach = "onsite"
    from decimal import Decimal

    for day, kind, amount in ((12, "transfer", "8400"), (12, "lodging", "7000"), (20, "transfer", "5200")):
        add_entry(db, world.client_id, EntryInput(date(2026, 3, day), kind, amount=Decimal(amount)))
    text = pdf_text(printing.issue(db, docs.prepare_act(db, world.client_id, *MARCH, on=ACT_DAY)).pdf)
    assert "Возмещение расходов на проезд (трансфер) 12.03.2026 усл. 1 8 400,00" in text
    assert "Возмещение расходов на проживание 12.03.2026" in text
    assert "Возмещение расходов на проезд (трансфер) 20.03.2026 усл. 1 5 200,00" in text
    assert "Трансфер" not in text


def test_amounts_dates_and_city_never_wrap_inside():
    """12 345 678,90 used to wrap as «12 345 / 678,90»: amounts use non-breaking spaces and the money columns
    hold 99 999 999,99 on one line; negatives get «−»."""
    from decimal import Decimal

    from app.reports import parts
    from app.reports import text as t

    lines = [{"label": "Удалённые конференции", "unit": "мин", "quantity": "99999", "rate": "12345678.90",
              "amount": "99999999.99"}]
    flow = parts.money_table(lines * 3, "99999999.99", [{"mode": "on_top", "rate": "20", "label": "НДС 20 %",
                                                         "amount": "12345678.90"}], total_due="99999999.99")
    tables = [part for item in flow for part in getattr(item, "_content", [item])]
    assert len(tables) == 3  # the rows, the last rows kept with the totals, the totals
    checked = 0
    for table in tables:
        table.wrap(parts.CONTENT_WIDTH, 800)
        for row in table._cellvalues:
            for value, width in zip(row, table._colWidths, strict=True):
                cell = value[0] if isinstance(value, tuple | list) and value else value  # reportlab wraps cells
                text = getattr(cell, "_plain", ("",))[0]
                if any(ch.isdigit() for ch in text):
                    cell.wrap(width - 7, 800)  # the cell padding is 3,5 pt on each side
                    assert len(cell.blPara.lines) == 1, text
                    checked += 1
    assert checked >= 12
    assert t.amount(Decimal("12345678.90")) == "12\u00a0345\u00a0678,90"
    assert t.amount(Decimal("-5")) == "\u22125,00"


def test_a_remote_act_needs_only_the_remote_tariff(db):
    from app.persistence.models import ExchangeRate, Tariff

    world = build_world(db)
    with db.unit() as s:
        s.query(Tariff).filter(Tariff.kind == "onsite_day").delete()
        s.query(ExchangeRate).delete()
    text = pdf_text(printing.issue(db, docs.prepare_act(db, world.client_id, *MARCH, on=ACT_DAY)).pdf)
    assert "26 250,00" in text and "USD" not in text
