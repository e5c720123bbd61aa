"""Run Alembic migrations programmatically: every open brings the schema to head."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from app.persistence.db import Database

# Called with (database, current_revision) before pending migrations run on a non-empty database.
before_migration_hooks: list[Callable[[Database, str | None], None]] = []


def alembic_config(db: Database | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("app.persistence").joinpath("migrations")))
    if db is not None:
        config.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(db: Database, revision: str = "head") -> None:
    config = alembic_config(db)
    # Two instances opening one database at once: the first migrates, the second waits for the lock and
    # then finds nothing left to do (SQLite: BEGIN IMMEDIATE + busy timeout; PostgreSQL: an advisory lock).
    with db.engine.connect() as connection:
        connection.execution_options(sqlite_begin="IMMEDIATE")
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7417220)")
            config.attributes["connection"] = connection
            command.upgrade(config, revision)


def upgrade_to_head(db: Database) -> None:
    current = current_revision(db)
    if current == head_revision():
        return
    if current is not None:
        for hook in before_migration_hooks:
            hook(db, current)
    upgrade(db, "head")
