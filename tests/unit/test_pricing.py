"""Pricing engine: the example figures, each part its own line, VAT, USD with its date, comparison, billing."""

from datetime import date
from decimal import Decimal as D

import pytest

from app.domain.billing import LogItem, bill, minute_price, round_minutes
from app.domain.comparison import compare
from app.domain.estimate import EstimateInput, estimate
from app.domain.pricing import (
    NO_VAT,
    VatRule,
    VatSchedule,
    check_vat_rate,
    hours_of,
    money,
)
from app.domain.rates import RateSchedule
from app.errors import UserError

JULY = date(2024, 7, 1)


def schedule(**extra) -> RateSchedule:
    tariffs = {"remote_hour": [(JULY, D("1500.00"))], "onsite_day": [(JULY, D("14000.00"))]}
    for kind, rows in extra.items():
        tariffs[kind] = tariffs.get(kind, []) + rows
    return RateSchedule(tariffs, [(JULY, D("87.50"))])


RATES = schedule().on(JULY)
REMOTE = EstimateInput(conference_hours=D(12), question_hours=D(3), control_hours=D("2.5"))
ONSITE = EstimateInput(days=D(3), transfer=D(8400), lodging=D(7000))


def test_remote_example_17_5_hours_26250():
    quote = estimate("remote", REMOTE, RATES, JULY)
    assert quote.total == D("26250.00")
    assert quote.hours == D("17.50")
    assert [(line.kind, line.quantity, line.rate, line.amount) for line in quote.lines] == [
        ("conference", D("12.00"), D("1500.00"), D("18000.00")),
        ("questions", D("3.00"), D("1500.00"), D("4500.00")),
        ("control", D("2.50"), D("1500.00"), D("3750.00")),
    ]
    assert quote.total_usd == D("300.00")


def test_onsite_example_57400_and_656_usd():
    quote = estimate("onsite", ONSITE, RATES, JULY)
    assert quote.total == D("57400.00")
    assert quote.total_usd == D("656.00")
    assert (quote.usd_rate, quote.usd_date) == (D("87.50"), JULY)
    assert [(line.kind, line.amount) for line in quote.lines] == [
        ("onsite_day", D("42000.00")), ("transfer", D("8400.00")), ("lodging", D("7000.00"))]
    assert quote.lines[0].label == "Выездное внедрение, рабочие дни"


def test_estimate_json_has_exactly_the_design_shape():
    data = estimate("onsite", ONSITE, RATES, JULY).estimate_json()
    assert list(data) == ["approach", "lines", "total", "currency", "usd_rate", "total_usd"]
    assert data["total"] == "57400.00" and data["usd_rate"] == "87.50" and data["total_usd"] == "656.00"
    assert data["currency"] == "RUB"
    assert set(data["lines"][0]) == {"label", "quantity", "unit", "rate", "amount"}
    assert all(isinstance(v, str) for line in data["lines"] for v in line.values())


def test_accompanied_is_free_with_a_line_saying_so():
    quote = estimate("accompanied", REMOTE, RATES, JULY)
    assert quote.total == D("0.00") and quote.total_usd == D("0.00")
    assert len(quote.lines) == 1 and "бесплатно" in quote.lines[0].label


def test_vat_included_in_total_or_none():
    plain = estimate("remote", REMOTE, RATES, JULY)
    assert (plain.vat_amount, plain.vat_label) == (D("0.00"), "Без налога (НДС)")
    assert plain.vat_ui == "Без НДС"
    taxed = estimate("remote", REMOTE, RATES, JULY, vat_rate=D("20"))
    assert taxed.total == D("26250.00")  # VAT is inside the total, not added on top
    assert taxed.vat_amount == D("4375.00")
    assert taxed.vat_label == "В том числе НДС 20\u00a0%"
    assert taxed.total_due == taxed.total
    assert "4 375,00" in taxed.vat_ui


@pytest.mark.parametrize("value,expected", [
    (None, None), ("", None), ("без НДС", None), ("none", None), ("20", D("20.00")), ("20%", D("20.00")),
    ("0", D("0.00")), ("10,5", D("10.50")),
])
def test_vat_rate_setting_values(value, expected):
    assert check_vat_rate(value) == expected


@pytest.mark.parametrize("value", ["-1", "100", "abc", "20.555", "NaN"])
def test_vat_rate_refused(value):
    with pytest.raises(UserError):
        check_vat_rate(value)


@pytest.mark.parametrize("field,value", [
    ("conference_hours", D(-1)), ("days", D("-0.5")), ("transfer", D(-100)),
    ("conference_hours", D(100_000)), ("days", D(5000)), ("lodging", D("1e12")), ("days", D("NaN")),
])
def test_negative_or_absurd_planned_figures_refused(field, value):
    with pytest.raises(UserError):
        estimate("onsite", EstimateInput(**{field: value}), RATES, JULY)


def test_quantities_kept_to_two_places_like_storage():
    # a third decimal is refused since 985e72c (it was rounded to 1,01 h here, while the work log refused it)
    with pytest.raises(UserError, match="не больше двух знаков после запятой"):
        estimate("remote", EstimateInput(conference_hours=D("1.005")), RATES, JULY)
    quote = estimate("remote", EstimateInput(conference_hours=D("1.010")), RATES, JULY)
    assert quote.lines[0].quantity == D("1.01") and quote.total == D("1515.00")


def test_comparison_default_remote_cheaper_and_why():
    result = compare(EstimateInput(conference_hours=D(12), question_hours=D(3), control_hours=D("2.5"),
                                   transfer=D(8400), lodging=D(7000)), RATES, JULY)
    assert result.work_hours == D("17.50")
    onsite = result.option("onsite")
    assert onsite.days == D("3.00")  # 17.5 h / 8 h → whole days rounded up
    assert onsite.quote.total == D("57400.00")
    assert result.option("remote").quote.total == D("26250.00")
    assert result.option("accompanied").quote.total == D("0.00")
    assert result.cheapest == "remote" and result.saving == D("31150.00")
    assert result.break_even_hours is None  # 14 000 / 8 = 1 750 ₽/h > 1 500 ₽/h
    text = " ".join(result.reasons)
    assert "1 750,00 ₽" in text and "31 150,00 ₽" in text


def test_comparison_from_days_uses_hours_per_day():
    result = compare(EstimateInput(days=D(3)), RATES, JULY, hours_per_day=D(6))
    assert result.work_hours == D("18.00")
    assert result.option("remote").quote.total == D("27000.00")
    assert result.option("onsite").days == D("3.00")


@pytest.mark.parametrize("hpd,days", [(D(8), D("3.00")), (D(6), D("3.00")), (D(10), D("2.00")), (D(4), D("5.00"))])
def test_comparison_days_depend_on_configured_hours_per_day(hpd, days):
    assert compare(REMOTE, RATES, JULY, hours_per_day=hpd).option("onsite").days == days


def test_comparison_onsite_cheaper_beyond_break_even():
    rates = schedule(onsite_day=[(date(2024, 8, 1), D("8000.00"))]).on(date(2024, 8, 1))  # 1 000 ₽/h on site
    expenses = dict(transfer=D(8400), lodging=D(7000))
    assert compare(EstimateInput(conference_hours=D(40), **expenses), rates, JULY).cheapest == "onsite"
    few = compare(EstimateInput(conference_hours=D(16), **expenses), rates, JULY)
    assert few.cheapest == "remote"
    assert few.break_even_hours == D("30.80")  # 15 400 / (1 500 − 1 000)


def test_comparison_refuses_bad_hours_per_day():
    with pytest.raises(UserError):
        compare(REMOTE, RATES, JULY, hours_per_day=D(0))


def test_rate_schedule_picks_by_date_and_refuses_dates_before_any_tariff():
    table = schedule(remote_hour=[(date(2025, 1, 1), D("2000.00"))])
    assert table.on(date(2024, 12, 31)).remote_hour == D("1500.00")
    assert table.on(date(2025, 1, 1)).remote_hour == D("2000.00")
    assert table.on(date(2025, 1, 1)).remote_from == date(2025, 1, 1)
    with pytest.raises(UserError, match=r"01\.01\.2020"):
        table.on(date(2020, 1, 1))
    assert table.lenient(date(2020, 1, 1)).remote_hour == D("1500.00")


@pytest.mark.parametrize("minutes,step,billed", [
    (1, 0, 1), (90, 0, 90), (1, 15, 15), (15, 15, 15), (16, 15, 30), (61, 60, 120), (45, 30, 60), (0, 15, 0)])
def test_round_minutes_up_per_entry(minutes, step, billed):
    assert round_minutes(minutes, step) == billed


def test_bill_each_entry_at_its_own_dates_tariff():
    table = schedule(remote_hour=[(date(2025, 1, 1), D("1800.00"))])
    items = [LogItem(date(2024, 12, 30), "conference", minutes=60),
             LogItem(date(2025, 1, 10), "conference", minutes=90),
             LogItem(date(2025, 1, 10), "questions", minutes=30)]
    quote = bill("remote", items, table.on, date(2025, 1, 31))
    assert [(line.kind, line.quantity, line.unit, line.rate, line.amount) for line in quote.lines] == [
        ("conference", D("60"), "мин", D("25.00"), D("1500.00")),
        ("conference", D("90"), "мин", D("30.00"), D("2700.00")),
        ("questions", D("30"), "мин", D("30.00"), D("900.00")),
    ]
    assert "(тариф с\u00a001.01.2025)" in quote.lines[1].label and "тариф" not in quote.lines[2].label
    assert quote.total == D("5100.00")


def test_bill_rounding_days_amounts_and_free_approach():
    items = [LogItem(JULY, "conference", minutes=50), LogItem(JULY, "control", minutes=10),
             LogItem(JULY, "onsite_day", days=D("1.5")), LogItem(JULY, "transfer", amount=D("8400.00"))]
    quote = bill("onsite", items, schedule().on, JULY, rounding_step=15)
    by_kind = {line.kind: line for line in quote.lines}
    assert by_kind["conference"].quantity == D("60") and by_kind["control"].quantity == D("15")
    assert by_kind["onsite_day"].amount == D("21000.00")
    assert by_kind["transfer"].label == "Возмещение расходов на проезд (трансфер) 01.07.2024"
    assert quote.total == D("1500.00") + D("375.00") + D("21000.00") + D("8400.00")
    free = bill("accompanied", items[:2], schedule().on, JULY)
    assert free.total == D("0.00")


def test_bill_line_multiplies_out_and_keeps_exact_minutes():
    quote = bill("remote", [LogItem(JULY, "questions", minutes=70)], schedule().on, JULY)
    line = quote.lines[0]
    assert (line.minutes, line.quantity, line.unit, line.rate, line.amount) == (70, D("70"), "мин", D("25.00"),
                                                                               D("1750.00"))
    assert line.quantity * line.rate == line.amount


@pytest.mark.parametrize("minutes,amount", [
    ([55], "1375.00"), ([65], "1625.00"), ([218], "5450.00"), ([4 * 60 + 15], "6375.00"), ([90, 1], "2275.00"),
])
def test_issue_figures_time_shown_is_time_billed_and_multiplies_out(minutes, amount):
    """Issue 10, point 2: the right amounts at 1 500 ₽/h without rounding."""
    quote = bill("remote", [LogItem(JULY, "conference", minutes=m) for m in minutes], schedule().on, JULY)
    assert quote.total == D(amount)
    (line,) = quote.lines
    assert line.quantity == sum(minutes) and line.quantity * line.rate == line.amount
    assert line.amount == money(D(sum(minutes)) * D(1500) / 60)


def test_six_entries_show_one_figure_of_hours():
    """50, 50, 50, 7, 13, 20 minutes: 190 minutes = 3,17 h whether summed per line or in total."""
    items = [LogItem(JULY, kind, minutes=m) for kind, m in (("conference", 50), ("conference", 50),
                                                            ("conference", 50), ("questions", 7),
                                                            ("questions", 13), ("control", 20))]
    quote = bill("remote", items, schedule().on, JULY)
    assert quote.billed_minutes == 190 and quote.hours == hours_of(190) == D("3.17")
    assert quote.total == D("4750.00")


def test_a_tariff_without_an_exact_minute_price_falls_back_to_hours():
    table = schedule(remote_hour=[(JULY, D("2000.00"))])
    line = bill("remote", [LogItem(JULY, "conference", minutes=90)], table.on, JULY).lines[0]
    assert (line.unit, line.quantity, line.amount) == ("ч", D("1.50"), D("3000.00"))
    assert minute_price(D("2000.00")) is None and minute_price(D("1500.00")) == D("25.00")


def test_vat_by_date_included_and_on_top():
    vat = VatSchedule([VatRule("included", D("20"), valid_from=date(2025, 1, 1)),
                       VatRule("on_top", D("22"), valid_from=date(2026, 1, 1))])
    items = [LogItem(date(2025, 12, 3), "conference", minutes=60), LogItem(date(2026, 1, 3), "conference", minutes=60)]
    quote = bill("remote", items, schedule().on, date(2026, 1, 31), 0, vat.on)
    parts = quote.vat_parts
    assert [(p.rule.mode, p.base, p.amount) for p in parts] == [("included", D("1500.00"), D("250.00")),
                                                                ("on_top", D("1500.00"), D("330.00"))]
    assert quote.total == D("3000.00") and quote.total_due == D("3330.00")
    assert parts[0].rule.label == "В том числе НДС 20\u00a0%" and parts[1].rule.label == "НДС 22\u00a0%"
    assert VatRule("included", D("16.67")).label == "В том числе НДС 16,67\u00a0%"
    assert NO_VAT.label == "Без налога (НДС)"


def test_billing_asks_only_for_the_tariffs_it_uses():
    """A remote act must not demand an on-site tariff or a USD rate (issue 10, point 6)."""
    only_remote = RateSchedule({"remote_hour": [(JULY, D("1500.00"))]}, [])
    quote = bill("remote", [LogItem(JULY, "conference", minutes=55)], only_remote.on, JULY)
    assert quote.total == D("1375.00") and quote.total_usd == D("0.00")
    with pytest.raises(UserError, match=r"01\.07\.2024"):
        bill("onsite", [LogItem(JULY, "onsite_day", days=D(1))], only_remote.on, JULY)
