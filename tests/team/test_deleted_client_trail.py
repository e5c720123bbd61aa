"""The trail of a client deleted by one member while another edited it offline (trial 17c, finding 3): the edit
brings the client back everywhere, and every computer — both laptops and the server — lists the same history:
who deleted it, the records its deletion took with it, and that the sync brought the card back. Before, the
deleting laptop kept an «удалено» line the server never took (lines of a client the server did not show stayed
on the laptop) and every history listed the work entry the deletion's cascade had removed as still added."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.services.clients import delete_client, get_client, update_client
from app.services.worklog_read import list_entries
from app.sync.service import pending_count, sync_once
from app.team.audit import client_history, client_history_lines
from tests.team.conftest import sql_rows

pytestmark = pytest.mark.postgres
INN = "7707083893"  # entry_pair's client, with its work entry «E» (02.03.2026, a 60-minute conference)


def _trail(db) -> list[tuple]:
    """The client's history as comparable tuples, in the listed order (newest first)."""
    return [(e.table, e.record, e.action, e.field, e.author, e.old, e.new, e.version) for e in client_history(db, INN)]


@pytest.mark.parametrize("deleted_first", [True, False], ids=["deleted-first", "edited-first"])
def test_every_computer_lists_the_deletion_its_records_and_the_return(entry_pair, server, deleted_first):
    a, b, ann, _boss = entry_pair
    delete_client(a, get_client(a, INN).id)  # «a» (ann) deletes the client with its entry
    mine = get_client(b, INN)  # «b» (boss), offline, edits the card: the edit wins, the client comes back
    update_client(b, mine.id, replace(mine.data, notes="перезвонить"))
    for db in ([a, b, a, b] if deleted_first else [b, a, b, a]):
        sync_once(db)
    trail = _trail(server)
    assert _trail(a) == trail and _trail(b) == trail
    assert all(line[-1] > 0 for line in trail)  # every line reached the server: none left on one laptop
    mine = {(t, action) for t, _r, action, _f, author, *_rest in trail if author == ann}
    assert {("client", "delete"), ("work_log", "delete")} <= mine
    actions = [(t, action) for t, _r, action, *_rest in trail]
    # newest first: the card came back after it was deleted
    assert actions.index(("client", "restore")) < actions.index(("client", "delete"))
    [entry_line] = [line for line in trail if line[0] == "work_log" and line[2] == "delete"]
    assert entry_line[5] == "2026-03-02 conference 60"
    for db in (a, b, server):
        # the entry comes back with its client, as the line after its deletion says (the tester's report of
        # 2026-12-05: before, it stayed deleted, and unbilled work went with a client that was kept)
        assert [r.note for r in list_entries(db, INN).rows] == ["E"]
        assert get_client(db, INN).data.notes == "перезвонить"
    assert pending_count(a) == pending_count(b) == 0
    assert sync_once(a).pushed == sync_once(b).pushed == 0
    words = [line.text().split("\t", 2)[2] for line in client_history_lines(b, INN)]
    at = words.index("удалено\tКарточка\tООО «Ромашка», ИНН 7707083893")  # the card's deletion, then what went
    # (the entry is here again: named by its label too)
    assert words[at + 1] == "удалено\tЖурнал работ (02.03.2026, Конференция)\t02.03.2026, Конференция, 60 мин"
    assert "восстановлено синхронизацией\tЖурнал работ (02.03.2026, Конференция)" in [
        "\t".join(w.split("\t")[:2]) for w in words[:at]]  # and brought back after it
    assert "восстановлено синхронизацией\tКарточка\tООО «Ромашка», ИНН 7707083893" in words[:at]


def test_a_plain_deletion_leaves_the_deleters_line_on_the_server(entry_pair, server):
    """No conflict: the client goes, and the server's trail (read by administrators) says who deleted it and
    which records went with it; the laptop's lines are sent, nothing stays queued."""
    a, b, ann, _boss = entry_pair
    delete_client(a, get_client(a, INN).id)
    report = sync_once(a)
    assert report.lines >= 2
    rows = sql_rows(server, "SELECT table_name, action, author FROM audit_log WHERE action = 'delete' "
                            "ORDER BY row_version")
    assert rows == [("work_log", "delete", ann), ("client", "delete", ann)]  # the card's line last: listed first
    with a.engine.connect() as conn:
        from sqlalchemy import text

        assert conn.execute(text("SELECT count(*) FROM audit_log WHERE row_version = 0")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM sync_outbox")).scalar() == 0
    sync_once(b)
    assert sql_rows(server, "SELECT count(*) FROM client")[0][0] == 0


def test_an_entry_changed_here_brings_back_the_client_deleted_elsewhere_with_its_line(entry_pair, server):
    """The client deleted on the other laptop while this one changed its work entry: the change wins (delete
    against edit), the client comes back with the entry, and the change's audit line reaches the server after
    the client — not left on this laptop alone."""
    a, b, ann, _boss = entry_pair
    [row] = list_entries(a, INN).rows
    from app.services.worklog import EntryInput, update_entry

    update_entry(a, row.id, EntryInput(kind="conference", on_date=row.on_date, minutes=90, note="E"))
    delete_client(b, get_client(b, INN).id)
    sync_once(b)
    sync_once(a)
    sync_once(b)
    assert sql_rows(server, "SELECT count(*) FROM audit_log WHERE author = :ann AND table_name = 'work_log' "
                            "AND action = 'update'", ann=ann)[0][0] == 1
    for db in (a, b, server):
        assert [(r.note, r.minutes) for r in list_entries(db, INN).rows] == [("E", 90)]
    assert _trail(a) == _trail(server) == _trail(b)


def test_work_added_here_to_a_client_deleted_elsewhere_brings_the_client_back(entry_pair, server):
    """The trial 17f: laptop «a» logged work and asked a question offline on a client that «b» deleted; the sync
    said «оставлено: здешнее» while the pull's tombstone took the client, the work and the question from «a» too —
    ten minutes of work gone everywhere. The new work wins, as an edit of the card does: the client comes back
    with it — and with its older, unchanged entry, which its deletion took (the tester's report of 2026-12-05) —
    one delete-against-edit conflict on the client."""
    from datetime import date

    from app.services.questions import QuestionInput, add_question
    from app.services.worklog import EntryInput, add_entry
    from app.sync.service import conflict_lines

    a, b, _ann, _boss = entry_pair
    add_entry(a, INN, EntryInput(kind="conference", on_date=date(2026, 11, 17), minutes=10, note="новая"))
    add_question(a, INN, QuestionInput(asked_on=date(2026, 11, 17), channel="phone", question="Вопрос Q"))
    delete_client(b, get_client(b, INN).id)
    sync_once(b)
    report = sync_once(a)
    assert report.conflicts == 1
    [line] = conflict_lines(a)
    assert line.client == "ООО «Ромашка»"
    sync_once(b)
    for db in (a, b, server):
        assert [r.note for r in list_entries(db, INN).rows] == ["новая", "E"]  # the older one back with it
    assert sql_rows(server, "SELECT question FROM question") == [("Вопрос Q",)]
    assert _trail(a) == _trail(server) == _trail(b)
    assert pending_count(a) == pending_count(b) == 0
