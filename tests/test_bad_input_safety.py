"""Bad input at the edges (issue 12): devices, pipes, hostile key-derivation settings, files that exist.

Every case: status 2, one Russian sentence, no traceback, the database identical to before (full dump)."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
from pathlib import Path

import pytest

from app.persistence.db import open_database
from tests.exchange import helpers as h

PASSWORD = "пароль-офиса-2024"
CYRILLIC = re.compile("[а-яА-ЯёЁ]")


def dump(path: Path) -> str:
    """The whole database as SQL text (schema and every row)."""
    con = sqlite3.connect(path)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


@pytest.fixture
def prepared(sqlite_path):
    db = open_database(f"sqlite:///{sqlite_path}")
    h.populate(db)
    db.dispose()
    return sqlite_path


@pytest.fixture
def alarm():
    """Fail instead of hanging forever (a FIFO opened for reading blocks until a writer comes)."""
    def timeout(_signum, _frame):
        raise TimeoutError("the command hung")

    old = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


@pytest.fixture
def hostile(tmp_path) -> dict[str, str]:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    sealed_src = open_database(f"sqlite:///{tmp_path / 'src.sqlite3'}")
    h.populate(sealed_src, h.INN_B, "ООО «Из офиса»")
    from app.exchange.bundle_export import export_bundle

    sealed = export_bundle(sealed_src, None, tmp_path / "sealed.zip", PASSWORD).path
    sealed_src.dispose()
    members = h.read_members(sealed)
    head = json.loads(members["manifest.json"])
    head["encryption"]["n"] = 2**20  # what the old reader allowed: 2.1 GB and half a minute of work
    head["encryption"]["r"] = 16
    members["manifest.json"] = json.dumps(head).encode()
    costly = h.write_members(tmp_path / "costly.zip", members)
    pw = tmp_path / "pw"
    pw.write_text(PASSWORD + "\n", encoding="utf-8")
    big = tmp_path / "big.csv"
    with big.open("wb") as fh:
        fh.truncate(30 * 1024 * 1024)  # sparse: 30 MB of zeros, above every limit of a CSV file
    return {"fifo": str(fifo), "zero": "/dev/zero", "costly": str(costly), "pw": str(pw), "big": str(big),
            "folder": str(tmp_path)}


CASES = [
    ("csv-dev-zero", ["clients", "import", "{zero}"], "не обычный файл"),
    ("csv-fifo", ["clients", "import", "{fifo}"], "не обычный файл"),
    ("csv-too-large", ["clients", "import", "{big}"], "слишком велик"),
    ("password-dev-zero", ["import", "{costly}", "--password-file", "{zero}"], "не обычный файл"),
    ("password-fifo", ["export", "--all", "-o", "{out}", "--password-file", "{fifo}"], "не обычный файл"),
    ("password-folder", ["import", "{costly}", "--password-file", "{folder}"], "папка"),
    ("restore-dev-zero", ["restore", "{zero}"], "не обычный файл"),
    ("restore-fifo", ["restore", "{fifo}"], "не обычный файл"),
    ("import-dev-zero", ["import", "{zero}"], "не обычный файл"),
    ("import-fifo", ["import", "{fifo}"], "не обычный файл"),
    ("import-costly-kdf", ["import", "{costly}", "--password-file", "{pw}"], "параметры шифрования"),
]


@pytest.mark.parametrize("argv,needle", [pytest.param(a, n, id=i) for i, a, n in CASES])
def test_refused_at_the_edge(cli, prepared, hostile, tmp_path, alarm, argv, needle):
    paths = {**hostile, "out": str(tmp_path / "out.zip")}
    argv = [re.sub(r"\{([^{}]+)\}", lambda m: paths[m.group(1)], arg) for arg in argv]
    before = dump(prepared)
    status, out, err = cli(*argv)
    assert status == 2, (status, out, err)
    assert CYRILLIC.search(err) and needle.lower() in err.lower(), err
    assert "Traceback" not in err + out
    assert dump(prepared) == before
    assert not (tmp_path / "out.zip").exists()


@pytest.mark.parametrize("name", ["zero", "fifo"])
def test_lesson_plan_refuses_devices_and_pipes(prepared, hostile, alarm, name):
    from app.errors import UserError
    from app.services.lessons_import import import_lesson_plan

    before = dump(prepared)
    db = open_database(f"sqlite:///{prepared}")
    try:
        with pytest.raises(UserError) as err:
            import_lesson_plan(db, hostile[name])
    finally:
        db.dispose()
    assert "не обычный файл" in err.value.message
    assert dump(prepared) == before


def test_kdf_bounds_stay_well_under_256_mb():
    from app.exchange import crypto

    assert crypto.MAX_KDF_MEMORY <= 64 * 1024 * 1024
    assert 128 * crypto.SCRYPT_N * crypto.SCRYPT_R * crypto.SCRYPT_P <= crypto.MAX_KDF_MEMORY  # we read our own


def test_read_input_file_reads_a_regular_file(tmp_path):
    from app.errors import UserError
    from app.fileio import read_input_file

    f = tmp_path / "a.txt"
    f.write_bytes(b"x" * 100)
    assert read_input_file(f, 100) == b"x" * 100
    with pytest.raises(UserError):
        read_input_file(f, 99)


SETTINGS_CASES = [
    ("vat-then-bad-rounding", ["billing", "settings", "--vat", "10", "--rounding", "7"], "округлен"),
    ("vat-then-bad-hours", ["billing", "settings", "--vat", "10", "--hours-per-day", "30"], "от 1 до 24"),
    ("rounding-then-bad-vat", ["billing", "settings", "--rounding", "15", "--vat", "120"], "НДС"),
    ("good-then-bad-hours", ["billing", "settings", "--rounding", "30", "--hours-per-day", "ноль"], "число"),
]


@pytest.mark.parametrize("argv,needle", [pytest.param(a, n, id=i) for i, a, n in SETTINGS_CASES])
def test_several_settings_one_transaction(cli, prepared, argv, needle):
    before = dump(prepared)
    status, out, err = cli(*argv)
    assert status == 2, (status, out, err)
    assert needle.lower() in err.lower(), err
    assert dump(prepared) == before


def test_several_settings_saved_together(cli, prepared):
    status, _out, err = cli("billing", "settings", "--vat", "10", "--rounding", "15", "--hours-per-day", "7.5")
    assert status == 0, err
    status, out, _err = cli("billing", "settings", "--json")
    saved = json.loads(out)
    assert {k: saved[k] for k in ("vat_rate", "vat_mode", "rounding_min", "hours_per_day")} == {
        "vat_rate": "10.00", "vat_mode": "included", "rounding_min": 15, "hours_per_day": "7.50"}


def _hostile_cases():
    from tests.exchange.test_hostile_records import CASES

    return CASES


@pytest.mark.parametrize("case", [c[0] for c in _hostile_cases()])
def test_hostile_records_through_the_command_line(cli, prepared, tmp_path, case):
    """The hostile-record bundles of tests/exchange/test_hostile_records.py, imported with `import FILE`."""
    _name, client, tables, needles = next(c for c in _hostile_cases() if c[0] == case)
    path = h.plain_bundle(tmp_path / "hostile.zip", {"client": [h.client_row(**client)], **tables})
    before = dump(prepared)
    status, out, err = cli("import", str(path))
    assert status == 2, (status, out, err)
    assert CYRILLIC.search(err) and "Traceback" not in err + out
    assert all(needle.lower() in err.lower() for needle in needles), err
    assert dump(prepared) == before
