"""The stage sheet prints the rounding its figures used: over entries an act in force billed under another step
than today's (its figures are the act's) it printed today's wording; now the act's, or both, each naming its entries."""

from __future__ import annotations

import pytest

from tests.fixes.billing_steps import EXECUTOR_NO_VAT, REMOTE_CLIENT, STAGE_1_BILLED, C, act_of_march, run_all


@pytest.fixture
def billed_then_rounded(cli, tmp_path):
    """Stage 1's 55 and 30 minutes billed by АУ-1/2026 without rounding; then a rounding of 15 minutes (forced)."""
    run_all(cli, EXECUTOR_NO_VAT, *REMOTE_CLIENT, ("billing", "settings", "--rounding", "0"), *STAGE_1_BILLED,
            act_of_march(tmp_path), ("billing", "settings", "--rounding", "15", "--force", "--reason", "Новые правила"),
            ("stage", "advance", C, "--force", "--reason", "дальше"))
    return cli


def _sheet(cli, tmp_path) -> str:
    from pypdf import PdfReader

    path = tmp_path / "sheet.pdf"
    status, _out, err = cli("report", "signoff", C, "--stage", "1", "--with-remarks", "--reason", "уроки позже",
                            "-o", str(path))
    assert status == 0, err
    return " ".join("".join(page.extract_text() for page in PdfReader(path).pages).split())


def test_billed_entries_print_their_acts_rounding(billed_then_rounded, tmp_path):
    text = _sheet(billed_then_rounded, tmp_path)
    assert "2 125,00" in text  # 55 + 30 minutes, as АУ-1/2026 billed them
    assert "в минутах фактически затраченного времени без округления" in text
    assert "вверх до 15" not in text  # today's rule: not what these figures used


def test_entries_of_two_steps_print_both_naming_their_entries(billed_then_rounded, tmp_path):
    status, _out, err = billed_then_rounded("log", "add", C, "--kind", "conference", "--date", "2026-04-02",
                                            "--minutes", "50", "--stage", "1")
    assert status == 0, err
    text = _sheet(billed_then_rounded, tmp_path)
    assert "3 625,00" in text  # АУ-1's 2 125,00 + 60 minutes (50 rounded up to 15) at 25,00
    assert ("по записям, выставленным актом АУ-1/2026, — фактически затраченного времени без округления; по "
            "остальным записям — с округлением времени каждой записи вверх до 15 мин") in text


def test_the_wording_of_steps():
    from app.domain.billing import rounding_rule_text, rounding_rules_text

    assert rounding_rules_text({15: ["АУ-1/2026"]}) == rounding_rule_text(15)
    assert rounding_rules_text({}) == rounding_rule_text(0)
    text = rounding_rules_text({0: ["АУ-1/2026", "АУ-2/2026"], 30: ["АУ-3/2026"]})
    assert "по записям, выставленным актами АУ-1/2026, АУ-2/2026, — фактически затраченного времени" in text
    assert "по записям, выставленным актом АУ-3/2026, — с округлением времени каждой записи вверх до 30\u00a0мин" in text
