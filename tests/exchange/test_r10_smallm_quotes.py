"""Tester M #6: the import report named a client «ООО «Кубань Агромаш» 2339916199» — its own quotes inside «…».
The report's and the file check's labels nest them as „…“, as the CSV import's refusals do (app/domain/quotes.py)."""

from __future__ import annotations

from datetime import datetime

from app.cli import run
from app.exchange.record_labels import _Labels
from app.exchange.row_change import RowChange
from app.exchange.validate import _Names
from app.persistence.db import open_database
from app.services.clients import edit_client

NAME, INN = "ООО «Кубань Агромаш»", "2339916199"


def _edit_city(path, city: str) -> None:
    db = open_database(f"sqlite:///{path}")
    try:
        edit_client(db, INN, {"city": city})
    finally:
        db.dispose()


def test_a_conflicts_line_nests_the_clients_own_quotes(cli, sqlite_path, tmp_path, capsys):
    assert cli("clients", "add", "--name", NAME, "--inn", INN, "--approach", "remote")[0] == 0
    assert cli("export", INN, "-o", str(tmp_path / "r0.zip"))[0] == 0
    other = tmp_path / "other.sqlite3"
    assert run(["--db", str(other), "import", str(tmp_path / "r0.zip")]) == 0
    _edit_city(sqlite_path, "Сочи")
    _edit_city(other, "Анапа")
    assert run(["--db", str(other), "export", INN, "-o", str(tmp_path / "s1.zip")]) == 0
    capsys.readouterr()
    status, out, err = cli("import", str(tmp_path / "s1.zip"))
    assert status == 0, err
    [line] = [x for x in out.splitlines() if "Анапа" in x]
    assert f"Заказчик «ООО „Кубань Агромаш“ {INN}»: город" in line, line
    assert "«ООО «" not in out


def test_the_labels_of_a_record_nest_quotes_in_the_report_and_in_the_files_check():
    contact = {"name": "Иванов «Мастер»", "client_id": 1}
    labels = _Labels()
    labels.client_names[1] = NAME
    assert labels.label("client", {"name": NAME, "inn": INN}) == f"Заказчик «ООО „Кубань Агромаш“ {INN}»"
    assert labels.label("contact", contact) == f"Контакт «Иванов „Мастер“» — {NAME}"
    names = _Names.__new__(_Names)  # the refusal of an invalid record in a file, naming it
    names.clients, names.titles = {}, {}
    row = RowChange("client", "upsert", "u-1", datetime(2026, 12, 5), {"name": NAME, "inn": INN})
    assert names.label(row) == f"Заказчик «ООО „Кубань Агромаш“ {INN}»"
