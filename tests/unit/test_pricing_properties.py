"""Property tests of the pricing engine: totals are sums of lines, never negative, order-free, dated rates."""

from datetime import date, timedelta
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.billing import LogItem, bill, round_minutes
from app.domain.comparison import compare
from app.domain.estimate import EstimateInput, estimate
from app.domain.pricing import KINDS, Quote, money
from app.domain.rates import RateSchedule

JULY = date(2024, 7, 1)
NEW_YEAR = date(2025, 1, 1)

money_st = st.decimals(min_value=D("0.01"), max_value=D("100000"), places=2, allow_nan=False,
                       allow_infinity=False)
hours_st = st.decimals(min_value=D(0), max_value=D(2000), places=2, allow_nan=False, allow_infinity=False)
amount_st = st.decimals(min_value=D(0), max_value=D(1_000_000), places=2, allow_nan=False, allow_infinity=False)
day_st = st.dates(min_value=JULY, max_value=date(2026, 12, 31))
rates_st = st.builds(
    lambda hour, day, usd: RateSchedule({"remote_hour": [(JULY, hour)], "onsite_day": [(JULY, day)]},
                                        [(JULY, usd)]),
    money_st, money_st, money_st)
days_st = st.decimals(min_value=D(0), max_value=D(1000), places=2, allow_nan=False, allow_infinity=False)
inputs_st = st.builds(EstimateInput, hours_st, hours_st, hours_st, days_st, amount_st, amount_st)


@st.composite
def log_items(draw):
    kind = draw(st.sampled_from(KINDS))
    on = draw(day_st)
    if kind in ("conference", "questions", "control"):
        return LogItem(on, kind, minutes=draw(st.integers(1, 1440)))
    if kind == "onsite_day":
        return LogItem(on, kind, days=draw(st.decimals(D("0.01"), D(31), places=2)))
    return LogItem(on, kind, amount=draw(st.decimals(D("0.01"), D(1_000_000), places=2)))


def _sum(quote: Quote) -> D:
    return sum((line.amount for line in quote.lines), D("0.00"))


@given(st.sampled_from(["accompanied", "remote", "onsite"]), inputs_st, rates_st)
def test_estimate_total_is_sum_of_lines_and_never_negative(approach, data, table):
    quote = estimate(approach, data, table.on(JULY), JULY)
    assert quote.total == _sum(quote)
    assert quote.total >= 0 and quote.total_usd >= 0 and quote.vat_amount >= 0
    for line in quote.lines:
        assert line.amount == money(line.quantity * line.rate)  # every printed line multiplies out
        assert line.amount >= 0


@given(inputs_st, rates_st, st.randoms(use_true_random=False))
def test_total_independent_of_line_order(data, table, rnd):
    quote = estimate("onsite", data, table.on(JULY), JULY)
    lines = list(quote.lines)
    rnd.shuffle(lines)
    shuffled = Quote(quote.approach, quote.on, tuple(lines), quote.usd_rate, quote.usd_date, quote.vat_rate)
    assert shuffled.total == quote.total and shuffled.total_usd == quote.total_usd


@given(st.lists(log_items(), max_size=30), rates_st, st.sampled_from([0, 15, 30, 60]),
       st.randoms(use_true_random=False))
def test_bill_independent_of_entry_order_and_sum_of_lines(items, table, step, rnd):
    first = bill("remote", items, table.on, JULY, step)
    shuffled = list(items)
    rnd.shuffle(shuffled)
    second = bill("remote", shuffled, table.on, JULY, step)
    assert first == second
    assert first.total == _sum(first) and first.total >= 0
    for line in first.lines:  # every line multiplies out; time lines state their exact minutes
        assert line.amount == money(line.quantity * line.rate)
        if line.unit == "мин":
            assert line.quantity == line.minutes
        elif line.minutes is not None:  # an old tariff without an exact minute price: hours to 0,01
            assert abs(line.quantity - D(line.minutes) / 60) <= D("0.005")


@given(st.lists(log_items(), max_size=30), st.integers(1, 100_000), st.sampled_from([0, 15, 30, 60]))
def test_time_shown_is_time_billed_and_the_amount_is_rounded_once(items, sixty_kopecks, step):
    """Issue 10, point 2: with an hourly tariff that is a multiple of 0,60 ₽ (the only ones set_tariff accepts),
    each time line's quantity is its billed minutes, quantity × price = amount to the kopeck, and the amount
    is billed minutes × hourly tariff / 60 rounded once."""
    hourly = D(sixty_kopecks) * D("0.60")
    table = RateSchedule({"remote_hour": [(JULY, hourly)], "onsite_day": [(JULY, D(1))]}, [(JULY, D(1))])
    quote = bill("remote", items, table.on, JULY, step)
    for line in quote.lines:
        if line.minutes is not None:
            assert line.unit == "мин" and line.quantity == line.minutes
            assert line.quantity * line.rate == line.amount
            assert line.amount == money(D(line.minutes) * hourly / 60)
    billed = sum(round_minutes(i.minutes or 0, step) for i in items if i.kind in ("conference", "questions",
                                                                                    "control"))
    assert quote.billed_minutes == billed


@given(st.lists(log_items(), max_size=30), rates_st)
def test_rounding_never_bills_less_than_exact_time(items, table):
    exact = bill("remote", items, table.on, JULY, 0)
    for step in (15, 30, 60):
        assert bill("remote", items, table.on, JULY, step).total >= exact.total


@given(st.integers(0, 5000), st.sampled_from([15, 30, 60]))
def test_round_minutes_is_the_next_multiple(minutes, step):
    billed = round_minutes(minutes, step)
    assert billed % step == 0 and minutes <= billed < minutes + step
    assert round_minutes(billed, step) == billed
    assert round_minutes(minutes, 0) == minutes


whole_roubles = st.integers(1, 100_000).map(lambda n: D(n).quantize(D("0.01")))


@settings(max_examples=60)
@given(st.lists(log_items(), max_size=30), whole_roubles, whole_roubles, st.sampled_from([15, 30, 60]))
def test_second_tariff_changes_only_entries_dated_from_it(items, new_hour, new_day, step):
    """A tariff from 2025-01-01 reprices exactly the entries dated on or after it; older ones keep their sums."""
    old = RateSchedule({"remote_hour": [(JULY, D("1500.00"))], "onsite_day": [(JULY, D("14000.00"))]},
                       [(JULY, D("87.50"))])
    new = RateSchedule({"remote_hour": [(JULY, D("1500.00")), (NEW_YEAR, new_hour)],
                        "onsite_day": [(JULY, D("14000.00")), (NEW_YEAR, new_day)]}, [(JULY, D("87.50"))])
    before = [i for i in items if i.on_date < NEW_YEAR]
    after = [i for i in items if i.on_date >= NEW_YEAR]
    assert bill("onsite", before, new.on, JULY, step) == bill("onsite", before, old.on, JULY, step)
    # quarters of an hour at whole-rouble tariffs are exact, so sums split cleanly by date
    whole_new = bill("onsite", items, new.on, JULY, step).total
    whole_old = bill("onsite", items, old.on, JULY, step).total
    assert whole_new - whole_old == (bill("onsite", after, new.on, JULY, step).total
                                     - bill("onsite", after, old.on, JULY, step).total)
    assert bill("onsite", before, new.on, JULY, step).total + bill("onsite", after, new.on, JULY, step).total \
        == whole_new


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 1, 1)))
def test_rates_taken_by_date(day):
    table = RateSchedule({"remote_hour": [(JULY, D("1500.00")), (NEW_YEAR, D("2000.00"))],
                          "onsite_day": [(JULY, D("14000.00"))]}, [(JULY, D("87.50")), (NEW_YEAR, D("100.00"))])
    if day < JULY:
        return
    rates = table.on(day)
    assert rates.remote_hour == (D("2000.00") if day >= NEW_YEAR else D("1500.00"))
    assert rates.usd_date == (NEW_YEAR if day >= NEW_YEAR else JULY)
    assert rates.remote_from <= day and rates.usd_date <= day
    assert table.on(day - timedelta(days=0)) == rates


@given(inputs_st, rates_st, st.sampled_from([D(6), D(8), D(10)]))
def test_comparison_cheapest_really_is_cheapest(data, table, hpd):
    result = compare(data, table.on(JULY), JULY, hpd)
    remote, onsite = result.option("remote").quote.total, result.option("onsite").quote.total
    assert result.saving == abs(remote - onsite)
    assert result.cheapest == ("" if remote == onsite else ("remote" if remote < onsite else "onsite"))
    assert all(o.quote.total >= 0 for o in result.options)
