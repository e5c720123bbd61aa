"""Tester L, items 3 and 4: a client of another database met here by its ИНН.

Item 3: its conflicts were listed by `sync conflicts` under «—» — they carried the file's client UUID, which
this computer does not have; the import report named it by the file's name, not the one here. Item 4: two cards
of one company made apart and merged by ИНН on two computers asked the user to choose a creation time
(«создано»), whose two values printed alike — docs/sync.md says creation stamps never conflict."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.cli import run
from app.exchange.bundle_export import export_bundle
from app.exchange.bundle_import import import_bundle
from app.persistence.db import open_database
from app.persistence.models import Client, SyncConflict
from app.services.clients import ClientInput, add_client
from app.sync.service import conflict_lines

INN = "7707083893"


def _db(folder: Path, name: str):
    return open_database(f"sqlite:///{folder / f'{name}.sqlite3'}")


def carry(src, dst, path: Path):
    export_bundle(src, None, path)
    return import_bundle(dst, path, backup=False).report


def test_a_client_met_by_its_inn_is_named_in_the_conflict_list_and_the_report_by_its_name_here(tmp_path, capsys):
    y, z = _db(tmp_path, "y"), _db(tmp_path, "z")
    try:
        add_client(y, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
        add_client(z, ClientInput(name="ООО «Ромашка-2»", inn=INN, approach="onsite"))
        for n in range(2):  # y's latest export is numbered above z's: its own values are kept
            export_bundle(y, None, tmp_path / f"y{n}.zip")
        report = carry(z, y, tmp_path / "z1.zip")
        with y.read() as s:
            here = s.scalar(select(Client.name).where(Client.inn == INN))
            uuid = s.scalar(select(Client.uuid).where(Client.inn == INN))
            stored = {c.client_uuid for c in s.scalars(select(SyncConflict))}
        assert stored == {uuid} and here == "ООО «Ромашка»"
        lines = conflict_lines(y)
        assert {line.what for line in lines} == {"Карточка · подход", "Карточка · наименование/ФИО"}
        assert {line.client for line in lines} == {here}
        assert run(["--db", str(y.sqlite_path), "sync", "conflicts"]) == 0
        out = capsys.readouterr().out
        assert "\t—\t" not in out and out.count(f"\t{here}\t") == 2
        # the report names it by the name here; the file's other name beside it
        text = "\n".join(report.lines())
        # (its own quotes nested, tester M #6)
        assert f"  = Заказчик «ООО „Ромашка“ {INN}» (в файле: ООО «Ромашка-2»)" in text
        assert f"Заказчик «ООО „Ромашка“ {INN}»: наименование/ФИО" in text
        assert "«ООО «Ромашка-2» 7707083893»" not in text and "«ООО «" not in text
    finally:
        y.dispose()
        z.dispose()


def _created(db):
    with db.read() as s:
        return s.scalar(select(Client.created_at).where(Client.inn == INN))


def test_two_computers_that_merged_other_cards_by_inn_do_not_ask_for_a_creation_time(tmp_path, capsys):
    from datetime import datetime

    x, y, z1, z2 = (_db(tmp_path, n) for n in ("x", "y", "z1", "z2"))
    try:
        add_client(x, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
        carry(x, y, tmp_path / "x0.zip")  # X and Y share the client
        for db, name, minute in ((z1, "ООО «Ромашка-2»", 1), (z2, "ООО «Ромашка»", 5)):
            add_client(db, ClientInput(name=name, inn=INN, approach="remote"))
            with db.unit() as s:  # made on other computers at other moments
                s.scalar(select(Client).where(Client.inn == INN)).created_at = datetime(2026, 12, 5, 21, minute)
        carry(z1, y, tmp_path / "z1.zip")  # Y meets Z1's card by its ИНН
        carry(z2, x, tmp_path / "z2.zip")  # X meets Z2's card by its ИНН
        assert _created(x) != _created(y)
        report = carry(x, y, tmp_path / "x3.zip")
        assert [c.field for c in report.conflicts if c.field == "created_at"] == []
        assert all(line.what != "Карточка · создано" for line in conflict_lines(y))
        carry(y, x, tmp_path / "y3.zip")
        assert all(line.what != "Карточка · создано" for line in conflict_lines(x))
        assert _created(x) == _created(y)  # one value on both, kept silently by the usual order
    finally:
        for db in (x, y, z1, z2):
            db.dispose()
