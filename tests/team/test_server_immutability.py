"""Issue 17 (tester's most serious finding): the team server keeps billed work and issued documents as they
were, also against a member typing SQL in psql under their own password — and the app's own syncs still pass."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import psycopg
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from app.persistence.models import Client, Document, WorkLogEntry
from app.services.documents import void_document
from app.services.documents.register import set_signed_returned
from app.services.worklog import EntryInput, add_entry, delete_entries, update_entry
from app.sync.service import conflicts, sync_once
from app.sync.ways import CLI
from app.team.pg_refusals import INSUFFICIENT_PRIVILEGE, server_refusal
from app.team.users import add_user
from tests.team.conftest import PASSWORD

pytestmark = pytest.mark.postgres

INN = "7707083893"
YEAR = date.today().year


@pytest.fixture
def team(entry_pair):
    """Laptop «a» (specialist ann) and «b» (her manager) holding the client and its entry «E»; ``logins``."""
    return entry_pair


def psql(server_url: str, login: str) -> psycopg.Connection:
    """A member's own connection, as psql would open it with their password (autocommit, like psql)."""
    url = make_url(server_url)
    return psycopg.connect(host=url.host, port=url.port, dbname=url.database, user=login, password=PASSWORD,
                           autocommit=True)


def bill(db, note: str) -> int:
    """Issue an act here (offline) billing the entry with ``note``, as the act service does; its number."""
    from app.services.documents.register import next_number

    with db.unit() as s:
        entry = s.scalar(select(WorkLogEntry).where(WorkLogEntry.note == note))
        number = next_number(s, "act", YEAR)
        act = Document(client_id=entry.client_id, kind="act", year=YEAR, number=number, issued_on=date.today(),
                       total=1500, content=json.dumps({"entries": [entry.uuid]}))
        s.add(act)
        s.flush()
        entry.billed_by_document_id = act.id
    return number


def act_id(db, number: int) -> int:
    with db.read() as s:
        return s.scalar(select(Document.id).where(Document.number == number, Document.kind == "act"))


def entry_of(db, note: str) -> WorkLogEntry:
    with db.read() as s:
        entry = s.scalar(select(WorkLogEntry).where(WorkLogEntry.note == note))
        s.expunge(entry)
        return entry


def billed(db, note: str) -> int | None:
    """The number of the act billing the entry with ``note`` (None: not billed)."""
    with db.read() as s:
        return s.scalar(select(Document.number).join(WorkLogEntry, WorkLogEntry.billed_by_document_id == Document.id)
                        .where(WorkLogEntry.note == note))


def snapshot(server) -> tuple:
    with server.read() as s:
        entries = s.execute(select(WorkLogEntry.uuid, WorkLogEntry.minutes, WorkLogEntry.deleted,
                                   WorkLogEntry.billed_by_document_id).order_by(WorkLogEntry.uuid)).all()
        docs = s.execute(select(Document.uuid, Document.number, Document.total, Document.content,
                                Document.voided_on).order_by(Document.uuid)).all()
    return entries, docs


def test_a_specialist_in_psql_can_neither_delete_nor_change_billed_work_or_issued_documents(team, server,
                                                                                           server_url):
    a, _b, ann, _boss = team
    first = bill(a, "E")
    sync_once(a)
    void_document(a, act_id(a, first), "ошибка в периоде")
    add_entry(a, INN, EntryInput(kind="conference", on_date=date(2026, 3, 3), minutes=90, note="F"))
    second = bill(a, "F")
    sync_once(a)
    before = snapshot(server)
    entries, docs = before
    assert sorted((m, b is not None) for _u, m, _d, b in entries) == [(60, False), (90, True)]
    assert sorted((n, v is not None) for _u, n, _t, _c, v in docs) == [(first, True), (second, False)]
    statements = [
        "DELETE FROM work_log",
        "UPDATE work_log SET minutes = 600 WHERE note = 'F'",
        "UPDATE work_log SET billed_by_document_id = NULL WHERE note = 'F'",
        f"DELETE FROM document WHERE number = {first}",  # the issued, voided act
        f"UPDATE document SET total = 1 WHERE number = {second}",
    ]
    with psql(server_url, ann) as conn:
        assert conn.execute("SELECT count(*) FROM work_log").fetchone()[0] == 2  # the specialist sees them
        for statement in statements:
            with pytest.raises(psycopg.errors.InsufficientPrivilege) as refused:
                conn.execute(statement)
            assert refused.value.sqlstate == INSUFFICIENT_PRIVILEGE
            # a clear sentence for the psql user; the app says it in Russian
            assert "void" in str(refused.value) or "issued document" in str(refused.value)
            assert server_refusal(refused.value) is not None
        # what the app does stays possible: the note of a billed entry (not printed on the act)
        conn.execute("UPDATE work_log SET note = 'F2' WHERE note = 'F'")
        conn.execute("UPDATE work_log SET note = 'F' WHERE note = 'F2'")
    assert snapshot(server) == before


def test_the_apps_flows_still_sync_issue_return_void_and_unbilled_entries(team, server):
    a, b, _ann, _boss = team
    number = bill(a, "E")
    sync_once(a)
    sync_once(b)
    assert billed(server, "E") == billed(b, "E") == number
    # the signed copy comes back
    set_signed_returned(a, act_id(a, number), date.today())
    sync_once(a)
    sync_once(b)
    with b.read() as s:
        assert s.scalar(select(Document.signed_returned_on)) == date.today()
    # voided on b (the manager): marks cleared on the server and on a
    void_document(b, act_id(b, number), "неверная сумма")
    sync_once(b)
    sync_once(a)
    assert billed(server, "E") is None and billed(a, "E") is None
    with a.read() as s:
        assert s.scalar(select(Document.void_reason)) == "неверная сумма"
    # the entry is an ordinary one again: edited on a, then deleted on b, both sync
    entry = entry_of(a, "E")
    update_entry(a, entry.id, EntryInput(kind="conference", on_date=date(2026, 3, 2), minutes=45, note="E"))
    sync_once(a)
    sync_once(b)
    assert entry_of(server, "E").minutes == entry_of(b, "E").minutes == 45
    delete_entries(b, [entry_of(b, "E").id])
    sync_once(b)
    sync_once(a)
    assert entry_of(server, "E").deleted and entry_of(a, "E").deleted
    with server.read() as s:
        assert s.scalar(select(Document.voided_on)) == date.today()
        assert s.scalar(select(Client.inn)) == INN


def test_an_offline_edit_of_work_billed_elsewhere_is_a_billed_edit_conflict_not_a_failed_sync(team, server):
    a, b, _ann, _boss = team
    entry = entry_of(b, "E")
    update_entry(b, entry.id, EntryInput(kind="conference", on_date=date(2026, 3, 2), minutes=600, note="E"))
    number = bill(a, "E")
    sync_once(a)
    report = sync_once(b)
    assert report.conflicts >= 1
    assert "billed_edit" in [c.kind for c in conflicts(b)]
    assert entry_of(server, "E").minutes == entry_of(b, "E").minutes == 60
    assert billed(server, "E") == billed(b, "E") == number
    sync_once(b)  # nothing left that the server refuses
    sync_once(a)
    assert entry_of(a, "E").minutes == 60


def test_an_administrator_of_the_team_may_still_correct_the_server(team, server, server_url, login_of):
    a, _b, _ann, _boss = team
    number = bill(a, "E")
    sync_once(a)
    admin = login_of("chief")
    add_user(server, admin, "Сидоров Пётр", "admin", PASSWORD)
    with psql(server_url, admin) as conn:
        conn.execute(f"UPDATE document SET total = 100 WHERE number = {number}")  # kopecks: 1.00 ₽
        conn.execute("DELETE FROM work_log WHERE note = 'E'")
    with server.read() as s:
        assert s.scalar(select(Document.total)) == Decimal("1.00")
        assert s.scalar(select(WorkLogEntry.id)) is None


def test_the_refusals_read_as_russian_sentences(team, server, server_url):
    """What the app says when the server refuses such a change (a command, the window: app/team/pg_refusals.py)."""
    a, _b, ann, _boss = team
    number = bill(a, "E")
    sync_once(a)
    with psql(server_url, ann) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as document:
            conn.execute(f"DELETE FROM document WHERE number = {number}")
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as entry:
            conn.execute("UPDATE work_log SET minutes = 600 WHERE note = 'E'")
    assert str(server_refusal(document.value)) == (
        "Командный сервер хранит выданный документ таким, каким он был выдан: его нельзя удалить или изменить, "
        "только аннулировать. Ничего не изменено.")
    assert str(server_refusal(entry.value)) == (
        "Командный сервер хранит запись журнала работ, выставленную актом, такой, какой её выставил акт: сначала "
        "аннулируйте акт. Ничего не изменено.")


def test_server_init_again_keeps_the_rule(team, server, server_url):
    """``server init`` is idempotent: run again on a working server, the triggers are there once and hold."""
    from app.team.server import init_server

    a, _b, ann, _boss = team
    number = bill(a, "E")
    sync_once(a)
    init_server(server_url).dispose()
    with psql(server_url, ann) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f"UPDATE document SET content = '{{}}' WHERE number = {number}")
        kept = conn.execute("SELECT count(*) FROM pg_trigger WHERE tgname = 'vn_kept'").fetchone()[0]
    assert kept == 3  # document, work_log, client
    sync_once(a)


def test_a_laptop_changed_behind_the_program_gets_a_conflict_and_the_servers_act_back(team, server, cli_of):
    """The program never sends such a change (the service refuses it, the merge makes it a conflict); a laptop
    whose file was changed behind it (an old version, a hand-edited file) used to fail every sync with the
    Russian refusal. Now the server's refusal is one conflict («kept_by_server»): the sync finishes, the laptop
    gets the server's records back, the server keeps what the act billed, and only «--keep server» closes it."""
    import sqlite3

    from app.errors import UserError
    from app.sync.service import pending_count, resolve_conflict

    a, _b, _ann, _boss = team
    number = bill(a, "E")
    sync_once(a)
    with sqlite3.connect(a.engine.url.database) as raw:  # behind the program's back
        raw.execute("UPDATE work_log SET minutes = 600 WHERE note = 'E'")
        raw.execute("DELETE FROM document")
    report = sync_once(a)  # no refusal: it finishes
    assert report.conflicts == 2
    assert (report.pushed, report.not_taken) == (0, 2)  # both refused: none counted as «отправлено» (eng17 #3)
    assert sorted((c.table, c.kind, c.kept) for c in conflicts(a)) == [
        ("document", "kept_by_server", "server"), ("work_log", "kept_by_server", "server")]
    assert entry_of(server, "E").minutes == entry_of(a, "E").minutes == 60  # the act's figure, everywhere
    assert billed(server, "E") == billed(a, "E") == number  # the act is back on the laptop, billing E
    status, out, _err = cli_of(a, "sync", "status")
    assert status == 0 and "конфликтов: 2" in out
    status, out, _err = cli_of(a, "sync", "conflicts")
    assert status == 0 and out.count("оставлено: с сервера") == 2
    for conflict in conflicts(a):
        with pytest.raises(UserError, match="--keep server"):
            resolve_conflict(a, conflict.id, keep="local", surface=CLI)
        with pytest.raises(UserError, match="кнопкой «Оставить значение сервера или файла»"):  # the dialog's
            resolve_conflict(a, conflict.id, keep="local")
        resolve_conflict(a, conflict.id, keep="server")
    assert conflicts(a) == []
    assert sync_once(a).conflicts == 0
    assert pending_count(a) == 0  # nothing left to send
    with a.read() as s:
        assert s.scalar(select(Document.number)) == number


@pytest.fixture
def cli_of(capsys):
    """Run a command on a laptop's SQLite file: (status, stdout, stderr)."""
    from app.cli import run

    def call(db, *argv: str):
        status = run(["--db", str(db.engine.url.database), *argv])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return call
