"""`billing settings` says the VAT rule with the day it holds from and the rule of the work before it (a fresh
tester, 2026-12-05: «--vat 20», then «--vat none» — the settings said «НДС: Без НДС» while the March act printed
«В том числе НДС 20 %», the rule before today's, which issue 10 keeps for the days before the change)."""

from __future__ import annotations

from app.services.common import today


def _vat_lines(cli) -> list[str]:
    status, out, _err = cli("billing", "settings")
    assert status == 0
    return [line for line in out.splitlines() if "НДС" in line]


def test_the_settings_name_the_day_a_vat_holds_from_and_the_rule_of_the_days_before(cli):
    assert _vat_lines(cli) == ["НДС: не задан — в документах «Без налога (НДС)»"]
    assert cli("billing", "settings", "--vat", "20")[0] == 0
    assert _vat_lines(cli) == ["НДС в том числе (в ценах) 20 %, с 01.01.2000"]
    assert cli("billing", "settings", "--vat", "none")[0] == 0
    day = today().strftime("%d.%m.%Y")
    assert _vat_lines(cli) == [
        f"Без НДС, с {day}",
        f"Работы до {day}: НДС в том числе (в ценах) 20 %, с 01.01.2000; чтобы изменить НДС и для этих дней: "
        "«billing vat РЕЖИМ [ПРОЦЕНТ] --from ДАТА» (действующий акт сохраняет свой НДС)."]
    assert cli("billing", "vat", "none", "--from", "2000-01-01")[0] == 0  # the way the line names
    assert _vat_lines(cli) == ["Без НДС, с 01.01.2000"]


def test_a_percent_without_vat_and_a_basis_with_vat_are_refused_and_nothing_is_written(cli):
    """«billing vat none 20 --basis x» was accepted silently (the help says the percent is not for «none») and a
    basis given with VAT was dropped without a word."""
    for argv, said in ((("none", "20"), "Без НДС ставки нет"),
                       (("included", "20", "--basis", "п. 2 ст. 346.11 НК РФ"), "печатается только без НДС")):
        status, _out, err = cli("billing", "vat", *argv, "--from", "2026-07-01")
        assert status == 2 and said in err and "Traceback" not in err
    assert cli("billing", "vat-list", "--json")[1].strip() == "[]"


def test_the_undated_setting_changes_the_rate_and_keeps_vat_on_top(cli):
    """`billing settings --vat 20` turned «сверху 22 %» into «в том числе 20 %» without a word (a fresh tester,
    2026-12-05): the setting changes the rate; the mode stays on top."""
    assert cli("billing", "vat", "on_top", "22", "--from", "2026-01-01")[0] == 0
    assert cli("billing", "settings", "--vat", "20")[0] == 0
    assert _vat_lines(cli)[0].startswith("НДС сверху цен 20 %, с ")
    assert cli("billing", "settings", "--vat", "none")[0] == 0 and _vat_lines(cli)[0].startswith("Без НДС, с ")
    assert cli("billing", "settings", "--vat", "10")[0] == 0  # from «none»: in the prices, as before
    assert _vat_lines(cli)[0].startswith("НДС в том числе (в ценах) 10 %, с ")


def test_vat_none_says_what_the_documents_will_print_and_asks_for_a_missing_ground(cli):
    """`billing vat none` without --basis printed «НДС не облагается.» on every act with no ground, unsaid (a
    tester, 2026-12-05); the command now says what the documents will print."""
    status, out, _err = cli("billing", "vat", "none", "--from", "2026-07-01")
    assert status == 0
    assert "«НДС не облагается.» без основания" in out and "--basis" in out and "346.11" in out
    status, out, _err = cli("billing", "vat", "без", "--from", "2026-08-01", "--basis", "п. 2  ст. 346.11 НК РФ")
    assert status == 0
    assert "«НДС не облагается на основании п. 2 ст. 346.11 НК РФ.»" in out and "--basis" not in out
    status, out, _err = cli("billing", "vat", "included", "20", "--from", "2026-09-01")
    assert status == 0 and "не облагается" not in out


def test_a_slip_to_20_and_back_keeps_the_ground_and_the_first_day(cli):
    """«billing settings --vat 20» by mistake, then «--vat none»: a new «none» from today with no ground, so acts
    printed «НДС не облагается.» without «п. 2 ст. 346.11 НК РФ», and the text said «с 01.01.2024» while --json
    said today (a tester, 2026-12-05)."""
    import json

    assert cli("billing", "vat", "none", "--from", "2024-01-01", "--basis", "п. 2 ст. 346.11 НК РФ")[0] == 0
    assert cli("billing", "settings", "--vat", "20")[0] == 0
    assert cli("billing", "settings", "--vat", "none")[0] == 0
    rules = json.loads(cli("billing", "vat-list", "--json")[1])
    assert [(r["valid_from"], r["mode"], r["basis"]) for r in rules] == [
        ("2024-01-01", "none", "п. 2 ст. 346.11 НК РФ")]  # today's slip undone, not a second rule
    assert _vat_lines(cli) == ["Без НДС на основании п. 2 ст. 346.11 НК РФ, с 01.01.2024"]
    said = json.loads(cli("billing", "settings", "--json")[1])
    assert (said["vat_from"], said["vat_mode"], said["vat_basis"]) == ("2024-01-01", "none", "п. 2 ст. 346.11 НК РФ")


def test_without_vat_again_from_today_keeps_the_latest_ground(cli):
    """Work before today under 20 %, today back to «none»: today's rule takes the ground of the «none» before."""
    import json

    assert cli("billing", "vat", "none", "--from", "2024-01-01", "--basis", "ст. 145 НК РФ")[0] == 0
    assert cli("billing", "vat", "included", "20", "--from", "2025-01-01")[0] == 0
    assert cli("billing", "settings", "--vat", "none")[0] == 0
    rules = json.loads(cli("billing", "vat-list", "--json")[1])
    day = today().isoformat()
    assert [(r["valid_from"], r["mode"], r["basis"]) for r in rules][-1] == (day, "none", "ст. 145 НК РФ")
    lines = _vat_lines(cli)
    assert lines[0] == f"Без НДС на основании ст. 145 НК РФ, с {today().strftime('%d.%m.%Y')}"
    assert json.loads(cli("billing", "settings", "--json")[1])["vat_from"] == day


def test_the_rule_before_is_named_from_the_first_day_of_its_run(cli):
    """20 % from 2000 and 20 % again from 2024 are one rule: the work before today's «none» is «20 %, с 01.01.2000»,
    not «(с 01.01.2024)»."""
    assert cli("billing", "vat", "included", "20", "--from", "2000-01-01")[0] == 0
    assert cli("billing", "vat", "included", "20", "--from", "2024-01-01")[0] == 0
    assert cli("billing", "settings", "--vat", "none")[0] == 0
    lines = _vat_lines(cli)
    assert len(lines) == 2 and "20 %, с 01.01.2000" in lines[1]


def test_a_ground_with_its_own_parentheses_reads_the_same_on_both_lines(cli):
    """Tester H: «Без НДС (п. 2 ст. 346.11 НК РФ (УСН)), с 01.01.2026» on one line and «… (УСН)) (с 01.01.2026)» on
    the other: doubled parentheses, and the first day said two ways."""
    assert cli("billing", "vat", "none", "--from", "2026-01-01", "--basis", "п. 2 ст. 346.11 НК РФ (УСН)")[0] == 0
    assert _vat_lines(cli) == ["Без НДС на основании п. 2 ст. 346.11 НК РФ (УСН), с 01.01.2026"]
    assert cli("billing", "vat", "included", "20", "--from", "2026-03-01")[0] == 0
    lines = _vat_lines(cli)
    assert lines[1].startswith("Работы до 01.03.2026: без НДС на основании п. 2 ст. 346.11 НК РФ (УСН), с 01.01.2026; "
                               "чтобы изменить НДС"), lines
    assert not any("))" in line or ") (" in line for line in lines), lines


def test_a_ground_typed_with_na_osnovanii_is_not_said_twice():
    from app.domain.vat import vat_rule_text

    assert vat_rule_text("none", None, "на основании  ст. 145 НК РФ") == "без НДС на основании ст. 145 НК РФ"
    assert vat_rule_text("none", None, "") == "без НДС"
    assert vat_rule_text("included", "20", "ignored") == "НДС в том числе (в ценах) 20 %"
