"""An act names the approach its lines were billed under: after a client's approach changed, it said «подход
«Удалённые конференции»» above «Выездное внедрение, рабочие дни» (tester G, 2026-12-05)."""

from __future__ import annotations

import re

from tests.reports.helpers import pdf_text


def _act_text(cli, tmp_path, name: str) -> str:
    out = tmp_path / name
    status, _out, err = cli("report", "act", "1", "--from", "2026-10-01", "--to", "2026-10-31", "-o", str(out))
    assert status == 0, err
    return re.sub(r"\s+", " ", pdf_text(out.read_bytes()))


def test_an_act_after_the_approach_changed_names_the_work_billed(act_setup, tmp_path):
    cli = act_setup  # a remote client, 55 minutes of conference in October 2026
    assert cli("clients", "edit", "1", "--approach", "onsite")[0] == 0
    text = _act_text(cli, tmp_path, "a.pdf")
    assert "подход «Удалённые конференции»" in text and "Выездное внедрение»" not in text


def test_an_act_of_both_kinds_of_work_names_the_clients_approach(act_setup, tmp_path):
    """Lines of two kinds under one contract: the contract's approach (tester Q, round 13: not read from the lines)."""
    cli = act_setup
    assert cli("log", "add", "1", "--kind", "onsite_day", "--date", "2026-10-07", "--days", "1")[0] == 0
    text = _act_text(cli, tmp_path, "b.pdf")
    assert "подход «Удалённые конференции»" in text and "Выездное внедрение»" not in text


def test_an_act_of_the_clients_own_approach_says_it_as_before(act_setup, tmp_path):
    text = _act_text(act_setup, tmp_path, "c.pdf")
    assert "внедрение АСУ «Менеджмент», подход «Удалённые конференции»" in text
