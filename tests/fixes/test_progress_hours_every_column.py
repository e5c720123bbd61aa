"""The progress report printed «Фактически» as «815,43 (815 ч 26 мин)» but «По расчёту» and «Отклонение» as bare hours
(«12 234,54», «−11 419,11»; tester J #8). Every column of the time row now gives the hours and, under them, the hours
and minutes; the deviation keeps its sign in both; a whole number of hours is said once."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import date, timedelta
from decimal import Decimal

from app.domain.estimate import EstimateInput
from app.persistence.db import open_database
from app.services.estimates import save_estimate
from tests.fixes.test_document_figures_one_line import pdf_lines
from tests.reports.helpers import pdf_text

DAY = date(2026, 10, 6)


def _report(cli, tmp_path, name: str = "progress.pdf") -> str:
    out = tmp_path / name
    status, _out, err = cli("report", "progress", "1", "-o", str(out))
    assert status == 0, err
    return re.sub(r"\s+", " ", pdf_text(out.read_bytes()))


def _time_lines(tmp_path, name: str = "progress.pdf") -> list[str]:
    """The text lines of the «Время, ч» row's cells (pypdf gives a line per line of a cell)."""
    lines = pdf_lines((tmp_path / name).read_bytes())
    at = lines.index("Время, ч")
    return lines[at + 1: lines.index("Выездное внедрение, дн.")]


def _estimate(sqlite_path, hours: str, questions: str = "0") -> None:
    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        save_estimate(db, 1, "remote", EstimateInput(conference_hours=Decimal(hours),
                                                     question_hours=Decimal(questions)), date(2026, 10, 1))
    finally:
        db.dispose()


def test_planned_actual_and_deviation_all_give_hours_and_minutes(act_setup, tmp_path, sqlite_path):
    cli = act_setup  # 55 minutes on 05.10.2026
    assert cli("billing", "rate", "remote_hour", "1500", "--from", "2000-01-01")[0] == 0
    for offset in range(34):  # 34 × 1 437 + 55 = 48 913 minutes, then 13 more: 815 ч 26 мин
        assert cli("log", "add", "1", "--kind", "questions", "--date", str(DAY + timedelta(days=offset)),
                   "--minutes", "1437")[0] == 0
    assert cli("log", "add", "1", "--kind", "control", "--date", "2026-11-20", "--minutes", "13")[0] == 0
    _estimate(sqlite_path, "10000", "2234.54")  # the tester's figures
    text = _report(cli, tmp_path)
    assert "Время, ч 12 234,54 (12 234 ч 32 мин) 815,43 (815 ч 26 мин) −11 419,11 (−11 419 ч 6 мин)" in text, text
    # three such cells do not fit the page on one line each: every one puts its minutes under its hours, unbroken
    assert _time_lines(tmp_path) == ["12 234,54", "(12 234 ч 32 мин)", "815,43", "(815 ч 26 мин)", "−11 419,11",
                                     "(−11 419 ч 6 мин)"]


def test_a_deviation_upward_and_whole_hours(act_setup, tmp_path, sqlite_path):
    cli = act_setup  # 55 minutes
    assert cli("log", "add", "1", "--kind", "questions", "--date", "2026-10-06", "--minutes", "215")[0] == 0
    _estimate(sqlite_path, "2")  # 270 minutes done against 2 hours planned
    text = _report(cli, tmp_path)
    assert "Время, ч 2 4,5 (4 ч 30 мин) +2,5 (+2 ч 30 мин)" in text, text
    assert _time_lines(tmp_path) == ["2", "4,5 (4 ч 30 мин)", "+2,5 (+2 ч 30 мин)"]  # each on one line


def test_a_report_issued_with_the_actual_minutes_only_reprints_as_it_was(act_setup, tmp_path, sqlite_path):
    cli = act_setup
    _estimate(sqlite_path, "1.5")
    assert "Время, ч 1,5 (1 ч 30 мин) 0,92 (55 мин) −0,58 (−35 мин)" in _report(cli, tmp_path)
    con = sqlite3.connect(sqlite_path)
    (doc_id, content), = con.execute("select id, content from document where kind = 'progress'").fetchall()
    data = json.loads(content)
    del data["budget"]["minutes_in_every_column"]
    con.execute("update document set content = ? where id = ?", (json.dumps(data, ensure_ascii=False), doc_id))
    con.commit()
    con.close()
    status, _out, err = cli("documents", "print", str(doc_id), "-o", str(tmp_path / "old.pdf"))
    assert status == 0, err
    text = re.sub(r"\s+", " ", pdf_text((tmp_path / "old.pdf").read_bytes()))
    assert "Время, ч 1,5 0,92 (55 мин) −0,58" in text, text
