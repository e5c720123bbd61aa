"""«1 000» minutes, as the Russian interface itself groups thousands, were refused by `log add --minutes` while
`--amount "8 400,50"` was taken (tester H, 2026-12-05): a whole count of minutes may be written in groups of three
(space, NBSP or narrow NBSP), as decimals are; anything else is still refused with exit 2 and a Russian sentence."""

from __future__ import annotations

import json

import pytest

from app.errors import UserError

NBSP, NNBSP, THIN = "\u00a0", "\u202f", "\u2009"


def _minutes(cli) -> list[int]:
    status, out, err = cli("log", "list", "1", "--json")
    assert status == 0, err
    return sorted(e["minutes"] for e in json.loads(out)["entries"] if e["minutes"] is not None)


@pytest.mark.parametrize("typed", ["1 000", f"1{NBSP}000", f"1{NNBSP}000", f"1{THIN}000", "1 000 мин", " 1 000 "])
def test_grouped_minutes_are_taken(act_setup, typed):
    cli = act_setup
    status, out, err = cli("log", "add", "1", "--kind", "questions", "--date", "2026-10-06", "--minutes", typed)
    assert status == 0, err
    assert "16:40" in out, out
    assert _minutes(cli) == [55, 1000]


@pytest.mark.parametrize("typed", ["1 0", "1 0000", "0 500", "1 00 0", "1,000", "1 000x"])
def test_what_is_not_grouping_is_still_refused(act_setup, typed):
    cli = act_setup
    status, _out, err = cli("log", "add", "1", "--kind", "questions", "--date", "2026-10-06", "--minutes", typed)
    assert status == 2
    assert "Traceback" not in err and ("не время" in err or "цифр" in err), err
    assert _minutes(cli) == [55]


def test_english_groups_with_a_comma_as_its_decimals_do(act_setup):
    cli = act_setup
    status, _out, err = cli("--lang", "en", "log", "add", "1", "--kind", "questions", "--date", "2026-10-06",
                            "--minutes", "1,000")
    assert status == 0, err
    assert _minutes(cli) == [55, 1000]


def test_plan_and_lessons_read_grouped_counts_too(act_setup, tmp_path):
    cli = act_setup
    status, _out, err = cli("plan", "add", "1", "--kind", "call", "--start", "2026-10-07 10:00", "--duration",
                            "1 000")
    assert status == 0, err
    status, out, err = cli("plan", "list", "--json")
    assert status == 0 and json.loads(out)[0]["duration_min"] == 1000, (out, err)
    from app.services.lessons_import import parse_lesson_plan

    rows = parse_lesson_plan(b"code;number;title;section;stage;duration_min\nL1;1 001;A;B;1;1 440\n",
                             "plan.csv")
    assert (rows[0].number, rows[0].duration_min) == (1001, 1440)
    with pytest.raises(UserError) as error:
        parse_lesson_plan(b"code;number;title;section;stage;duration_min\nL1;1;A;B;1;1 44\n", "plan.csv")
    assert "«1 44» — не целое число" in "\n".join(error.value.details), error.value.details


def test_parse_minutes_reads_groups_and_leaves_the_rest():
    from app.services.worklog import parse_minutes

    assert parse_minutes("1 440") == 1440
    assert parse_minutes(f"1{NNBSP}000 мин") == 1000
    assert parse_minutes("1:30") == 90 and parse_minutes("1,5 ч") == 90  # the other forms are untouched
    for typed in ("1 0", "1 0000", "0 500"):
        with pytest.raises(UserError, match="не время"):
            parse_minutes(typed)
