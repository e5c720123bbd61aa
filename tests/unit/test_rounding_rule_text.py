"""The act's rounding rule: rounded minutes are not «фактически затраченное» time (tester G, 2026-12-05)."""

from __future__ import annotations

import json

import pytest

from app.domain.billing import rounding_rule_text
from app.services.entry_rounding import act_rounding_step


@pytest.mark.parametrize("step", [15, 30, 60])
def test_a_rounding_step_is_named_and_not_called_the_time_spent(step):
    text = rounding_rule_text(step)
    assert f"округлением времени каждой записи вверх до {step}\u00a0мин" in text
    assert "фактически" not in text
    assert act_rounding_step(json.dumps({"rounding_rule": text})) == step  # an act without rounding_min


def test_without_rounding_the_minutes_are_the_time_spent():
    text = rounding_rule_text(0)
    assert "фактически затраченного времени без округления" in text
    assert act_rounding_step(json.dumps({"rounding_rule": text})) == 0
