"""The progress report's hours beside the money: «15,92» against 23 875,00 ₽ looked 5 ₽ short at 1 500 ₽/h (a tester,
2026-12-05) — the money is 955 minutes × 25,00 ₽; the report names the minutes the hours round."""

from __future__ import annotations

import re

from tests.reports.helpers import pdf_text


def test_the_progress_report_names_the_minutes_its_hours_round(act_setup, tmp_path):
    cli = act_setup  # 55 minutes on 05.10.2026
    assert cli("billing", "rate", "remote_hour", "1500", "--from", "2000-01-01")[0] == 0
    assert cli("log", "add", "1", "--kind", "questions", "--date", "2026-10-06", "--minutes", "900")[0] == 0
    out = tmp_path / "progress.pdf"
    status, _out, err = cli("report", "progress", "1", "-o", str(out))
    assert status == 0, err
    text = re.sub(r"\s+", " ", pdf_text(out.read_bytes()))
    assert "15,92 (15 ч 55 мин)" in text and "23 875,00" in text


def test_whole_hours_are_said_once(act_setup, tmp_path):
    cli = act_setup
    assert cli("log", "add", "1", "--kind", "questions", "--date", "2026-10-06", "--minutes", "65")[0] == 0
    out = tmp_path / "progress.pdf"
    assert cli("report", "progress", "1", "-o", str(out))[0] == 0
    text = re.sub(r"\s+", " ", pdf_text(out.read_bytes()))
    assert "Время, ч — 2 —" in text and "2 ч)" not in text


def test_a_report_printed_before_reprints_as_it_was(act_setup, tmp_path, sqlite_path):
    """A snapshot of an older version has the minutes but printed only the hours: its reprint stays identical."""
    import json
    import sqlite3

    cli = act_setup
    assert cli("log", "add", "1", "--kind", "questions", "--date", "2026-10-06", "--minutes", "900")[0] == 0
    assert cli("report", "progress", "1", "-o", str(tmp_path / "new.pdf"))[0] == 0
    con = sqlite3.connect(sqlite_path)
    (doc_id, content), = con.execute("select id, content from document where kind = 'progress'").fetchall()
    data = json.loads(content)
    del data["budget"]["minutes_shown"], data["budget"]["minutes_in_every_column"]  # it had neither
    con.execute("update document set content = ? where id = ?", (json.dumps(data, ensure_ascii=False), doc_id))
    con.commit()
    con.close()
    status, _out, err = cli("documents", "print", str(doc_id), "-o", str(tmp_path / "old.pdf"))
    assert status == 0, err
    text = re.sub(r"\s+", " ", pdf_text((tmp_path / "old.pdf").read_bytes()))
    assert "Время, ч — 15,92 —" in text and "мин)" not in text
