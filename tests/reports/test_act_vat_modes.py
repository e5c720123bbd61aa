"""An act bills under one VAT mode, and an act under two rates of one mode names each line's (a fresh tester,
2026-12-05: an act across «сверху 22 %» → «без НДС» said «НДС не облагается на основании …» and «НДС 22 %: 330,00»
at once with its lines unmarked; with «сверху» and «в том числе» its whole VAT appeared nowhere)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.errors import UserError
from app.persistence.models import Document
from app.reports import printing
from app.services import documents as docs
from app.services import tariffs
from tests.reports.helpers import ACT_DAY, MARCH, build_world, pdf_text


def _documents(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Document))


@pytest.mark.parametrize(("first", "second", "before", "after"), [
    (("on_top", "22"), ("none", None), "НДС сверху цен 22 %", "без НДС на основании п. 2 ст. 346.11 НК РФ"),
    (("on_top", "20"), ("included", "20"), "НДС сверху цен 20 %", "НДС в том числе (в ценах) 20 %"),
])
def test_an_act_across_a_change_of_vat_mode_is_refused_naming_the_day_and_the_two_acts(db, first, second, before,
                                                                                          after):
    world = build_world(db)  # March: conference on the 2nd, questions on the 3rd, data control on the 4th
    tariffs.set_vat(db, *first, date(2026, 1, 1))
    tariffs.set_vat(db, *second, date(2026, 3, 4), **({"basis": "п. 2 ст. 346.11 НК РФ"} if second[0] == "none"
                                                     else {}))
    with pytest.raises(UserError) as err:
        docs.prepare_act(db, world.client_id, *MARCH, on=ACT_DAY)
    assert err.value.message == (
        f"НДС работ «ООО „Ромашка“» с 01.03.2026 по 31.03.2026 меняется 04.03.2026: до этого дня — {before}, с него — "
        f"{after}. В одном акте их не совместить: оформите два акта — по 03.03.2026 и с 04.03.2026.")
    assert _documents(db) == 0
    # the two acts it names are issued, each under its own VAT
    printing.issue(db, docs.prepare_act(db, world.client_id, MARCH[0], date(2026, 3, 3), on=ACT_DAY))
    printing.issue(db, docs.prepare_act(db, world.client_id, date(2026, 3, 4), MARCH[1], on=ACT_DAY))
    assert _documents(db) == 2


def test_an_act_under_two_rates_of_one_mode_names_each_lines_vat_and_each_total(db):
    world = build_world(db)
    tariffs.set_vat(db, "included", "20", date(2025, 1, 1))
    tariffs.set_vat(db, "included", "22", date(2026, 3, 3))  # the conference of the 2nd at 20 %, the rest at 22 %
    text = pdf_text(printing.issue(db, docs.prepare_act(db, world.client_id, *MARCH, on=ACT_DAY)).pdf)
    flat = " ".join(text.split())
    assert "пользователями (НДС 20 %)" in flat and "вопросы (НДС 22 %)" in flat and "информации (НДС 22 %)" in flat
    # 12 h × 1 500 = 18 000 at 20 %: 3 000,00; 3 h + 2.5 h = 8 250 at 22 %: 1 487,70
    assert "В том числе НДС 20 %: 3 000,00" in text and "В том числе НДС 22 %: 1 487,70" in text


def test_an_act_under_one_vat_names_none_on_its_lines(db):
    world = build_world(db)
    tariffs.set_vat(db, "included", "22", date(2025, 1, 1))
    text = pdf_text(printing.issue(db, docs.prepare_act(db, world.client_id, *MARCH, on=ACT_DAY)).pdf)
    assert "(НДС 22 %)" not in " ".join(text.split()) and "В том числе НДС 22 %" in text


def test_the_months_batch_skips_a_client_whose_month_crosses_a_change_of_mode_saying_why(db, tmp_path):
    from app.reports.batch import SKIPPED, issue_month_acts

    world = build_world(db)
    tariffs.set_vat(db, "on_top", "22", date(2026, 1, 1))
    tariffs.set_vat(db, "none", None, date(2026, 3, 4), basis="п. 2 ст. 346.11 НК РФ")
    done = issue_month_acts(db, "2026-03", tmp_path / "acts", on=ACT_DAY)
    [line] = [line for line in done.lines if line.client_id == world.client_id]
    assert line.outcome == SKIPPED and "оформите два акта — по 03.03.2026 и с 04.03.2026" in line.reason


def test_an_act_across_two_legal_bases_without_vat_is_refused_naming_both(db):
    world = build_world(db)
    tariffs.set_vat(db, "none", None, date(2024, 1, 1), basis="п. 2 ст. 346.11 НК РФ")
    tariffs.set_vat(db, "none", None, date(2026, 3, 4), basis="ст. 145 НК РФ")
    with pytest.raises(UserError) as err:
        docs.prepare_act(db, world.client_id, *MARCH, on=ACT_DAY)
    assert err.value.message == (
        "Основание освобождения от НДС работ «ООО „Ромашка“» с 01.03.2026 по 31.03.2026 меняется 04.03.2026: до этого "
        "дня — «п. 2 ст. 346.11 НК РФ», с него — «ст. 145 НК РФ». В одном акте их не напечатать: оформите два акта — "
        "по 03.03.2026 и с 04.03.2026.")
    tariffs.set_vat(db, "none", None, date(2026, 3, 4), basis="п. 2  ст. 346.11 НК  РФ")  # the same, spaced otherwise
    text = pdf_text(printing.issue(db, docs.prepare_act(db, world.client_id, *MARCH, on=ACT_DAY)).pdf)
    assert text.count("Без налога (НДС)") == 1


def test_a_basis_an_older_version_kept_with_double_spaces_is_the_same_basis(db):
    from sqlalchemy import update

    from app.persistence.models import VatRate

    world = build_world(db)
    tariffs.set_vat(db, "none", None, date(2024, 1, 1), basis="п. 2 ст. 346.11 НК РФ")
    tariffs.set_vat(db, "none", None, date(2026, 3, 4), basis="п. 2 ст. 346.11 НК РФ")
    with db.unit() as s:  # as an older version stored it
        s.execute(update(VatRate).where(VatRate.valid_from == date(2026, 3, 4)).values(basis="п. 2  ст. 346.11  НК РФ"))
    text = pdf_text(printing.issue(db, docs.prepare_act(db, world.client_id, *MARCH, on=ACT_DAY)).pdf)
    assert text.count("Без налога (НДС)") == 1
