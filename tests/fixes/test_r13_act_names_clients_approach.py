"""An act names the client's contract approach, not one read from the kinds of its lines: an on-site client's act
of one conference said «подход «Удалённые конференции»» (a fresh tester, round 13). An approach changed after the
work is named as it was on the days of the work (tester G); an act issued keeps its words."""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import closing

from tests.reports.helpers import pdf_text

SERVICES = "внедрение АСУ «Менеджмент», подход «{}»"


def _text(path) -> str:
    return re.sub(r"\s+", " ", pdf_text(path.read_bytes()))


def _act(cli, tmp_path, name: str) -> str:
    out = tmp_path / name
    status, _out, err = cli("report", "act", "1", "--from", "2026-10-01", "--to", "2026-10-31", "-o", str(out))
    assert status == 0, err
    return _text(out)


def _onsite_act(cli, tmp_path, kind: str) -> str:
    """An on-site client «ООО «Вектор»» (client 2) with one entry of ``kind`` in November 2026: its act's text."""
    assert cli("clients", "add", "--name", "ООО «Вектор»", "--inn", "5024002119", "--approach", "onsite")[0] == 0
    assert cli("clients", "edit", "2", "--kpp", "502401001")[0] == 0
    assert cli("log", "add", "2", "--kind", kind, "--date", "2026-11-03", "--minutes", "60")[0] == 0
    out = tmp_path / "v.pdf"
    status, _out, err = cli("report", "act", "2", "--from", "2026-11-01", "--to", "2026-11-30", "-o", str(out))
    assert status == 0, err
    return _text(out)


def test_an_onsite_clients_conference_is_billed_under_its_onsite_contract(act_setup, tmp_path):
    text = _onsite_act(act_setup, tmp_path, "conference")  # its line says «Удалённые конференции с пользователями»
    assert SERVICES.format("Выездное внедрение") in text and "подход «Удалённые конференции»" not in text


def test_an_onsite_clients_questions_only(act_setup, tmp_path):
    text = _onsite_act(act_setup, tmp_path, "questions")
    assert SERVICES.format("Выездное внедрение") in text and "подход «Удалённые конференции»" not in text


def test_an_approach_changed_after_the_work_is_named_as_it_was(act_setup, tmp_path):
    cli = act_setup
    assert cli("clients", "edit", "1", "--approach", "onsite")[0] == 0  # a change made today: October was remote
    text = _act(cli, tmp_path, "g.pdf")
    assert SERVICES.format("Удалённые конференции") in text and "Выездное внедрение" not in text


def test_a_conference_of_an_onsite_contract_changed_to_remote_since(act_setup, tmp_path):
    cli = act_setup
    assert cli("clients", "add", "--name", "ООО «Вектор»", "--inn", "5024002119", "--approach", "onsite")[0] == 0
    assert cli("clients", "edit", "2", "--kpp", "502401001")[0] == 0
    assert cli("log", "add", "2", "--kind", "conference", "--date", "2026-11-03", "--minutes", "60")[0] == 0
    assert cli("clients", "edit", "2", "--approach", "remote")[0] == 0  # today, after November's work
    out = tmp_path / "c.pdf"
    status, _out, err = cli("report", "act", "2", "--from", "2026-11-01", "--to", "2026-11-30", "-o", str(out))
    assert status == 0, err
    assert SERVICES.format("Выездное внедрение") in _text(out)


def test_an_issued_act_reprints_its_own_words(act_setup, tmp_path, sqlite_path):
    cli = act_setup
    assert cli("clients", "edit", "1", "--approach", "onsite")[0] == 0
    _act(cli, tmp_path, "a.pdf")
    with closing(sqlite3.connect(sqlite_path)) as conn, conn:  # as an earlier version stored it: the act's words
        (stored,) = conn.execute("SELECT content FROM document").fetchone()
        content = json.loads(stored)
        content["services_approach"] = "подход «Выездное внедрение»"
        conn.execute("UPDATE document SET content = ?", (json.dumps(content, ensure_ascii=False),))
    assert cli("clients", "edit", "1", "--approach", "remote")[0] == 0
    out = tmp_path / "again.pdf"
    status, _out, err = cli("documents", "print", "1", "-o", str(out))
    assert status == 0, err
    assert SERVICES.format("Выездное внедрение") in _text(out)
