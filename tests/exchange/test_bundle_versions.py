"""Bundles between two laptops with no network merge by versions, like the team sync (docs/sync.md «Bundles»):
no clock decides, edits of different fields both survive, the same field is a recorded and resolvable
conflict, a delete against an edit is a conflict, append-only records never conflict, old files keep the
old rule. Two SQLite laptops; every case swaps files both ways."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import func, select, text

from app.exchange.bundle import MANIFEST, PAYLOAD
from app.exchange.bundle_export import export_bundle
from app.exchange.bundle_import import import_bundle
from app.persistence.db import open_database
from app.persistence.models import Client, Contact, StageEvent, SyncConflict, WorkLogEntry
from app.services.clients import ClientInput, PersonInput, add_client
from app.sync.service import conflicts

INN = "7707083893"
YEAR = timedelta(days=365)


@pytest.fixture
def laptops(tmp_path):
    """Two installations on SQLite files; A made the client (with a contact), B imported A's first file."""
    a = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    b = open_database(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    add_client(a, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote", city="Москва",
                              contacts=[PersonInput(name="Иванов Иван", phone="+7 900 000-00-01")]))
    carry(a, b, tmp_path / "first.zip")
    yield a, b
    a.dispose()
    b.dispose()


_files = iter(range(10**6))


def carry(src, dst, path: Path | None = None):
    """Export everything from ``src`` and import it into ``dst``; the import's report."""
    path = path or Path(str(src.sqlite_path)).with_name(f"bundle-{next(_files)}.zip")
    export_bundle(src, None, path)
    return import_bundle(dst, path, backup=False).report


def edit(db, **values) -> None:
    with db.unit() as s:
        client = s.scalar(select(Client).where(Client.inn == INN))
        for key, value in values.items():
            setattr(client, key, value)


def field(db, name: str):
    with db.read() as s:
        return s.scalar(select(getattr(Client, name)).where(Client.inn == INN))


def phones(db) -> list[tuple[str, str]]:
    with db.read() as s:
        return sorted((c.name, c.phone) for c in s.scalars(select(Contact)))


def conflict_count(db) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(SyncConflict)))


# ------------------------------------------------------------------ clocks


@pytest.mark.parametrize("offset", [YEAR, -YEAR], ids=["plus-1-year", "minus-1-year"])
@pytest.mark.parametrize("skewed", ["a", "b"])
def test_a_clock_a_year_off_on_either_laptop_changes_nothing(laptops, tmp_path, offset, skewed):
    """The laptop whose clock is off edits, exports and imports under that clock: versions alone decide.
    (By the old rule, A's edit stamped a year ahead, or B's a year behind, would have won.)"""
    a, b = laptops
    wrong = time_machine.travel(datetime.now(UTC) + offset, tick=True)

    def on(name: str):
        return wrong if name == skewed else _NoTravel()

    with on("a"):
        edit(a, city="Подольск")
        export_bundle(a, None, tmp_path / "a1.zip")
    with on("b"):
        import_bundle(b, tmp_path / "a1.zip", backup=False)
        edit(b, city="Химки")  # B saw A's version: its later edit wins whatever either clock says
        export_bundle(b, None, tmp_path / "b1.zip")
    with on("a"):
        report = import_bundle(a, tmp_path / "b1.zip", backup=False).report
    assert field(a, "city") == field(b, "city") == "Химки"
    assert report.refused == [] and conflict_count(a) == conflict_count(b) == 0


class _NoTravel:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_clock_skew_gives_exactly_the_result_of_right_clocks(tmp_path):
    """The same edits on two pairs of laptops, one pair with A's clock a year ahead and B's a year behind:
    the merged records are equal field for field (bookkeeping stamps aside)."""

    def run(folder: Path, a_offset: timedelta, b_offset: timedelta) -> list:
        folder.mkdir()
        a = open_database(f"sqlite:///{folder / 'a.sqlite3'}")
        b = open_database(f"sqlite:///{folder / 'b.sqlite3'}")
        try:
            add_client(a, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
            carry(a, b, folder / "0.zip")
            with time_machine.travel(datetime.now(UTC) + a_offset, tick=True):
                edit(a, city="Подольск", notes="из А")
                export_bundle(a, None, folder / "1.zip")
            with time_machine.travel(datetime.now(UTC) + b_offset, tick=True):
                edit(b, notes="из Б", contract_no="ВН-7")
                import_bundle(b, folder / "1.zip", backup=False)
                export_bundle(b, None, folder / "2.zip")
            with time_machine.travel(datetime.now(UTC) + a_offset, tick=True):
                import_bundle(a, folder / "2.zip", backup=False)
            return [_record(a), _record(b), [(c.field, c.local_value, c.server_value) for c in conflicts(b)]]
        finally:
            a.dispose()
            b.dispose()

    right = run(tmp_path / "right", timedelta(0), timedelta(0))
    skewed = run(tmp_path / "skewed", YEAR, -YEAR)
    assert skewed == right
    assert right[0] == right[1] and right[2] == [("notes", "из Б", "из А")]


def _record(db) -> dict:
    with db.read() as s:
        client = s.scalar(select(Client))
        return {k: getattr(client, k) for k in ("name", "city", "notes", "contract_no", "stage")}


# ------------------------------------------------------------------ fields


def test_edits_to_different_fields_of_one_record_both_survive_both_ways(laptops):
    a, b = laptops
    edit(a, city="Подольск")
    edit(b, notes="Звонить после обеда")
    to_b = carry(a, b)
    assert (field(b, "city"), field(b, "notes")) == ("Подольск", "Звонить после обеда")
    assert [fields for _label, fields in to_b.changed] == [("city",)] and to_b.conflicts == []
    to_a = carry(b, a)
    assert (field(a, "city"), field(a, "notes")) == ("Подольск", "Звонить после обеда")
    assert to_a.conflicts == [] and conflict_count(a) == conflict_count(b) == 0
    # and nothing moves any more: a third swap each way is all «unchanged»
    assert carry(a, b).changed == [] and carry(b, a).changed == []


def test_the_same_field_on_both_sides_is_a_recorded_conflict_with_the_files_value_kept(laptops, capsys):
    a, b = laptops
    edit(a, city="Подольск")
    edit(b, city="Химки")
    report = carry(a, b)  # A's change left its computer first: it is kept by default, as the server's would be
    assert field(b, "city") == "Подольск"
    [shown] = report.conflicts
    assert (shown.field, shown.here, shown.incoming, shown.kept) == ("city", "Химки", "Подольск", "file")
    assert any("здесь Химки, в файле Подольск" in line for line in report.lines())
    [conflict] = conflicts(b)
    assert (conflict.table, conflict.field, conflict.local_value, conflict.server_value, conflict.kept) == (
        "client", "city", "Химки", "Подольск", "file")
    # shown by «sync conflicts» like a server conflict
    from app.cli import run

    assert run(["--db", str(b.sqlite_path), "sync", "conflicts"]) == 0
    out = capsys.readouterr().out
    assert out == (f"{conflict.id}\tООО «Ромашка»\tКарточка · город\tздесь: Химки\tв файле: Подольск\t"
                   "оставлено: из файла\n")
    # back to A: B's state already holds A's value, so A changes nothing and records nothing
    back = carry(b, a)
    assert field(a, "city") == "Подольск" and back.conflicts == [] and conflict_count(a) == 0


def test_a_bundle_conflict_is_resolved_with_sync_resolve_and_the_choice_travels(laptops, capsys):
    a, b = laptops
    edit(a, city="Подольск")
    edit(b, city="Химки")
    carry(a, b)
    [conflict] = conflicts(b)
    from app.cli import run

    assert run(["--db", str(b.sqlite_path), "sync", "resolve", str(conflict.id), "--keep", "local"]) == 0
    capsys.readouterr()
    assert field(b, "city") == "Химки" and conflicts(b) == []
    report = carry(b, a)  # the choice is a later edit of B's: A takes it without a new conflict
    assert field(a, "city") == "Химки" and report.conflicts == [] and conflict_count(a) == 0


def test_sync_status_counts_bundle_conflicts_and_resolve_takes_the_word_file(laptops, capsys):
    a, b = laptops
    edit(a, city="Подольск")
    edit(b, city="Химки")
    carry(a, b)
    from app.cli import run

    assert run(["--db", str(b.sqlite_path), "sync", "status"]) == 0
    assert "Конфликтов, ждущих решения: 1" in capsys.readouterr().out  # no team server, still one to look at
    [conflict] = conflicts(b)
    assert run(["--db", str(b.sqlite_path), "sync", "resolve", str(conflict.id), "--keep", "file"]) == 0
    assert field(b, "city") == "Подольск" and conflicts(b) == []  # the file's value stays
    assert run(["--db", str(b.sqlite_path), "sync", "status"]) == 0
    assert "Конфликтов" not in capsys.readouterr().out


def _cross(a, b, folder: Path, tag: str) -> None:
    """Both export before either imports (two USB sticks crossing), then each imports the other's file."""
    export_bundle(a, None, folder / f"{tag}-a.zip")
    export_bundle(b, None, folder / f"{tag}-b.zip")
    import_bundle(b, folder / f"{tag}-a.zip", backup=False)
    import_bundle(a, folder / f"{tag}-b.zip", backup=False)


def _installation(db) -> str:
    with db.read() as s:
        return s.execute(text("SELECT value FROM setting WHERE key = 'installation_id'")).scalar().lower()


def test_edits_crossing_in_the_post_end_equal_on_both_laptops_after_one_swap(laptops, tmp_path):
    """Crossing files carry the same export number (each side's next after A's first file): the installation
    id orders them, both laptops compute the same order, so one swap ends in one value; each laptop records
    the conflict with both values, and says which one it kept."""
    a, b = laptops
    edit(a, city="Подольск")
    edit(b, city="Химки")
    _cross(a, b, tmp_path, "1")
    a_wins = _installation(a) > _installation(b)
    assert field(a, "city") == field(b, "city") == ("Подольск" if a_wins else "Химки")
    [on_a], [on_b] = conflicts(a), conflicts(b)
    assert (on_a.field, on_a.local_value, on_a.server_value) == ("city", "Подольск", "Химки")
    assert (on_b.field, on_b.local_value, on_b.server_value) == ("city", "Химки", "Подольск")
    assert (on_a.kept, on_b.kept) == (("here", "file") if a_wins else ("file", "here"))
    # nothing moves any more: the next swap each way changes nothing and records nothing new
    assert carry(a, b).changed == [] and carry(b, a).changed == []
    assert conflict_count(a) == conflict_count(b) == 1


def test_the_losing_side_may_still_keep_its_own_value_with_sync_resolve(laptops, tmp_path, capsys):
    from app.cli import run

    a, b = laptops
    edit(a, city="Подольск")
    edit(b, city="Химки")
    _cross(a, b, tmp_path, "1")
    loser, winner = (b, a) if _installation(a) > _installation(b) else (a, b)
    own = "Химки" if loser is b else "Подольск"
    [conflict] = conflicts(loser)
    assert conflict.kept == "file"
    assert run(["--db", str(loser.sqlite_path), "sync", "resolve", str(conflict.id), "--keep", "local"]) == 0
    assert field(loser, "city") == own
    carry(loser, winner)  # the choice is a later edit: it travels without a new conflict
    # and it answers the winner's conflict too: it no longer says «оставлено: здешнее» beside the loser's value in
    # the card (tester L, item 2), nor offers to overwrite that choice with «--keep here»
    assert field(winner, "city") == own and conflicts(winner) == []
    capsys.readouterr()


def test_the_other_sides_choice_arriving_in_a_later_file_closes_the_conflict_here(tmp_path, capsys):
    """Tester L, item 2, as reproduced: X and Y edit the notes, the files cross (both keep Y's), X keeps its own
    with «sync resolve --keep local»; X's next file brings it to Y, whose conflict said «оставлено: здешнее» (Y's
    value) while the card held X's. It is closed by that file, and `sync conflicts` says there is none."""
    from app.cli import run

    x = open_database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    y = open_database(f"sqlite:///{tmp_path / 'y.sqlite3'}")
    try:
        add_client(x, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
        carry(x, y)
        edit(x, notes="от X")
        edit(y, notes="от Y")
        _cross(x, y, tmp_path, "1")
        [on_x], [on_y] = conflicts(x), conflicts(y)
        kept = field(x, "notes")
        assert field(y, "notes") == kept
        mine = on_x if kept == "от Y" else on_y  # the side whose own value lost keeps it by choice
        chooser, other = (x, y) if mine is on_x else (y, x)
        own = "от X" if chooser is x else "от Y"
        assert run(["--db", str(chooser.sqlite_path), "sync", "resolve", str(mine.id), "--keep", "local"]) == 0
        report = carry(chooser, other)
        assert field(other, "notes") == own and report.conflicts == []
        assert conflicts(other) == []
        assert run(["--db", str(other.sqlite_path), "sync", "conflicts"]) == 0
        assert capsys.readouterr().out.splitlines()[-1] == "Открытых конфликтов синхронизации нет."
        # a later change of another field leaves an unrelated open conflict alone
        edit(chooser, city="Клин")
        edit(other, city="Химки")
        _cross(chooser, other, tmp_path, "2")
        assert [c.field for c in conflicts(other)] == ["city"]
        edit(chooser, approach="onsite")
        carry(chooser, other)
        assert [c.field for c in conflicts(other)] == ["city"]
    finally:
        x.dispose()
        y.dispose()


def test_a_later_file_of_the_side_whose_value_was_kept_is_taken_without_a_conflict(laptops, tmp_path):
    """Tester M, item 3: the files cross (both keep the winner's city), the winner edits the city again and sends
    a file. The loser's city is the winner's own earlier value, taken from its file, and has not been edited
    since: the file's value is taken, with no new conflict (before: «здесь Сочи, в файле Геленджик»); the old
    conflict is answered by it."""
    a, b = laptops
    edit(a, city="Сочи")
    edit(b, city="Анапа")
    _cross(a, b, tmp_path, "1")
    winner, loser = (a, b) if _installation(a) > _installation(b) else (b, a)
    kept = field(winner, "city")
    assert field(loser, "city") == kept
    edit(winner, city="Геленджик")
    report = carry(winner, loser)
    assert report.conflicts == [] and report.changed and field(loser, "city") == "Геленджик"
    assert conflicts(loser) == []
    # the mirror case (the loser edits later) as before
    edit(loser, city="Ейск")
    report = carry(loser, winner)
    assert report.conflicts == [] and field(winner, "city") == "Ейск" and conflicts(winner) == []


def test_after_a_crossing_each_side_s_later_edit_of_its_own_field_travels_without_a_conflict(laptops, tmp_path):
    """A crossing in which the loser also changed a field the winner did not: the common state after it is the
    winner's city and the loser's notes — one field of each side's export. Later edits of both fields, the city on
    the winner and the notes on the loser, meet in one file with no conflict either way."""
    a, b = laptops
    edit(a, city="Сочи")
    edit(b, city="Анапа")
    _cross(a, b, tmp_path, "1")
    winner, loser = (a, b) if _installation(a) > _installation(b) else (b, a)
    edit(loser, notes="от проигравшего")
    _cross(a, b, tmp_path, "2")
    for db in (a, b):
        assert field(db, "notes") == "от проигравшего"
    edit(winner, city="Геленджик")
    edit(loser, notes="ещё раз")
    report = carry(winner, loser)
    assert report.conflicts == [] and field(loser, "city") == "Геленджик" and field(loser, "notes") == "ещё раз"
    report = carry(loser, winner)
    assert report.conflicts == [] and field(winner, "city") == "Геленджик" and field(winner, "notes") == "ещё раз"
    assert conflicts(winner) == [] and conflicts(loser) == []  # the later city answered the crossing's conflicts


def test_an_edit_here_of_a_field_answers_its_open_conflict(laptops, tmp_path, capsys):
    """Tester M, item 3, the winner's side: its conflict said «здесь: Сочи … оставлено: здешнее» while the card
    said Геленджик after a later edit, and «sync resolve --keep file» overwrote that edit. The edit answers the
    conflict: it closes, and the old number is refused."""
    from app.cli import run

    a, b = laptops
    edit(a, city="Сочи")
    edit(b, city="Анапа")
    _cross(a, b, tmp_path, "1")
    winner = a if _installation(a) > _installation(b) else b
    [old] = conflicts(winner)
    edit(winner, notes="другое поле")  # another field leaves it open
    assert [c.id for c in conflicts(winner)] == [old.id]
    edit(winner, city="Геленджик")
    assert conflicts(winner) == []
    capsys.readouterr()
    assert run(["--db", str(winner.sqlite_path), "sync", "resolve", str(old.id), "--keep", "file"]) == 2
    assert field(winner, "city") == "Геленджик"


def test_sync_resolve_refuses_a_conflict_whose_value_in_effect_was_changed_since(laptops, tmp_path, capsys):
    """A field changed by a way no edit hook sees (a pull, a statement of a command): the conflict still names the
    old value in effect. Choosing the other value would overwrite the later one unseen: refused (status 2) with
    what the field holds now; keeping the value in effect only closes it."""
    from app.cli import run

    a, b = laptops
    edit(a, city="Сочи")
    edit(b, city="Анапа")
    _cross(a, b, tmp_path, "1")
    winner = a if _installation(a) > _installation(b) else b
    [old] = conflicts(winner)
    with winner.unit() as s:
        s.execute(text("UPDATE client SET city = 'Геленджик' WHERE inn = :inn"), {"inn": INN})
    capsys.readouterr()
    assert run(["--db", str(winner.sqlite_path), "sync", "resolve", str(old.id), "--keep", "file"]) == 2
    err = capsys.readouterr().err
    assert "Геленджик" in err
    assert field(winner, "city") == "Геленджик" and [c.id for c in conflicts(winner)] == [old.id]
    assert run(["--db", str(winner.sqlite_path), "sync", "resolve", str(old.id), "--keep", "here"]) == 0
    assert field(winner, "city") == "Геленджик" and conflicts(winner) == []


def _tick_state(db) -> tuple:
    from app.persistence.models import ChecklistState

    with db.read() as s:
        state = s.scalar(select(ChecklistState).where(ChecklistState.code == "s1.lessons"))
        return (state.done, state.done_on)


def test_a_tick_crossing_an_untick_ends_the_same_on_both_laptops_after_one_swap(laptops, tmp_path):
    """A unticks the item; B unticks it and ticks it again on another day; the files cross. The tick is taken
    whole (done and its day) from the side that wins: both laptops show the same, and one conflict each."""
    from app.services.progress import set_checklist

    a, b = laptops
    set_checklist(a, INN, ["s1.lessons"], True, on=date(2026, 3, 2))
    carry(a, b)
    set_checklist(a, INN, ["s1.lessons"], False)
    set_checklist(b, INN, ["s1.lessons"], False)
    set_checklist(b, INN, ["s1.lessons"], True, on=date(2026, 3, 5))
    _cross(a, b, tmp_path, "1")
    a_wins = _installation(a) > _installation(b)
    assert _tick_state(a) == _tick_state(b) == ((False, None) if a_wins else (True, date(2026, 3, 5)))
    [on_a], [on_b] = conflicts(a), conflicts(b)
    assert (on_a.table, on_a.field, on_a.local_value, on_a.server_value) == ("checklist_state", "done", "False",
                                                                             "True")
    assert (on_b.field, on_b.local_value, on_b.server_value) == ("done", "True", "False")
    assert carry(a, b).changed == [] and carry(b, a).changed == []


def test_a_file_whose_sender_saw_our_latest_export_wins_however_the_ids_compare(laptops, tmp_path):
    """Sequential swaps (not crossing) keep the rule of the team server: the value that left its computer
    first stays. B exports, A takes it in, A and B edit the same field, A's file reaches B: A's value."""
    a, b = laptops
    carry(b, a)  # A has merged B's latest export: A's next file is numbered above it
    edit(a, city="Подольск")
    edit(b, city="Химки")
    carry(a, b)
    assert field(b, "city") == "Подольск" and conflicts(b)[0].kept == "file"
    carry(b, a)
    assert field(a, "city") == "Подольск" and conflict_count(a) == 0


def test_a_third_laptop_merges_against_the_export_both_it_and_the_sender_took_in(laptops, tmp_path):
    """C and B both imported A's first file; B's later file reaches C directly: A's export is their base."""
    _a, b = laptops
    c = open_database(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    try:
        import_bundle(c, tmp_path / "first.zip", backup=False)
        edit(b, notes="из Б")
        edit(c, city="Казань")
        report = carry(b, c)
        assert (field(c, "notes"), field(c, "city")) == ("из Б", "Казань")
        assert report.conflicts == [] and conflict_count(c) == 0
    finally:
        c.dispose()


def test_the_same_file_twice_or_an_older_file_after_a_newer_one_changes_nothing(laptops, tmp_path):
    a, b = laptops
    edit(a, city="Подольск")
    export_bundle(a, None, tmp_path / "old.zip")
    edit(a, city="Химки")
    export_bundle(a, None, tmp_path / "new.zip")
    import_bundle(b, tmp_path / "new.zip", backup=False)
    dump = _dump(b)
    for path in ("new.zip", "old.zip"):
        report = import_bundle(b, tmp_path / path, backup=False).report
        assert report.changed == [] and report.conflicts == [] and report.total_added == 0
    assert _dump(b) == dump and field(b, "city") == "Химки"


# ------------------------------------------------------------------ deletions


def test_a_deletion_travels_when_the_record_was_not_edited_on_the_other_side(laptops):
    a, b = laptops
    _delete_contacts(a)
    report = carry(a, b)
    assert report.deleted["contact"] == 1 and phones(b) == [] and report.conflicts == []


def test_deleted_in_the_file_edited_here_is_a_conflict_and_the_edit_is_kept(laptops):
    a, b = laptops
    _delete_contacts(a)
    _set_phone(b, "+7 495 123-45-67")
    report = carry(a, b)
    assert [(c.table, c.kind, c.kept) for c in report.conflicts] == [("contact", "delete_edit", "here")]
    assert phones(b) == [("Иванов Иван", "+7 495 123-45-67")]
    assert [c.kind for c in conflicts(b)] == ["delete_edit"]
    # the edit comes back to A too (A's deletion met an edit): the same as the team server does
    back = carry(b, a)
    assert phones(a) == [("Иванов Иван", "+7 495 123-45-67")]
    assert [(c.kind, c.kept) for c in back.conflicts] == [("edit_delete", "file")]


def test_deleted_here_and_not_edited_in_the_file_stays_deleted(laptops):
    a, b = laptops
    _delete_contacts(b)
    edit(a, city="Подольск")
    report = carry(a, b)
    assert phones(b) == [] and report.conflicts == []
    assert [r.table for r in report.refused] == ["contact"]
    assert "это удаление уже есть на этом компьютере" in report.refused[0].reason
    assert field(b, "city") == "Подольск"


def test_a_client_deleted_in_the_file_stays_when_something_of_it_was_edited_here(laptops):
    a, b = laptops
    add_client(a, ClientInput(name="ООО «Соседи»", inn="7736207543", approach="onsite"))  # (export needs one)
    carry(a, b)
    with a.unit() as s:
        s.delete(s.scalar(select(Client).where(Client.inn == INN)))
    _set_phone(b, "+7 495 123-45-67")
    report = carry(a, b)
    assert {(c.table, c.kind) for c in report.conflicts} == {("contact", "delete_edit"), ("client", "delete_edit")}
    assert phones(b) == [("Иванов Иван", "+7 495 123-45-67")] and field(b, "name") == "ООО «Ромашка»"


def _delete_contacts(db) -> None:
    with db.unit() as s:
        for contact in s.scalars(select(Contact)):
            s.delete(contact)


def _set_phone(db, phone: str) -> None:
    with db.unit() as s:
        s.scalar(select(Contact)).phone = phone


# ------------------------------------------------------------------ append-only


def test_work_log_and_stage_history_never_conflict(laptops):
    from app.services.progress import move_stage
    from app.services.worklog import EntryInput, add_entry

    a, b = laptops
    add_entry(a, INN, EntryInput(kind="conference", on_date=date(2026, 3, 2), minutes=90, note="А"))
    carry(a, b)
    add_entry(a, INN, EntryInput(kind="conference", on_date=date(2026, 3, 3), minutes=30))
    add_entry(b, INN, EntryInput(kind="questions", on_date=date(2026, 3, 3), minutes=15))
    move_stage(a, INN, 1, force=True, reason="начали")
    # the same entry's note edited on both laptops: one person's own record, never a conflict
    with a.unit() as s:
        s.scalar(select(WorkLogEntry).where(WorkLogEntry.note == "А")).note = "А, уточнено"
    with b.unit() as s:
        s.scalar(select(WorkLogEntry).where(WorkLogEntry.note == "А")).note = "А, поправлено"
    first, second = carry(a, b), carry(b, a)
    assert first.conflicts == [] and second.conflicts == []
    assert conflict_count(a) == conflict_count(b) == 0
    for db in (a, b):
        with db.read() as s:
            assert s.scalar(select(func.count()).select_from(WorkLogEntry)) == 3
            assert [(e.from_stage, e.to_stage) for e in s.scalars(select(StageEvent))] == [(0, 1)]
    carry(a, b)
    with a.read() as s, b.read() as t:  # and the two laptops agree on the note after the round trip
        note_a = s.scalar(select(WorkLogEntry.note).where(WorkLogEntry.minutes == 90))
        note_b = t.scalar(select(WorkLogEntry.note).where(WorkLogEntry.minutes == 90))
    assert note_a == note_b


# ------------------------------------------------------------------ format


def test_the_bundle_carries_its_export_number_and_the_bases_the_exporter_knows(laptops, tmp_path):
    a, b = laptops
    edit(b, notes="Б")
    export_bundle(b, None, tmp_path / "b.zip")
    with zipfile.ZipFile(tmp_path / "b.zip") as zf:
        head = json.loads(zf.read(MANIFEST))
        body = json.loads(zf.read(PAYLOAD))
    assert head["format_version"] == 2 and head["exchange_version"] == 2  # A's first export was 1: Lamport
    with a.read() as s:
        a_id = s.execute(text("SELECT value FROM setting WHERE key = 'installation_id'")).scalar()
    [client] = body["tables"]["client"]
    # B merged A's export 1: the client as it was there, given as the fields B has changed since
    assert client["bases"] == {a_id: {"version": 1, "values": {"notes": ""}}}


def test_an_old_format_file_still_imports_by_the_newer_updated_at_rule(laptops, tmp_path):
    """A file written by the previous program (format 1: no export number, no bases) keeps its old rule."""
    a, b = laptops
    edit(b, name="ООО «Ромашка-Офис»")
    edit(a, city="Подольск")  # later: A's client row is the newer one
    export_bundle(a, None, tmp_path / "a.zip")
    members = {}
    with zipfile.ZipFile(tmp_path / "a.zip") as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    head = json.loads(members[MANIFEST])
    body = json.loads(members[PAYLOAD])
    head["format_version"] = 1
    del head["exchange_version"]
    for rows in body["tables"].values():
        for row in rows:
            row.pop("bases", None)
    import hashlib

    payload = json.dumps(body, ensure_ascii=False).encode()
    head["payload_sha256"] = hashlib.sha256(payload).hexdigest()
    with zipfile.ZipFile(tmp_path / "old.zip", "w") as zf:
        zf.writestr(MANIFEST, json.dumps(head))
        zf.writestr(PAYLOAD, payload)
    report = import_bundle(b, tmp_path / "old.zip", backup=False).report
    assert not report.versioned
    assert [(c.table, c.fields) for c in report.overwritten] == [("client", ("name", "city"))]
    assert field(b, "name") == "ООО «Ромашка»"  # the newer row won whole, as before
    assert conflict_count(b) == 0


def _dump(db) -> list:
    with db.engine.connect() as conn:
        return sorted(repr(tuple(r)) for name in ("client", "contact", "work_log", "sync_conflict", "exchange_base")
                      for r in conn.execute(text(f"SELECT * FROM {name}")))


def test_keeping_the_other_side_of_a_tick_conflict_keeps_the_tick_whole(laptops, tmp_path):
    """A tick against an untick, chosen back with sync resolve: «not done» has no day; «done» has one."""
    from app.services.progress import set_checklist
    from app.sync.service import resolve_conflict

    a, b = laptops
    set_checklist(a, INN, ["s1.lessons"], True, on=date(2026, 3, 2))
    carry(a, b)
    set_checklist(a, INN, ["s1.lessons"], False)
    set_checklist(b, INN, ["s1.lessons"], False)
    set_checklist(b, INN, ["s1.lessons"], True, on=date(2026, 3, 5))
    _cross(a, b, tmp_path, "1")
    for db in (a, b):
        before = _tick_state(db)
        [conflict] = conflicts(db)
        resolve_conflict(db, conflict.id, keep="server" if conflict.kept == "here" else "local")
        done, day = _tick_state(db)
        assert done is not before[0] and (day is None) is (not done)
