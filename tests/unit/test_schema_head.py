"""The schema head the first screen's read compares with (app.persistence.migrations.HEAD) is the revision the
version files end at, as Alembic and the program's own reader of those files tell it."""

from __future__ import annotations

from app.persistence.migrate import alembic_head_revision, head_revision, heads_from_files, versions_dir
from app.persistence.migrations import HEAD


def test_head_is_where_the_version_files_end():
    assert heads_from_files(versions_dir()) == {HEAD}
    assert alembic_head_revision() == HEAD == head_revision()


def test_the_first_screen_reads_against_head(monkeypatch):
    from app.services import first_screen

    seen: list[str | None] = []
    monkeypatch.setattr(first_screen, "read_first_rows", lambda url, head: seen.append(head))
    first_screen.first_rows("some.sqlite3")
    assert seen == [HEAD]
