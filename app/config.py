"""Where data lives and which database to open (platformdirs user data dir, --db, URL, env)."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "vnedrenie"
ENV_URL = "VNEDRENIE_DATABASE_URL"
ENV_DATA_DIR = "VNEDRENIE_DATA_DIR"


def data_dir() -> Path:
    """The user data folder (``VNEDRENIE_DATA_DIR`` overrides it, e.g. in tests)."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def ensure_private_dir(path: Path) -> Path:
    """Create a folder readable by its owner only (POSIX)."""
    path.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(path, 0o700)
    return path


def default_database_path() -> Path:
    return data_dir() / "vnedrenie.sqlite3"


def sqlite_url(path: str | Path) -> str:
    return f"sqlite:///{Path(path).expanduser().resolve()}"


def resolve_database_url(db_path: str | None = None, database_url: str | None = None) -> str:
    """--db PATH, then --database-url, then the environment variable, then the default file."""
    for option, value in (("--db", db_path), ("--database-url", database_url)):
        if value is not None and not value.strip():  # `--db ''` must not open the default database silently
            from app.errors import UserError
            from app.i18n import _

            raise UserError(_("The option {option} is empty: give a database file (or URL), or leave the option "
                              "out to use the default database.").format(option=option))
    if db_path:
        return sqlite_url(db_path)
    if database_url:
        return database_url
    env = os.environ.get(ENV_URL)
    if env:
        return env
    return sqlite_url(default_database_path())
