"""The cheap head/current revision (no Alembic import on an up-to-date database) agrees with Alembic."""

import subprocess
import sys
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from app.persistence.db import open_database
from app.persistence.migrate import (
    alembic_config,
    alembic_head_revision,
    current_revision,
    head_revision,
    heads_from_files,
    versions_dir,
)

ROOT = Path(__file__).resolve().parents[2]


def test_head_from_the_version_files_equals_alembics_own_head():
    alembic_head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert heads_from_files(versions_dir()) == {alembic_head}
    assert head_revision() == alembic_head == alembic_head_revision()


def _version(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(f'"""a revision"""\nfrom alembic import op\n\n{text}\n\n\ndef upgrade():\n    pass\n',
                               encoding="utf-8")


def test_heads_from_files_follows_chains_merges_and_branches(tmp_path):
    _version(tmp_path, "a.py", "revision = 'a'\ndown_revision = None")
    _version(tmp_path, "b.py", 'revision: str = "b"\ndown_revision: str | None = "a"  # after a')
    assert heads_from_files(tmp_path) == {"b"}
    _version(tmp_path, "c.py", "revision = 'c'\ndown_revision = 'a'")
    assert heads_from_files(tmp_path) == {"b", "c"}  # two heads: head_revision() would ask Alembic
    _version(tmp_path, "d.py", "revision = 'd'\ndown_revision = ('b', 'c')")
    assert heads_from_files(tmp_path) == {"d"}
    (tmp_path / "__init__.py").write_text("", encoding="utf-8")
    assert heads_from_files(tmp_path) == {"d"}


def test_heads_from_files_gives_up_on_what_it_cannot_read(tmp_path):
    _version(tmp_path, "a.py", "revision = 'a'\ndown_revision = None")
    _version(tmp_path, "b.py", "revision = make_id()\ndown_revision = 'a'")
    assert heads_from_files(tmp_path) is None
    (tmp_path / "b.py").unlink()
    _version(tmp_path, "b.py", "revision = 'b'\ndown_revision = 'missing'")  # parent not in the folder
    assert heads_from_files(tmp_path) is None
    (tmp_path / "b.py").unlink()
    _version(tmp_path, "b.py", "revision = 'b'")  # no down_revision line
    assert heads_from_files(tmp_path) is None


def test_current_revision_reads_the_stored_revision_like_alembic(tmp_path):
    empty = open_database(f"sqlite:///{tmp_path / 'empty.sqlite3'}", migrate=False, seed=False)
    assert current_revision(empty) is None
    empty.dispose()
    db = open_database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with db.engine.connect() as conn:
        assert current_revision(db) == MigrationContext.configure(conn).get_current_revision() == head_revision()
    db.dispose()


def test_opening_an_up_to_date_database_does_not_import_alembic(tmp_path):
    path = tmp_path / "x.sqlite3"
    open_database(f"sqlite:///{path}").dispose()
    code = ("import sys; from app.persistence.db import open_database; "
            f"open_database('sqlite:///{path}').dispose(); print('alembic' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
