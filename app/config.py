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


def state_dir() -> Path:
    """The user state folder: small notes about this computer's own runs (a sync that failed where the
    database could not keep it). Under ``VNEDRENIE_DATA_DIR``/state when that is set (tests), else
    platformdirs' user state folder. Not created here."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override) / "state"
    from platformdirs import user_state_path

    return user_state_path(APP_NAME, appauthor=False)


def cache_dir() -> Path:
    """The user cache folder: what the program can rebuild (the list's name order of the last start). Under
    ``VNEDRENIE_DATA_DIR``/cache when that is set (tests), else platformdirs' user cache folder. Not created here."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override) / "cache"
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False)


def create_private_dirs(path: Path) -> list[Path]:
    """Create ``path`` and any missing parents, each readable by its owner only (POSIX); returns the folders
    created, outermost first. Folders that already exist keep their modes: a shared folder such as /tmp
    must not lose its sticky bit or its group's access because the program was pointed at it."""
    missing: list[Path] = []
    folder = Path(path)
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    created = []
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue
        if os.name == "posix":
            os.chmod(folder, 0o700)  # mkdir's mode is reduced by the umask
        created.append(folder)
    return created


def ensure_private_dir(path: Path) -> Path:
    """The folder, created owner-only when missing (see ``create_private_dirs``); an existing one is left as is."""
    create_private_dirs(path)
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
