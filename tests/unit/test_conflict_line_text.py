"""`sync conflicts` names a double billing's two acts by their part, not by side (the trial 17j, finding 4: on the
first issuer's laptop «на сервере: АУ-61/2026» while the server's entry is billed by АУ-41/2026)."""

from __future__ import annotations

import pytest

from app.sync.conflict_list import ConflictLine


@pytest.mark.parametrize(("kept", "source", "keeper", "again"), [
    ("local", "server", "АУ-41/2026", "АУ-61/2026"),  # this laptop's act came first
    ("server", "server", "АУ-61/2026", "АУ-41/2026"),  # the other act came first
    ("server", "file", "АУ-61/2026", "АУ-41/2026"),
])
def test_a_double_billing_line_names_the_act_that_bills_and_the_one_that_bills_again(kept, source, keeper, again):
    line = ConflictLine(7, "ООО «Ромашка»", "…", "АУ-41/2026", "АУ-61/2026", kept, False, source, "double_billing")
    parts = line.text().split("\t")
    assert parts[:2] == ["7", "ООО «Ромашка»"]
    assert parts[3:] == [f"выставлено актом: {keeper}", f"повторно актом: {again}"]
    assert "на сервере" not in line.text() and "здесь" not in line.text()


def test_a_field_conflict_line_still_says_both_sides():
    line = ConflictLine(3, "ООО «Ромашка»", "Карточка · город", "Тула", "Орёл", "server", True)
    assert line.text().split("\t")[3:] == ["здесь: Тула", "на сервере: Орёл", "оставлено: с сервера"]
