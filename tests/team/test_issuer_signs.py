"""The issuing person signs every document (issue 17: «the company's requisites are shared, but the signer's name
and position on a document are the issuing person's»). The trial of 05:15: on a team laptop the act of services
printed the company's signer («Директор / Админов А.») instead of the member who issued it. Now, for the four
kinds and the month's batch of acts:

* on a team laptop, the signed-in member's name and position are the executor's signer (no company signer, no
  power of attorney) — the company's requisites stay the team's;
* outside a team, the local profile (``team profile``) signs when set; otherwise the company's signer when set,
  else the executor's specialist, as before."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.persistence.db import open_database
from app.services import documents as docs
from app.sync.service import sync_once
from app.sync.sync_setup import setup
from app.team.users import add_user, assign_client
from tests.reports.helpers import CLIENT_INN, EXECUTOR, build_world, pdf_text
from tests.team.conftest import PASSWORD, plain_url

COMPANY_SIGNER = replace(EXECUTOR, poa_number="17", poa_date=date(2026, 1, 9))  # Громов, Генеральный директор
ACT = ("--from", "2026-02-01", "--to", "2026-02-28", "--date", "2026-02-28")  # February: the batch bills March
# (command, the words each kind prints before its signatures — that the file is that document)
KINDS = {
    "act": (("act", CLIENT_INN, *ACT), "Акт"),
    "signoff": (("signoff", CLIENT_INN, "--stage", "1", "--date", "2026-03-31"), "этап"),
    "estimate": (("estimate", CLIENT_INN, "--date", "2026-03-31"), "Расчёт"),
    "progress": (("progress", CLIENT_INN), "Отчёт о ходе внедрения"),
}
COMPANY_WORDS = ("Громов", "Генеральный директор", "по доверенности")


def _run(db_args: tuple[str, ...], *argv: str, capsys) -> tuple[int, str, str]:
    from app.cli import run

    status = run([*db_args, *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _print_all(db_args: tuple[str, ...], folder, capsys) -> dict[str, str]:
    """Every document kind printed once with the command line, then the month's batch: kind → PDF text."""
    texts = {}
    folder.mkdir(exist_ok=True)
    for kind, (argv, words) in KINDS.items():
        out = folder / f"{kind}.pdf"
        status, _out, err = _run(db_args, "report", *argv, "-o", str(out), capsys=capsys)
        assert (status, err) == (0, ""), (kind, err)
        texts[kind] = pdf_text(out.read_bytes())
        assert words in texts[kind], kind
    docs_folder = folder / "month"
    status, _out, err = _run(db_args, "report", "acts", "--month", "2026-03", "-d", str(docs_folder),
                             "--date", "2026-03-31", capsys=capsys)
    assert (status, err) == (0, ""), err
    batch = sorted(docs_folder.glob("*.pdf"))
    assert batch, "the month's batch printed nothing"
    texts["batch"] = " ".join(pdf_text(p.read_bytes()) for p in batch)
    return texts


@pytest.mark.postgres
def test_on_a_team_laptop_the_member_signs_every_document(server, server_url, login_of, tmp_path, capsys):
    ann = login_of("ann")
    docs.set_executor(server, COMPANY_SIGNER)  # the team's requisites, with the company's director as signer
    build_world(server, executor=False)
    add_user(server, ann, "Иванова Анна Петровна", "specialist", PASSWORD, position="Ведущий консультант")
    assign_client(server, CLIENT_INN, specialist=ann)
    assign_client(server, "7728168971", specialist=ann)
    path = tmp_path / "laptop.sqlite3"
    laptop = open_database(f"sqlite:///{path}")
    try:
        setup(laptop, plain_url(server_url, ann), PASSWORD)
        sync_once(laptop)
    finally:
        laptop.dispose()
    texts = _print_all(("--db", str(path)), tmp_path, capsys)
    for kind, text in texts.items():
        assert "Иванова А.П." in text and "Ведущий консультант" in text, kind
        for word in COMPANY_WORDS:
            assert word not in text, (kind, word)
        assert "ООО «Менеджмент-Внедрение»" in text and "7707083893" in text, kind  # the shared requisites


def _standalone(path, executor=COMPANY_SIGNER) -> tuple[str, ...]:
    """A computer outside any team, with the reports' world (March's work not billed yet): the --db arguments."""
    db = open_database(f"sqlite:///{path}")
    try:
        build_world(db, executor=False)
        docs.set_executor(db, executor)
    finally:
        db.dispose()
    return ("--db", str(path))


def test_outside_a_team_the_company_signer_signs_until_a_profile_is_set(tmp_path, capsys):
    before = _print_all(_standalone(tmp_path / "before.sqlite3"), tmp_path / "before", capsys)
    for kind in ("act", "signoff", "estimate", "batch"):  # as before: the company's signer, by power of attorney
        text = before[kind]
        assert "Громов В.А." in text and "Генеральный директор" in text and "по доверенности № 17" in text, kind
    assert "Николаев А.С." in before["progress"]  # the progress report: its author, the specialist
    db_args = _standalone(tmp_path / "after.sqlite3")  # the same computer's data, now with a profile
    status, _out, err = _run(db_args, "team", "profile", "--name", "Сидорова Вера Павловна", "--position",
                             "Ведущий консультант", capsys=capsys)
    assert (status, err) == (0, "")
    after = _print_all(db_args, tmp_path / "after", capsys)
    for kind, text in after.items():
        assert "Сидорова В.П." in text and "Ведущий консультант" in text, kind
        for word in (*COMPANY_WORDS, "Николаев А.С."):  # (the stage history still names who moved it)
            assert word not in text, (kind, word)


def test_outside_a_team_without_a_company_signer_the_specialist_signs(tmp_path, capsys):
    db_args = _standalone(tmp_path / "single.sqlite3", replace(EXECUTOR, signer_name="", signer_position=""))
    texts = _print_all(db_args, tmp_path, capsys)
    for kind, text in texts.items():
        assert "Николаев А.С." in text and "Специалист по внедрению" in text, kind
