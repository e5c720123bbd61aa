"""`report`, `report acts`, `documents` and `executor` commands: files, register, Russian refusals (exit 2)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from decimal import Decimal

import pytest

from app.persistence.db import open_database
from app.persistence.models import WorkLogEntry
from tests.reports.helpers import (
    CLIENT_INN,
    CLIENT_NAME,
    add_remote_client,
    build_world,
    clear_executor,
    pdf_text,
)


def dump(path) -> list:
    con = sqlite3.connect(path)
    tables = [r[0] for r in con.execute("select name from sqlite_master where type='table' order by name")]
    rows = [(t, sorted(map(repr, con.execute(f'select * from "{t}"')))) for t in tables]
    con.close()
    return rows


@pytest.fixture
def world(sqlite_path):
    db = open_database(f"sqlite:///{sqlite_path}")
    result = build_world(db)
    db.dispose()
    return result


def test_report_act_writes_pdf_and_registers_it(cli, world, tmp_path):
    out = tmp_path / "act.pdf"
    status, stdout, err = cli("report", "act", CLIENT_INN, "--from", "2026-03-01", "--to", "2026-03-31",
                              "--date", "2026-03-31", "-o", str(out))
    assert (status, err) == (0, "")
    assert "Акт оказанных услуг № АУ-1/2026" in stdout
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "26 250,00" in text and "Двадцать шесть тысяч двести пятьдесят рублей 00 копеек" in text
    assert not list(tmp_path.glob(".vnedrenie-*"))  # no temporary file left behind
    rows = json.loads(cli("documents", "list", "--json")[1])
    assert [(r["code"], r["kind"], r["total"], r["client"], r["signed_returned_on"]) for r in rows] == [
        ("АУ-1/2026", "act", "26250.00", CLIENT_NAME, None)]


def test_report_each_kind(cli, world, tmp_path):
    for kind, extra, needle in (("signoff", [], "сдачи-приёмки этапа"), ("estimate", [], "РАСЧЁТ СТОИМОСТИ"),
                                ("progress", [], "о ходе внедрения"),
                                ("signoff", ["--stage", "2", "--with-remarks", "--reason", "Склады позже"],
                                 "принят с замечаниями")):
        out = tmp_path / f"{kind}{''.join(extra)}.pdf"  # a new file each time: -o never overwrites silently
        status, _out, err = cli("report", kind, str(world.client_id), *extra, "-o", str(out))
        assert (status, err) == (0, ""), (kind, err)
        assert needle in pdf_text(out.read_bytes())
    codes = [r["code"] for r in json.loads(cli("documents", "list", "--json")[1])]
    assert sorted(codes) == ["АП-1/2026", "АП-2/2026", "ОВ-1/2026", "РС-1/2026"]


def test_reprint_and_signed_copy(cli, world, tmp_path):
    first, again = tmp_path / "a.pdf", tmp_path / "b.pdf"
    cli("report", "act", "1", "--from", "2026-03-01", "--to", "2026-03-31", "--date", "2026-03-31", "-o", str(first))
    status, stdout, _ = cli("documents", "print", "АУ-1/2026", "-o", str(again))
    assert status == 0 and "АУ-1/2026" in stdout
    assert again.read_bytes() == first.read_bytes()
    assert cli("documents", "returned", "АУ-1/2026", "--date", "2026-04-02")[0] == 0
    rows = json.loads(cli("documents", "list", "--json")[1])
    assert rows[0]["signed_returned_on"] == "2026-04-02"
    assert "получен 02.04.2026" in cli("documents", "list")[1]
    status, _, err = cli("documents", "returned", "АУ-1/2026", "--date", "2026-03-01")
    assert status == 2 and "раньше" in err
    assert cli("documents", "returned", "АУ-1/2026", "--clear")[0] == 0
    assert json.loads(cli("documents", "list", "--json")[1])[0]["signed_returned_on"] is None


def test_batch_acts_for_a_month(cli, world, sqlite_path, tmp_path):
    db = open_database(f"sqlite:///{sqlite_path}")
    other = add_remote_client(db, "ООО «Альфа»", "7736050003", approach="onsite")
    with db.unit() as s:
        s.add(WorkLogEntry(client_id=other, on_date=date(2026, 3, 10), kind="onsite_day", days=Decimal(2), stage=0))
        s.add(WorkLogEntry(client_id=other, on_date=date(2026, 3, 10), kind="transfer", amount=Decimal("8400"),
                           stage=0))
    db.dispose()
    folder = tmp_path / "acts"
    status, stdout, err = cli("report", "acts", "--month", "2026-03", "-d", str(folder), "--date", "2026-03-31")
    assert (status, err) == (0, "")
    lines = stdout.strip().splitlines()
    assert lines[0].startswith("[1/2] АУ-1/2026") and "ООО «Альфа»" in lines[0]
    assert lines[1].startswith("[2/2] АУ-2/2026") and CLIENT_NAME in lines[1]
    assert lines[-1] == "Оформлено актов: 2, уже оформлены: 0, пропущено: 0."
    files = sorted(p.name for p in folder.iterdir())
    assert files == ["АУ-1-2026 ООО Альфа.pdf", "АУ-2-2026 ООО Ромашка.pdf"]
    assert "36 400,00" in pdf_text((folder / files[0]).read_bytes())  # 2 days × 14 000 + 8 400
    first = {name: (folder / name).read_bytes() for name in files}
    # the same month again, with or without --new: nothing is billed twice, the acts that billed it are named
    for extra in ([], ["--new"]):
        status, stdout, err = cli("report", "acts", "--month", "2026-03", "-d", str(folder), "--date", "2026-04-02",
                                  *extra)
        assert (status, err) == (0, "")
        lines = stdout.strip().splitlines()
        assert lines[0] == "[1/2] ООО «Альфа»: уже выставлено актами АУ-1/2026"
        assert lines[1] == f"[2/2] {CLIENT_NAME}: уже выставлено актами АУ-2/2026"
        assert lines[-1] == "Оформлено актов: 0, уже оформлены: 2, пропущено: 0."
    assert {name: (folder / name).read_bytes() for name in files} == first
    assert sorted(p.name for p in folder.iterdir()) == files
    assert len(json.loads(cli("documents", "list", "--json")[1])) == 2
    # work added later to the billed month: a new act holding just the new entry
    cli("log", "add", str(other), "--kind", "lodging", "--date", "2026-03-20",
        "--amount", "3500")
    status, stdout, _ = cli("report", "acts", "--month", "2026-03", "-d", str(folder), "--date", "2026-04-02")
    assert status == 0 and "Оформлено актов: 1, уже оформлены: 1" in stdout and "АУ-3/2026" in stdout
    third = pdf_text((folder / "АУ-3-2026 ООО Альфа.pdf").read_bytes())
    assert "Возмещение расходов на проживание 20.03.2026" in third and "3 500,00" in third
    assert "14 000,00" not in third  # the billed days are not billed again
    assert len(json.loads(cli("documents", "list", "--json")[1])) == 3
    status, stdout, _ = cli("report", "acts", "--month", "2025-01", "-d", str(folder))
    assert status == 0 and "оплачиваемых работ в журнале нет" in stdout


def test_report_act_twice_is_refused_naming_the_act(cli, world, tmp_path):
    act = ["report", "act", CLIENT_INN, "--from", "2026-03-01", "--to", "2026-03-31", "--date", "2026-03-31"]
    first = tmp_path / "a.pdf"
    assert cli(*act, "-o", str(first))[0] == 0
    for extra in ([], ["--new"]):
        status, _stdout, err = cli(*act, *extra, "-o", str(tmp_path / "b.pdf"))
        assert status == 2 and "уже выставлены актами АУ-1/2026" in err, err
        assert not (tmp_path / "b.pdf").exists()
    assert [r["code"] for r in json.loads(cli("documents", "list", "--json")[1])] == ["АУ-1/2026"]


def test_signoff_thrice_is_one_document(cli, world, tmp_path):
    outputs = []
    for index in range(3):
        out = tmp_path / f"s{index}.pdf"
        status, stdout, err = cli("report", "signoff", "1", "-o", str(out))
        assert (status, err) == (0, "")
        outputs.append((stdout, out.read_bytes()))
    assert "АП-1/2026" in outputs[0][0] and "уже оформлен" not in outputs[0][0]
    for stdout, pdf in outputs[1:]:
        assert "Документ уже оформлен: АП-1/2026 — печатается повторно" in stdout
        assert pdf == outputs[0][1]
    assert [r["code"] for r in json.loads(cli("documents", "list", "--json")[1])] == ["АП-1/2026"]


@pytest.mark.parametrize("argv,needle", [
    (["report", "signoff", "99", "-o", "{tmp}/x.pdf"], "не найден"),
    (["report", "signoff", "1", "--stage", "3", "-o", "{tmp}/x.pdf"], "сдать пока нельзя"),
    (["report", "signoff", "1", "--stage", "7", "-o", "{tmp}/x.pdf"], "только для этапов 1, 2 и 3"),
    (["report", "signoff", "2", "-o", "{tmp}/x.pdf"], "не завершил ни одного этапа"),
    (["report", "signoff", "2", "-o", "{tmp}/x.pdf"], "сдавать пока нечего.\nСдаваемый этап можно указать параметром --stage."),
    (["report", "signoff", "1", "--stage", "2", "-o", "{tmp}/x.pdf"], "незакрытые пункты"),
    (["report", "signoff", "1", "--stage", "2", "-o", "{tmp}/x.pdf"],
     "выполните их.\nС замечаниями: --with-remarks --reason ТЕКСТ."),
    (["report", "act", "1", "--from", "2026-03-01", "--to", "2026-03-31", "--date", "2026-03-15", "-o",
      "{tmp}/x.pdf"], "не ранее 31.03.2026"),
    (["report", "act", "1", "--from", "2024-06-01", "--to", "2024-06-30", "--date", "2024-06-30", "-o",
      "{tmp}/x.pdf"], "раньше договора от 01.07.2024"),
    (["report", "act", "1", "--from", "2026-03-01", "--to", "2026-03-31", "--date", "2099-01-01", "-o",
      "{tmp}/x.pdf"], "будущим числом"),
    (["report", "act", "1", "-o", "{tmp}/x.pdf"], "нужен период"),
    (["report", "act", "1", "--from", "2026-03-31", "--to", "2026-03-01", "-o", "{tmp}/x.pdf"], "Начало периода"),
    (["report", "act", "1", "--from", "2026-02-30", "--to", "2026-03-01", "-o", "{tmp}/x.pdf"], "дата"),
    (["report", "act", "2", "--from", "2026-03-01", "--to", "2026-03-31", "-o", "{tmp}/x.pdf"], "бесплатное"),
    (["report", "signoff", "1", "-o", "{tmp}/missing/x.pdf"], "не существует"),
    (["report", "signoff", "1"], "обязательные"),
    (["report", "progress", "1", "--from", "2026-03-01", "--to", "2026-03-31", "-o", "{tmp}/x.pdf"],
     "Параметр --from, --to не применяется"),
    (["report", "estimate", "1", "--stage", "1", "-o", "{tmp}/x.pdf"], "Параметр --stage не применяется"),
    (["report", "acts", "--month", "2026-13", "-d", "{tmp}/acts"], "Месяц"),
    (["documents", "print", "АУ-9/2026", "-o", "{tmp}/x.pdf"], "не найден"),
    (["documents", "returned", "АУ-9/2026", "--date", "2026-03-01"], "не найден"),
    (["executor", "set", "--inn", "7707083894"], "ИНН"),
    (["executor", "set", "--vat", "сто"], "НДС"),
    (["executor", "set"], "хотя бы одно поле"),
])
def test_refusals_exit_2_russian_nothing_changed(cli, world, sqlite_path, tmp_path, argv, needle):
    before = dump(sqlite_path)
    status, _out, err = cli(*[a.replace("{tmp}", str(tmp_path)) for a in argv])
    assert status == 2, err
    assert needle.lower() in err.lower(), err
    assert "Traceback" not in err and len(err.strip().splitlines()) <= 2
    assert dump(sqlite_path) == before
    assert not list(tmp_path.rglob("*.pdf")) and not list(tmp_path.rglob(".vnedrenie-*"))


@pytest.mark.parametrize("kind", ["signoff", "estimate", "act", "progress"])
def test_missing_executor_details_exit_2_naming_fields(cli, world, sqlite_path, tmp_path, kind):
    db = open_database(f"sqlite:///{sqlite_path}")
    clear_executor(db)
    db.dispose()
    before = dump(sqlite_path)
    period = ["--from", "2026-03-01", "--to", "2026-03-31"] if kind == "act" else []
    status, _out, err = cli("report", kind, "1", *period, "-o", str(tmp_path / "x.pdf"))
    assert status == 2
    assert "не заполнены реквизиты исполнителя" in err
    for field in ("наименование организации", "ИНН исполнителя", "адрес исполнителя", "город составления",
                  "ФИО специалиста", "должность специалиста"):
        assert field in err
    assert dump(sqlite_path) == before and not (tmp_path / "x.pdf").exists()
    status, _out, err = cli("report", "acts", "--month", "2026-03", "-d", str(tmp_path / "acts"))
    assert status == 2 and "реквизиты исполнителя" in err and not (tmp_path / "acts").exists()


def test_executor_show_and_set(cli, world):
    assert cli("executor", "set", "--company", "ООО «Новая»", "--vat", "20", "--signer-name", "")[0] == 0
    data = json.loads(cli("executor", "show", "--json")[1])
    assert (data["company"], data["vat_rate"], data["signer_name"], data["inn"]) == (
        "ООО «Новая»", "20.00", "", "7707083893")
    assert cli("executor", "set", "--vat", "none")[0] == 0
    text = cli("executor", "show")[1]
    assert "Ставка НДС: без НДС" in text and "наименование организации: ООО «Новая»" in text
