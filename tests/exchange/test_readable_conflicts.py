"""`sync conflicts` and the conflicts dialog speak the card's words: the client's name, «Карточка · город»,
values as a person reads them (dd.mm.yyyy, approach names, да/нет, a checklist item's title); `--json` keeps the
stored codes. Conflicts made by bundles crossing between two SQLite laptops."""

from __future__ import annotations

import json
from datetime import date

from app.exchange.bundle_export import export_bundle
from app.exchange.bundle_import import import_bundle
from app.services.progress import set_checklist
from app.sync.service import conflict_lines, conflicts
from tests.exchange.test_bundle_versions import INN, carry, edit, laptops  # noqa: F401 (the fixture)


def _cross(a, b, folder) -> None:
    export_bundle(a, None, folder / "a.zip")
    export_bundle(b, None, folder / "b.zip")
    import_bundle(b, folder / "a.zip", backup=False)
    import_bundle(a, folder / "b.zip", backup=False)


def test_sync_conflicts_prints_the_client_the_cards_words_and_values_in_user_terms(laptops, tmp_path, capsys):  # noqa: F811
    from app.cli import run

    a, b = laptops
    set_checklist(a, INN, ["s1.lessons"], True, on=date(2026, 3, 2))
    carry(a, b, tmp_path / "0.zip")
    edit(a, contract_date=date(2026, 3, 1), approach="onsite")
    edit(b, contract_date=date(2026, 4, 15), approach="accompanied")
    set_checklist(a, INN, ["s1.lessons"], False)
    set_checklist(b, INN, ["s1.lessons"], False)
    set_checklist(b, INN, ["s1.lessons"], True, on=date(2026, 3, 5))
    _cross(a, b, tmp_path)
    capsys.readouterr()
    assert run(["--db", str(b.sqlite_path), "sync", "conflicts"]) == 0
    out = capsys.readouterr().out
    ids = {c.field: c.id for c in conflicts(b)}
    kept_b = {c.field: c.kept for c in conflicts(b)}
    side = {"file": "из файла", "here": "здешнее"}
    assert sorted(out.splitlines()) == sorted([
        f"{ids['contract_date']}\tООО «Ромашка»\tКарточка · дата договора\tздесь: 15.04.2026\tв файле: 01.03.2026\t"
        f"оставлено: {side[kept_b['contract_date']]}",
        f"{ids['approach']}\tООО «Ромашка»\tКарточка · подход\tздесь: Сопровождение внедрения (бесплатно)\tв файле: Выездное внедрение\t"
        f"оставлено: {side[kept_b['approach']]}",
        f"{ids['done']}\tООО «Ромашка»\tЧек-лист · выполнено (Видеоуроки просмотрены по плану)\tздесь: да\t"
        f"в файле: нет\tоставлено: {side[kept_b['done']]}",
    ])
    # --json keeps the stored codes, for scripts
    assert run(["--db", str(b.sqlite_path), "sync", "conflicts", "--json"]) == 0
    raw = {r["field"]: r for r in json.loads(capsys.readouterr().out)}
    assert (raw["approach"]["table"], raw["approach"]["local_value"], raw["approach"]["server_value"]) == (
        "client", "accompanied", "onsite")
    assert (raw["contract_date"]["local_value"], raw["done"]["table"]) == ("2026-04-15", "checklist_state")


def test_the_dialogs_lines_say_which_side_is_the_file(laptops, tmp_path):  # noqa: F811
    a, b = laptops
    edit(a, city="Подольск")
    edit(b, city="Химки")
    carry(a, b, tmp_path / "1.zip")
    [line] = conflict_lines(b)
    assert (line.client, line.what, line.local, line.server, line.kept, line.source, line.choosable) == (
        "ООО «Ромашка»", "Карточка · город", "Химки", "Подольск", "server", "file", True)
