"""Bad-input matrix: every refused input gives status 2 (or a refused service call), one clear Russian message,
no traceback, and a database identical to before (full dump)."""

from __future__ import annotations

import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from app.errors import UserError
from app.persistence.db import open_database
from tests.exchange import helpers as h

CSV_HEADER = "Наименование;ИНН;Подход;Договор №;Дата договора;Версия программы;Контактное лицо;Телефон;E-mail"
PASSWORD = "пароль-офиса-2024"
CYRILLIC = re.compile("[а-яА-ЯёЁ]")
ENGLISH = re.compile(r"\b(constraint|failed|database|field|limit|error|invalid|not a|larger|unexpected)\b", re.I)


def dump(path: Path) -> str:
    """The whole database as SQL text (schema and every row)."""
    con = sqlite3.connect(path)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """Broken inputs on disk: CSV files, bundles (from another installation), password files, backups."""
    d = tmp_path_factory.mktemp("bad-input")
    out: dict[str, Path] = {}

    def text(name: str, content: str | bytes) -> None:
        path = d / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        out[name] = path

    text("header.csv", "Имя;Номер\nООО «А»;7707083893\n")
    text("bad_inn.csv", f"{CSV_HEADER}\nООО «А»;7707083894;remote;;;;;;\n")
    text("bad_date.csv", f"{CSV_HEADER}\nООО «А»;7736207543;remote;Д-1;2024-02-30;;;;\n")
    text("dupe.csv", f"{CSV_HEADER}\nООО «А»;7736207543;remote;;;;;;\nООО «Б»;7736207543;onsite;;;;;;\n")
    text("utf16.csv", f"{CSV_HEADER}\nООО «А»;7736207543;remote;;;;;;\n".encode("utf-16-le"))
    text("undecodable.csv", CSV_HEADER.encode("utf-8") + b"\n\x98\x98;7736207543;remote\n")
    text("png.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    text("empty.csv", "")
    text("only_header.csv", CSV_HEADER + "\n")
    text("long_name.csv", f"{CSV_HEADER}\n{'Я' * 400};7736207543;remote;;;;;;\n")
    text("quote.csv", f'{CSV_HEADER}\n"ООО «А;7736207543;remote;;;;;;\n')
    text("bad_approach.csv", f"{CSV_HEADER}\nООО «А»;7736207543;бесплатно;;;;;;\n")
    # issue 13: CSV files as people have them (kinds 3, 4 and 7)
    data = Path(__file__).parent / "data"
    out["line-break-in-name.csv"] = data / "line-break-in-name.csv"
    text("tab_in_name.csv", f"{CSV_HEADER}\n\"ООО\t«Таб»\";7736207543;remote;;;;;;\n")
    text("zero_width_name.csv", f"{CSV_HEADER}\n\u200b\u200b;7736207543;remote;;;;;;\n")
    text("bidi_in_contact.csv", f"{CSV_HEADER}\nООО «А»;7736207543;remote;;;;Иванов\u202eИван;;\n")
    text("unknown_column.csv", "sep=;\nНаименование;ИНН;Подход;Скидка;Email\nООО «А»;7736207543;remote;10%;a@b.ru\n")
    text("nameless_column_data.csv", "Наименование;ИНН;Подход;\nООО «А»;7736207543;remote;потерянное\n")
    text("same_column_twice.csv", "Наименование;ИНН;Подход;E-mail;Эл. почта\nООО «А»;7736207543;remote;a@b.ru;c@d.ru\n")
    text("huge_cell.csv", f"{CSV_HEADER}\nООО «А»;7736207543;remote;;;;;;\n\"{'Я' * 200_000}\";7702070139;remote;;;;;;\n")
    text("mixed_encoding.csv", CSV_HEADER.encode("cp1251") + "\nООО «А»;7736207543;remote;;;;;;\n".encode())
    text("comma_unknown.csv", "Наименование,ИНН,Подход,Скидка\nООО «А»,7736207543,remote,10%\n")
    text("existing_inn.csv", f"{CSV_HEADER}\nООО «Снова»;{h.INN_A[:4]} {h.INN_A[4:7]} {h.INN_A[7:]};remote;;;;;;\n")
    text("inn_spellings.csv", f"{CSV_HEADER}\nООО «А»;7736207543;remote;;;;;;\nООО «Б»;７７３６ ２０７ ５４３;onsite;;;;;;\n")
    text("good_pw", PASSWORD + "\n")
    text("wrong_pw", "совсем-другой-пароль\n")
    text("empty_pw", "\n")
    text("short_pw", "123\n")
    text("binary_pw", b"\xff\xfe\x00\x01")
    text("notes.txt", "Это просто заметки, а не архив.")
    text("not_a_backup.sqlite3", "SQLite? нет.")

    source = open_database(f"sqlite:///{d / 'source.sqlite3'}")
    h.populate(source, h.INN_B, "ООО «Из офиса»")
    from app.exchange.bundle_export import export_bundle

    plain = export_bundle(source, None, d / "plain.zip").path
    sealed = export_bundle(source, None, d / "sealed.zip", PASSWORD).path
    source.dispose()
    out["plain.zip"], out["sealed.zip"] = plain, sealed
    out["truncated.zip"] = h.truncated(plain, d / "truncated.zip")
    out["tampered.zip"] = h.with_payload_changed(plain, d / "tampered.zip")
    out["tampered_sealed.zip"] = h.with_payload_changed(sealed, d / "tampered_sealed.zip")
    out["newer.zip"] = h.with_manifest_changed(plain, d / "newer.zip", format_version=3)
    out["traversal.zip"] = h.with_extra_member(plain, d / "traversal.zip", "../../etc/cron.d/evil")
    out["absolute.zip"] = h.with_extra_member(plain, d / "absolute.zip", "/tmp/evil")
    out["bomb.zip"] = h.zip_bomb(d / "bomb.zip")
    out["members.zip"] = h.write_members(d / "members.zip", [(f"part{i}.json", b"{}") for i in range(40)])
    out["foreign.zip"] = h.write_members(d / "foreign.zip", {"document.xml": b"<xml/>"})
    out["bad_inn.zip"] = h.plain_bundle(d / "bad_inn.zip", {"client": [h.client_row(inn="1234567890")]})
    out["sql_inn.zip"] = h.plain_bundle(d / "sql_inn.zip", {"client": [h.client_row(inn="1; DROP TABLE client")]})
    out["huge.zip"] = h.plain_bundle(d / "huge.zip", {"client": [h.client_row()],
                                                      "work_log": [h.work_row(minutes=2**40)]})
    out["orphan.zip"] = h.plain_bundle(d / "orphan.zip", {"work_log": [h.work_row()]})
    return out


@pytest.fixture
def prepared(sqlite_path):
    """The database the refused commands run against: one client with data of every kind."""
    from app.services.clients import ClientInput, add_client
    from app.services.progress import move_stage

    db = open_database(f"sqlite:///{sqlite_path}")
    cid = h.populate(db)
    move_stage(db, cid, 1)  # stage 1 with half of its checklist done
    add_client(db, ClientInput(name="ООО «Новый»", inn="7702070139", approach="accompanied"))  # stage 0
    db.dispose()
    return sqlite_path


A = h.INN_A
# (case id, argv with {file} placeholders, a word the Russian message must contain)
CLI_CASES = [
    ("inn-checksum", ["clients", "add", "--name", "ООО «Б»", "--inn", "7736207544", "--approach", "remote"], "ИНН"),
    ("inn-letters", ["clients", "add", "--name", "ООО «Б»", "--inn", "77362O7543", "--approach", "remote"], "цифр"),
    ("inn-length", ["clients", "add", "--name", "ООО «Б»", "--inn", "77362075431", "--approach", "remote"], "10"),
    ("inn-sql", ["clients", "add", "--name", "ООО «Б»", "--inn", "1' OR '1'='1", "--approach", "remote"], "ИНН"),
    ("inn-duplicate", ["clients", "add", "--name", "ООО «Б»", "--inn", A, "--approach", "remote"], "уже есть"),
    ("date-feb-30", ["clients", "add", "--name", "ООО «Б»", "--inn", "7736207543", "--approach", "remote",
                     "--contract-date", "2024-02-30"], "дата"),
    ("date-apr-31", ["clients", "add", "--name", "ООО «Б»", "--inn", "7736207543", "--approach", "remote",
                     "--contract-date", "31.04.2024"], "дата"),
    ("date-words", ["clients", "add", "--name", "ООО «Б»", "--inn", "7736207543", "--approach", "remote",
                    "--contract-date", "завтра"], "дата"),
    ("date-year-1899", ["clients", "add", "--name", "ООО «Б»", "--inn", "7736207543", "--approach", "remote",
                        "--contract-date", "1899-12-31"], "дата"),
    ("approach", ["clients", "add", "--name", "ООО «Б»", "--inn", "7736207543", "--approach", "free"], "подход"),
    ("name-empty", ["clients", "add", "--name", "   ", "--inn", "7736207543", "--approach", "remote"], "обязательно"),
    ("name-long", ["clients", "add", "--name", "Я" * 5000, "--inn", "7736207543", "--approach", "remote"],
     "длинн"),
    ("name-control", ["clients", "add", "--name", "ООО\x1b[31m «Б»", "--inn", "7736207543", "--approach",
                      "remote"], "управляющие"),
    ("name-bell", ["clients", "add", "--name", "ООО\x07", "--inn", "7736207543", "--approach", "remote"],
     "управляющие"),
    ("name-not-utf8", ["clients", "add", "--name", "ООО \udcff\udcfe", "--inn", "7736207543", "--approach",
                       "remote"], "UTF-8"),
    ("kpp", ["clients", "add", "--name", "ООО «Б»", "--inn", "7736207543", "--approach", "remote", "--kpp",
             "'; DROP TABLE client; --"], "КПП"),
    ("client-sql", ["checklist", "done", "1 OR 1=1", "s1.test_project"], "не номер заказчика"),
    ("client-negative", ["checklist", "done", "-1", "s1.test_project"], "не номер заказчика"),
    ("client-huge", ["stage", "advance", "9" * 40], "диапазона"),
    ("client-text", ["lessons", "show", "Ромашка"], "не номер заказчика"),
    ("client-unknown", ["lessons", "show", "404"], "не найден"),
    ("checklist-sql-code", ["checklist", "done", A, "s1.lessons'; DELETE FROM client; --"], "неизвестный"),
    ("checklist-order", ["checklist", "done", A, "s2.warehouses"], "инвентаризац"),
    ("checklist-date", ["checklist", "done", A, "s1.test_project", "--date", "2023-02-29"], "дата"),
    ("stage-incomplete", ["stage", "advance", A], "чек-лист"),
    ("stage-force-no-reason", ["stage", "advance", A, "--force"], "причин"),
    ("stage-back-at-zero", ["stage", "back", "7702070139", "--reason", "ошибка"], "первом этапе"),
    ("stage-back-no-reason", ["stage", "back", A, "--reason", "  "], "причин"),
    ("lesson-unknown", ["lessons", "done", A, "L999"], "неизвестный урок"),
    ("lesson-employee", ["lessons", "done", A, "L03", "--employee", "Никто Никтович"], "не найден"),
    ("lesson-date", ["lessons", "done", A, "L03", "--date", "2024-13-01"], "дата"),
    ("csv-header", ["clients", "import", "{header.csv}"], "столбц"),
    ("csv-inn", ["clients", "import", "{bad_inn.csv}"], "строка 2"),
    ("csv-date", ["clients", "import", "{bad_date.csv}"], "строка 2"),
    ("csv-duplicate", ["clients", "import", "{dupe.csv}"], "строк"),
    ("csv-utf16-no-bom", ["clients", "import", "{utf16.csv}"], "текстовым"),
    ("csv-undecodable", ["clients", "import", "{undecodable.csv}"], "windows-1251"),
    ("csv-binary", ["clients", "import", "{png.csv}"], "текстовым"),
    ("csv-empty", ["clients", "import", "{empty.csv}"], "пуст"),
    ("csv-header-only", ["clients", "import", "{only_header.csv}"], "нет ни одного"),
    ("csv-long-name", ["clients", "import", "{long_name.csv}"], "длинн"),
    ("csv-open-quote", ["clients", "import", "{quote.csv}"], "строк"),
    ("csv-approach", ["clients", "import", "{bad_approach.csv}"], "подход"),
    ("csv-missing", ["clients", "import", "/nonexistent/clients.csv"], "прочитать"),
    ("csv-line-break-in-name", ["clients", "import", "{line-break-in-name.csv}"], "строка 2: поле «наименование» должно быть в одну строку"),
    ("csv-tab-in-name", ["clients", "import", "{tab_in_name.csv}"], "табуляции"),
    ("csv-zero-width-name", ["clients", "import", "{zero_width_name.csv}"], "невидимые"),
    ("csv-bidi-in-contact", ["clients", "import", "{bidi_in_contact.csv}"], "строка 2"),
    ("csv-unknown-column", ["clients", "import", "{unknown_column.csv}"], "«Скидка» (столбец 4)"),
    ("csv-nameless-column-data", ["clients", "import", "{nameless_column_data.csv}"], "нет заголовка"),
    ("csv-same-column-twice", ["clients", "import", "{same_column_twice.csv}"], "оба означают"),
    ("csv-huge-cell", ["clients", "import", "{huge_cell.csv}"], "строка 3"),
    ("csv-mixed-encoding", ["clients", "import", "{mixed_encoding.csv}"], "смешаны"),
    ("csv-comma-unknown", ["clients", "import", "{comma_unknown.csv}"], "«Скидка»"),
    ("csv-existing-inn", ["clients", "import", "{existing_inn.csv}"], "--update"),
    ("csv-device", ["clients", "import", "/dev/zero"], "не обычный файл"),
    ("csv-inn-spellings", ["clients", "import", "{inn_spellings.csv}"], "строка 3: ИНН 7736207543 повторяет строку 2"),
    # issue 13, kind 2: identifiers in every spelling, and those that cannot exist
    ("inn-fullwidth-duplicate", ["clients", "add", "--name", "ООО «Б»", "--inn", "７７０７０８３８９３", "--approach",
                                 "remote"], "уже есть"),
    ("inn-spaces-duplicate", ["clients", "add", "--name", "ООО «Б»", "--inn", "7707 083 893", "--approach", "remote"],
     "уже есть"),
    ("inn-zeros", ["clients", "add", "--name", "ООО «Б»", "--inn", "0000000000", "--approach", "remote"],
     "не может существовать"),
    ("inn-zeros-12", ["clients", "add", "--name", "ИП Б", "--inn", "000000000000", "--approach", "remote"],
     "не может существовать"),
    ("kpp-zeros", ["clients", "add", "--name", "ООО «Б»", "--inn", "7736207543", "--approach", "remote", "--kpp",
                   "000000000"], "не может существовать"),
    ("kpp-serial-000", ["clients", "add", "--name", "ООО «Б»", "--inn", "7736207543", "--approach", "remote",
                        "--kpp", "773601000"], "не может существовать"),
    ("kpp-for-entrepreneur", ["clients", "add", "--name", "ИП Б", "--inn", "500100732259", "--approach", "remote",
                              "--kpp", "500101001"], "предпринимател"),
    # issue 13, kind 3: one-line fields
    ("name-line-break", ["clients", "add", "--name", "ООО\n«Б»", "--inn", "7736207543", "--approach", "remote"],
     "одну строку"),
    ("name-tab", ["clients", "add", "--name", "ООО\t«Б»", "--inn", "7736207543", "--approach", "remote"], "табуляции"),
    ("name-zero-width-only", ["clients", "add", "--name", "\u200b\u200c\u200d", "--inn", "7736207543", "--approach",
                              "remote"], "невидимые"),
    ("name-bidi-only", ["clients", "add", "--name", "\u202e\u202d", "--inn", "7736207543", "--approach", "remote"],
     "невидимые"),
    ("name-bom", ["clients", "add", "--name", "\ufeffООО «Б»", "--inn", "7736207543", "--approach", "remote"],
     "невидимые"),
    ("name-hangul-filler", ["clients", "add", "--name", "\u3164\u3164", "--inn", "7736207543", "--approach", "remote"],
     "невидимые"),
    ("contract-no-newline", ["clients", "add", "--name", "ООО «Б»", "--inn", "7736207543", "--approach", "remote",
                             "--contract-no", "Д-1\r\nД-2"], "одну строку"),
    ("stage-reason-escape", ["stage", "advance", A, "--force", "--reason", "\x1b[2J\x1b[31mочистка"], "управляющие"),
    ("stage-back-reason-bidi", ["stage", "back", A, "--reason", "ошибка\u202e"], "невидимые"),
    # issue 13, kind 7: every id and number through one parser; dates that cannot be
    ("checklist-2099", ["checklist", "done", A, "s1.test_project", "--date", "2099-01-01"], "в будущем"),
    ("lessons-2099", ["lessons", "done", A, "L03", "--date", "2099-12-31"], "в будущем"),
    ("checklist-superscript", ["checklist", "done", "²", "s1.test_project"], "не номер заказчика"),
    ("stage-superscript", ["stage", "advance", "³"], "не номер заказчика"),
    ("log-delete-superscript", ["log", "delete", "²"], "цифрами 0–9"),
    ("export-superscript", ["export", "²", "-o", "{out}"], "не номер заказчика"),
    ("erase-superscript", ["erase-personal", "²", "--yes"], "не номер заказчика"),
    ("report-superscript", ["report", "progress", "²", "-o", "{out}"], "не номер заказчика"),
    # decimal digits of other scripts are numbers (r13: «٣» is client 3); circled ones only look like digits
    ("client-circled-digit", ["lessons", "show", "③"], "не номер заказчика"),
    ("log-delete-huge", ["log", "delete", "99999999999999999999"], "диапазона"),
    ("log-restore-zero", ["log", "restore", "0"], "диапазона"),
    ("documents-year-huge", ["documents", "list", "--year", "9999999999999999999999999"], "диапазона"),
    ("documents-year-superscript", ["documents", "list", "--year", "²⁰²⁴"], "цифрами 0–9"),
    ("report-stage-superscript", ["report", "signoff", A, "--stage", "²", "-o", "{out}"], "цифрами 0–9"),
    ("log-stage-superscript", ["log", "add", A, "--kind", "conference", "--date", "2024-07-01", "--minutes", "30",
                               "--stage", "³"], "цифрами 0–9"),
    # digits of other scripts are read as in a date and in the window (tester P, item 13); these are no digits
    ("log-minutes-superscript", ["log", "add", A, "--kind", "conference", "--date", "2024-07-01", "--minutes", "³⁰"],
     "не время"),
    ("log-amount-superscript", ["log", "add", A, "--kind", "transfer", "--date", "2024-07-01", "--amount", "¹⁰⁰"],
     "цифрами 0–9"),
    ("tariff-tenth-kopeck", ["billing", "rate", "remote_hour", "0.001", "--from", "2024-01-01"], "двух знаков"),
    ("tariff-half-kopeck", ["billing", "rate", "remote_hour", "1500.005", "--from", "2024-01-01"], "двух знаков"),
    ("tariff-superscript", ["billing", "rate", "onsite_day", "1²", "--from", "2024-01-01"], "цифрами 0–9"),
    ("rounding-superscript", ["billing", "settings", "--rounding", "¹⁵"], "цифрами 0–9"),
    ("document-superscript", ["documents", "print", "²", "-o", "{out}"], "похожие на цифры"),
    ("document-returned-superscript", ["documents", "returned", "АУ-³/2026", "--clear"], "похожие на цифры"),
    ("db-empty", ["--db", "", "clients", "list"], "пуст"),
    ("db-not-a-database", ["--db", "{notes.txt}", "clients", "list"], "не является базой данных"),
    ("demo-not-empty", ["demo"], "уже есть"),
    ("bundle-wrong-password", ["import", "{sealed.zip}", "--password-file", "{wrong_pw}"], "неверный пароль"),
    ("bundle-no-password", ["import", "{sealed.zip}"], "паролем"),
    ("bundle-empty-password", ["import", "{sealed.zip}", "--password-file", "{empty_pw}"], "пуст"),
    ("bundle-binary-password", ["import", "{sealed.zip}", "--password-file", "{binary_pw}"], "UTF-8"),
    ("bundle-truncated", ["import", "{truncated.zip}"], "повреждён"),
    ("bundle-tampered", ["import", "{tampered.zip}"], "изменён"),
    ("bundle-tampered-sealed", ["import", "{tampered_sealed.zip}", "--password-file", "{good_pw}"], "подлинности"),
    ("bundle-foreign-zip", ["import", "{foreign.zip}"], "не является файлом обмена"),
    ("bundle-text-file", ["import", "{notes.txt}"], "не является файлом обмена"),
    ("bundle-newer-format", ["import", "{newer.zip}"], "обновите программу"),
    ("bundle-traversal", ["import", "{traversal.zip}"], "вне корня"),
    ("bundle-absolute-path", ["import", "{absolute.zip}"], "вне корня"),
    ("bundle-zip-bomb", ["import", "{bomb.zip}"], "бомба"),
    ("bundle-members", ["import", "{members.zip}"], "слишком много"),
    ("bundle-invalid-inn", ["import", "{bad_inn.zip}"], "ИНН"),
    ("bundle-sql-inn", ["import", "{sql_inn.zip}"], "ИНН, inn"),
    ("bundle-huge-number", ["import", "{huge.zip}"], "minutes"),
    ("bundle-orphan", ["import", "{orphan.zip}"], "ссылается"),
    ("bundle-missing", ["import", "/nonexistent/bundle.zip"], "не существует"),
    ("export-nothing", ["export", "-o", "{out}"], "--all"),
    ("export-unknown", ["export", "404", "-o", "{out}"], "не найден"),
    ("export-short-password", ["export", "--all", "-o", "{out}", "--password-file", "{short_pw}"], "короткий"),
    ("export-missing-password", ["export", "--all", "-o", "{out}", "--password-file", "/nonexistent/pw"],
     "не существует"),
    ("export-onto-database", ["export", "--all", "-o", "{db}"], "поверх"),
    ("backup-onto-database", ["backup", "-o", "{db}"], "поверх"),
    ("restore-not-backup", ["restore", "{not_a_backup.sqlite3}"], "не является резервной копией"),
    ("restore-itself", ["restore", "{db}"], "сама открытая база"),
    ("restore-missing", ["restore", "/nonexistent/backup.sqlite3"], "не существует"),
    ("erase-unconfirmed", ["erase-personal", A], "--yes"),
    ("erase-unknown", ["erase-personal", "404", "--yes"], "не найден"),
    ("unknown-command", ["format-disk"], "недопустимое"),
    ("missing-argument", ["clients", "add", "--inn", A], "обязательные"),
    # the work log and the calculator (app/cli/cmd_billing.py)
    ("log-negative-minutes", ["log", "add", A, "--kind", "conference", "--date", "2024-07-01", "--minutes", "-5"],
     "отрицательн"),
    ("log-text-minutes", ["log", "add", A, "--kind", "conference", "--date", "2024-07-01", "--minutes", "сорок"],
     "время"),
    ("log-feb-30", ["log", "add", A, "--kind", "conference", "--date", "2024-02-30", "--minutes", "30"], "дата"),
    ("log-kind", ["log", "add", A, "--kind", "holiday", "--date", "2024-07-01", "--minutes", "30"], "вид"),
    ("log-huge-amount", ["log", "add", A, "--kind", "transfer", "--date", "2024-07-01", "--amount", "1" + "0" * 30],
     "сумм"),
    ("log-exponent-amount", ["log", "add", A, "--kind", "transfer", "--date", "2024-07-01", "--amount", "1e3"],
     "цифрами 0–9"),
    ("log-nan-amount", ["log", "add", A, "--kind", "lodging", "--date", "2024-07-01", "--amount", "NaN"], "число"),
    ("estimate-negative", ["estimate", "--approach", "remote", "--conference-hours", "-3"], "отрицательн"),
    ("estimate-text", ["estimate", "--approach", "remote", "--conference-hours", "много"], "число"),
    ("estimate-half-kopeck", ["estimate", "--approach", "onsite", "--days", "2", "--transfer", "0,005"],
     "двух знаков"),
    ("estimate-third-decimal-hours", ["estimate", "--approach", "remote", "--conference-hours", "1.005"],
     "двух знаков"),
    ("plan-third-decimal-hours", ["plan", "add", A, "--kind", "call", "--start", "2024-07-01 10:00", "--duration",
                                  "1.005h"], "двух знаков"),  # was planned as 1:00
    ("settings-hours-per-day-third-decimal", ["billing", "settings", "--hours-per-day", "8,125"], "двух знаков"),
    ("estimate-date", ["estimate", "--approach", "onsite", "--days", "2", "--on", "2024-02-30"], "дата"),
]


@pytest.mark.parametrize("argv,needle", [pytest.param(a, n, id=i) for i, a, n in CLI_CASES])
def test_refused_command(cli, prepared, files, tmp_path, argv, needle):
    paths = {**{k: str(v) for k, v in files.items()}, "out": str(tmp_path / "out.zip"), "db": str(prepared)}
    argv = [re.sub(r"\{([^{}]+)\}", lambda m: paths.get(m.group(1), m.group(0)), arg) for arg in argv]
    before = dump(prepared)
    backups_before = _backup_files()
    status, out, err = cli(*argv)
    assert status == 2, (status, out, err)
    assert err.strip() and CYRILLIC.search(err), err
    assert needle.lower() in err.lower(), err
    assert "Traceback" not in err and "Traceback" not in out
    assert not ENGLISH.search(err), err  # «UNIQUE constraint failed», «file is not a database» …
    assert dump(prepared) == before
    assert not (tmp_path / "out.zip").exists()
    assert _backup_files() == backups_before  # a refused input does not even leave a backup behind


def _backup_files() -> set[str]:
    from app.config import data_dir

    folder = data_dir() / "backups"
    return {str(p) for p in folder.rglob("*")} if folder.exists() else set()


# ------------------------------------------------------------------ services called directly


def _service_cases():
    from app.exchange import bundle_import, restore
    from app.services import clients, progress
    from app.services.clients import ClientInput, PersonInput
    from app.services.privacy import erase_personal_data

    def client(**changes) -> ClientInput:
        data = {"name": "ООО «Б»", "inn": "7736207543", "approach": "remote"}
        data.update(changes)
        return ClientInput(**data)

    return [
        ("email", lambda db, f: clients.add_client(db, client(contacts=[PersonInput("Иванов", email="ivanov@")])),
         "почты"),
        ("phone", lambda db, f: clients.add_client(db, client(contacts=[PersonInput("Иванов", phone="звоните")])),
         "телефон"),
        ("person-name", lambda db, f: clients.add_client(db, client(employees=[PersonInput("  ")])), "ФИО"),
        ("contract-year", lambda db, f: clients.add_client(db, client(contract_date=date(1901, 1, 1))), "дата"),
        ("update-inn", lambda db, f: clients.update_client(db, 1, client(inn="7736207544")), "ИНН"),
        ("stage-7", lambda db, f: progress.move_stage(db, 1, 7, force=True, reason="так"), "от 0 до 4"),
        ("no-codes", lambda db, f: progress.set_checklist(db, 1, [], True), "хотя бы"),
        ("erase-unknown", lambda db, f: erase_personal_data(db, "99999"), "не найден"),
        ("import-bomb", lambda db, f: bundle_import.import_bundle(db, f["bomb.zip"]), "бомба"),
        ("import-wrong-password",
         lambda db, f: bundle_import.import_bundle(db, f["sealed.zip"], "не-тот-пароль"), "неверный"),
        ("restore-text", lambda db, f: restore.restore_backup(db, f["notes.txt"]), "не является"),
    ]


@pytest.mark.parametrize("case", [c[0] for c in _service_cases()])
def test_refused_service_call(prepared, files, case):
    _name, call, needle = next(c for c in _service_cases() if c[0] == case)
    before = dump(prepared)
    db = open_database(f"sqlite:///{prepared}")
    try:
        with pytest.raises(UserError) as err:
            call(db, files)
    finally:
        db.dispose()
    message = err.value.full_text()
    assert CYRILLIC.search(message) and needle.lower() in message.lower(), message
    assert dump(prepared) == before


@pytest.mark.parametrize("minutes", ["９０", "１:３０", "١:٣٠"])
def test_the_cli_reads_full_width_minutes_as_it_reads_dates_and_the_window(cli, prepared, minutes):
    """«--date ２０２４-07-01» was taken and «--minutes ９０» refused as «похожие на цифры» (tester P, item 13): one
    reading, parse_minutes's (app.services.entry_input), as the window's."""
    import json

    status, out, err = cli("log", "add", A, "--kind", "conference", "--date", "２０２４-07-01", "--minutes", minutes)
    assert status == 0, err
    status, out, err = cli("log", "list", A, "--from", "2024-07-01", "--to", "2024-07-01", "--json")
    assert status == 0, err
    assert 90 in [row.get("minutes") for row in json.loads(out)["entries"]], out


def test_the_matrix_is_big_enough():
    assert len(CLI_CASES) + len(_service_cases()) >= 40


def test_sql_looking_text_is_stored_verbatim_not_executed(cli, prepared):
    """Not a refusal: a name that looks like SQL is just a name (parameters, never string-built SQL)."""
    name = "Robert'); DROP TABLE client; --"
    status, out, err = cli("clients", "add", "--name", name, "--inn", "7736207543", "--approach", "remote")
    assert status == 0, err
    status, out, _ = cli("clients", "list", "--json")
    import json

    assert name in [c["name"] for c in json.loads(out)]


@pytest.mark.parametrize(("argv", "said"), [
    (["--kind", "transfer", "--amount", "-1"], "Сумма должна быть положительной, а не -1,00 ₽."),
    (["--kind", "transfer", "--amount", "1000000000"],
     "Сумма 1 000 000 000,00 ₽ больше 1 000 000 ₽ в одной записи."),
    (["--kind", "conference", "--minutes", "1000000000"],
     "1 000 000 000 мин — больше 24 часов в одной записи: разбейте по дням."),
    (["--kind", "onsite_day", "--days", "100"], "100 дн. в одной записи — больше 31: разбейте по месяцам."),
    (["--kind", "onsite_day", "--days", "0"], "Количество дней должно быть положительным, а не 0."),
])
def test_refusals_write_numbers_as_russian_does(cli, argv, said):
    """«…а не -1.00», «Сумма 1000000000.00 больше 1000000 ₽», «0.00» (a fresh tester, 2026-12-05): the figures of
    a refusal are written with a decimal comma and spaced thousands, as everywhere else."""
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--approach", "onsite")[0] == 0
    status, _out, err = cli("log", "add", "7707083893", "--date", "2026-04-01", *argv)
    assert status == 2 and err.strip().replace("\u00a0", " ").replace("\u202f", " ") == said


def test_a_document_written_under_another_extension_is_refused_and_no_number_is_taken(cli, tmp_path):
    """`report act … -o x.txt` wrote a PDF named .txt, which no viewer opened by its name (a fresh tester,
    2026-12-05); the act is refused before it takes a number."""
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--approach", "remote")[0] == 0
    status, _out, err = cli("report", "progress", "7707083893", "-o", str(tmp_path / "x.txt"))
    assert status == 2 and "должно оканчиваться на .pdf" in err and not (tmp_path / "x.txt").exists()
    assert "Документов нет" in cli("documents", "list")[1] or cli("documents", "list", "--json")[1].strip() == "[]"


def test_minutes_written_with_leading_zeros_are_their_value(cli):
    """«--minutes 0000090» was said to be more than 24 hours (a fresh tester, 2026-12-05): it is 90 minutes."""
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--approach", "remote")[0] == 0
    status, _out, err = cli("log", "add", "7707083893", "--kind", "conference", "--date", "2026-04-01", "--minutes",
                            "0000090")
    assert status == 0, err
    assert '"minutes": 90' in cli("log", "list", "7707083893", "--json")[1]


@pytest.mark.parametrize(("name", "said"), [(".pdf", "Укажите имя файла перед .pdf"), (" .pdf", "Укажите имя файла перед .pdf"),
                                            ("\u00a0 .PDF", "Укажите имя файла перед .pdf"),
                                            ("y.txt", "оканчиваться на .pdf")])
def test_a_document_file_name_is_said_plainly_when_refused(cli, tmp_path, name, said):
    """«-o .pdf» was said not to end with .pdf (a fresh tester, 2026-12-05); «y.pdf » with a trailing space is
    «y.pdf»."""
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--approach", "remote")[0] == 0
    status, _out, err = cli("report", "progress", "7707083893", "-o", str(tmp_path / name))
    assert status == 2 and said in err
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob("*.PDF"))
