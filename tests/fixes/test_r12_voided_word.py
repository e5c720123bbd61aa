"""«--lang en documents list» printed the Russian «аннулирован» (tester P, item 12); «documents print» of a voided
act too. Russian stays Russian."""

from __future__ import annotations


def test_the_register_says_voided_in_the_users_language(sqlite_path, cli, tmp_path):
    from app.persistence.db import open_database
    from app.reports import printing
    from app.services import documents as docs
    from tests.reports.helpers import ACT_DAY, MARCH, build_world

    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        world = build_world(db)
        code = printing.issue(db, docs.prepare(db, "act", world.client_id, on=ACT_DAY, date_from=MARCH[0],
                                               date_to=MARCH[1])).code
    finally:
        db.dispose()
    status, _out, err = cli("documents", "void", code, "--reason", "Неверный период\n\nвторая строка ")
    assert status == 0, err
    status, out, _err = cli("--lang", "en", "documents", "list")
    voided = next(line for line in out.splitlines() if line.startswith(code + " "))
    assert "voided: Неверный период / вторая строка" in voided and "аннулирован" not in voided
    status, out, err = cli("--lang", "en", "documents", "print", code, "-o", str(tmp_path / "a.pdf"))
    assert status == 0, err
    assert "(voided " in out and "аннулирован" not in out
    status, out, _err = cli("documents", "list")
    assert "аннулирован: Неверный период / вторая строка" in out
