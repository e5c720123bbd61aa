"""A reprint of a voided document says so on every page; its signed copy cannot be marked returned."""

from __future__ import annotations

import io

from pypdf import PdfReader


def test_reprint_of_a_voided_act_is_marked_on_every_page(act_setup, tmp_path):
    cli = act_setup
    assert cli("report", "act", "1", "--from", "2026-10-01", "--to", "2026-10-31", "-o", str(tmp_path / "a.pdf"))[0] == 0
    assert cli("documents", "void", "АУ-1/2026", "--reason", "Ошибка")[0] == 0
    status, out, err = cli("documents", "print", "АУ-1/2026", "-o", str(tmp_path / "r.pdf"))
    assert status == 0, err
    assert "аннулирован" in out
    pages = PdfReader(io.BytesIO((tmp_path / "r.pdf").read_bytes())).pages
    assert pages
    for page in pages:
        text = page.extract_text()
        assert "АННУЛИРОВАН" in text
        assert "Причина: Ошибка" in text
    original = PdfReader(io.BytesIO((tmp_path / "a.pdf").read_bytes())).pages[0].extract_text()
    assert "АННУЛИРОВАН" not in original


def test_returned_is_refused_for_a_voided_document(act_setup, tmp_path):
    cli = act_setup
    assert cli("report", "act", "1", "--from", "2026-10-01", "--to", "2026-10-31", "-o", str(tmp_path / "a.pdf"))[0] == 0
    assert cli("documents", "void", "АУ-1/2026", "--reason", "Ошибка")[0] == 0
    status, _out, err = cli("documents", "returned", "АУ-1/2026", "--date", "2026-11-20")
    assert status == 2
    assert "аннулирован" in err and "Traceback" not in err
