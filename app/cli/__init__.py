"""Headless commands: `python main.py [--db PATH | --database-url URL] COMMAND …` (also `vnedrenie`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from app import __version__
from app.errors import UserError
from app.i18n import _
from app.interrupts import caused_by_interrupt

EXIT_OK, EXIT_INTERNAL, EXIT_REFUSED = 0, 1, 2

# Every module app/cli/cmd_*.py has register(subparsers) adding its commands (one module per area).
def command_modules() -> list[str]:
    import pkgutil

    import app.cli as package

    return sorted(f"app.cli.{m.name}" for m in pkgutil.iter_modules(package.__path__) if m.name.startswith("cmd_"))


class RussianArgumentParser(argparse.ArgumentParser):
    """argparse whose errors are one translated line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise UserError(_("Invalid command line: {message} (see «{prog} --help»).").format(
            message=message, prog=self.prog))


def _translate_argparse() -> None:
    """Route argparse's own messages (usage, required arguments…) through our catalog."""
    from app import i18n

    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]


def say(text: str) -> None:
    """Print ``text``; a line that ends a sentence on a name's initial («менеджер: Менеджер М. М.» + «.») ends on one
    full stop, not «М. М..» (the trial 17k)."""
    print("\n".join(line[:-1] if line.endswith("..") and not line.endswith("...") else line
                    for line in str(text).split("\n")))


@dataclass
class Context:
    """What a command needs: the database options, opened lazily."""

    db_path: str | None = None
    database_url: str | None = None
    out: Callable[[str], None] = field(default=say)
    _db: object = None
    _new_file: Path | None = None  # the SQLite file this command created (none existed before)
    _new_folders: list[Path] = field(default_factory=list)  # folders created for it, outermost first

    @property
    def db(self):
        if self._db is None:
            from app.config import resolve_database_url
            from app.exchange.backup import clean_leftovers, pre_migration_backup
            from app.persistence.db import open_database

            if self.db_path and not self.database_url:
                path = Path(self.db_path).expanduser().resolve()
                if not path.exists():
                    self._new_file = path
                    folder = path.parent
                    while not folder.exists() and folder != folder.parent:
                        self._new_folders.insert(0, folder)
                        folder = folder.parent
            # a pending migration is preceded by a backup (a parameter, not a hook filled on import)
            self._db = open_database(resolve_database_url(self.db_path, self.database_url),
                                     before_migration=pre_migration_backup)
            for notice in self._db.notices:  # a copied file (app/sync/file_home.py): said once, on stderr
                print(notice, file=sys.stderr)
            clean_leftovers()  # *.part files of backups killed earlier
        return self._db

    def _daily_backup(self) -> None:
        """The first command of a day that opened an existing SQLite file and succeeded makes the day's backup, as
        the window does at its start (README «Backups»; tester L: a day of commands made none). After the command,
        not before it: a refused one leaves nothing behind, a backup neither. The same function as the window's:
        nothing when today's exists (one listing of the backups folder), nothing for PostgreSQL. Said only when it
        fails, on stderr (stdout stays the command's: ``--json``), and it never changes the command's status."""
        from app.exchange.workspace import daily_backup

        notes = daily_backup(self._db)  # type: ignore[arg-type]
        if notes.backup_problem:
            print(_("The daily backup could not be made: {problem}").format(problem=notes.backup_problem), file=sys.stderr)

    def close(self, *, succeeded: bool = True) -> None:
        """Release the database. A refused or failed command that created a new database file (``--db
        new/deeper/x.sqlite3``) leaves neither the file nor the folders made for it behind."""
        if self._db is not None:
            if succeeded and self._new_file is None:
                self._daily_backup()
            self._db.dispose()  # type: ignore[attr-defined]
        if succeeded or self._new_file is None:
            return
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                self._new_file.with_name(self._new_file.name + suffix).unlink(missing_ok=True)
            except OSError:
                pass
        for folder in reversed(self._new_folders):
            try:
                folder.rmdir()  # only when empty: nothing else was put there meanwhile
            except OSError:
                break


def build_parser() -> argparse.ArgumentParser:
    import importlib

    _translate_argparse()
    parser = RussianArgumentParser(prog="vnedrenie", description=_("Implementation workbench for АСУ «Менеджмент»."))
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}",
                        help=_("show the version and exit"))
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--db", metavar="PATH", help=_("SQLite database file"))
    group.add_argument("--database-url", metavar="URL", help=_("SQLAlchemy database URL (PostgreSQL for a team)"))
    parser.add_argument("--lang", choices=["ru", "en"], help=_("interface language: ru or en (default ru)"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=RussianArgumentParser)
    for name in command_modules():
        importlib.import_module(name).register(sub)
    from app.cli.help_texts import fill_missing_help

    fill_missing_help(parser)
    return parser


def run(argv: Sequence[str], ctx: Context | None = None) -> int:
    """Run one command; returns the exit status. Refused input never leaves a traceback."""
    from app import i18n

    argv = list(argv)
    if "--lang" in argv:
        position = argv.index("--lang")
        if position + 1 < len(argv):
            i18n.set_language(argv[position + 1])
    # Bytes that are not UTF-8 arrive as lone surrogates and would fail deep inside the database driver.
    broken = next((a for a in argv if any("\ud800" <= c <= "\udfff" for c in a)), None)
    if broken is not None:
        print(_("A command-line argument is not valid UTF-8 text: {arg}").format(arg=ascii(broken)[:80]),
              file=sys.stderr)
        return EXIT_REFUSED
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
    except UserError as exc:
        print(exc.full_text(), file=sys.stderr)
        return EXIT_REFUSED
    for option, value in (("--db", args.db), ("--database-url", args.database_url)):
        if value is not None and not value.strip():
            print(_("The option {option} is empty: give a database file (or URL), or leave the option out to "
                    "use the default database.").format(option=option), file=sys.stderr)
            return EXIT_REFUSED
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_REFUSED
    ctx = ctx or Context()
    ctx.db_path, ctx.database_url = args.db, args.database_url
    status = EXIT_INTERNAL
    try:
        from app.part_files import telling_removed

        with telling_removed(_say_removed):  # what killed writers of its output left, said by every command
            status = int(args.handler(ctx, args) or 0)
        return status
    except UserError as exc:
        print(exc.cli_text(), file=sys.stderr)
        status = EXIT_REFUSED
        return status
    except BrokenPipeError:
        # `… clients list | head`: the reader has what it wanted; silence the final flush too.
        import os

        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):  # stdout without a file descriptor (captured)
            pass
        status = EXIT_OK
        return status
    except KeyboardInterrupt:
        print(_("Interrupted."), file=sys.stderr)
        return EXIT_INTERNAL
    except Exception as exc:
        if caused_by_interrupt(exc):  # Ctrl+C that Python wrapped (a module loading in the handler)
            print(_("Interrupted."), file=sys.stderr)
            return EXIT_INTERNAL
        refusal = environment_refusal(exc, ctx) or stored_values_refusal(exc, ctx)
        if refusal is not None:
            print(refusal.cli_text(), file=sys.stderr)
            status = EXIT_REFUSED
            return status
        print(_("Internal error: {error}").format(error=_internal_reason(exc)), file=sys.stderr)
        return EXIT_INTERNAL
    finally:
        ctx.close(succeeded=status == EXIT_OK)


def _say_removed(path: Path) -> None:
    """A killed writer's ``*.part`` file the command removed beside its output (app/part_files.py): said on stderr,
    so that stdout stays the command's own (``--json``)."""
    print(_("Removed the unfinished file of an earlier write that was interrupted: {path}").format(path=path),
          file=sys.stderr)


def stored_values_refusal(exc: Exception, ctx: Context) -> UserError | None:
    """A failure the command did not expect, when the open database holds values the program cannot read or use
    (another program wrote them, or damage): the refusal naming them (status 2) instead of «Внутренняя ошибка»;
    None when no database was opened or none is found."""
    refuse = getattr(ctx._db, "unexpected_refusal", None)  # app.persistence.db.Database's, once opened
    return refuse(exc) if refuse is not None else None


def environment_refusal(exc: Exception, ctx: Context) -> UserError | None:
    """A full disk, a read-only file or folder, a denied access met outside a unit of work, or the team
    server's refusal (app/team/pg_refusals.py), as one Russian sentence (status 2); None for a real internal
    error. Nothing was saved: every write is one transaction, and files are written beside their target and
    moved into place only when complete."""
    import errno
    import sqlite3

    if isinstance(exc, OSError) and exc.errno is not None:
        from app.errors import os_error_text

        where = exc.filename if isinstance(exc.filename, str) else ""
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return UserError(_("There is no space left on the disk: {path} was not written. Free some space and "
                               "try again.").format(path=where or "?"))
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return UserError(_("Cannot write {path}: {error}.").format(path=where or "?", error=os_error_text(exc)))
        return None
    from sqlalchemy.exc import DBAPIError

    from app.team.pg_refusals import server_refusal

    refused = server_refusal(exc)  # the team server said no (rights, a too long text): its reason, in Russian
    if refused is not None:
        return refused
    if isinstance(exc, DBAPIError | sqlite3.Error):
        db = ctx._db
        if db is not None:
            return db.storage_refusal(exc)  # type: ignore[attr-defined]
        from app.persistence.db import storage_refusal

        return storage_refusal(exc, None, ctx.db_path or "")
    return None


def _internal_reason(exc: Exception) -> str:
    """An unexpected failure in the UI language when SQLite or the OS says why (a full disk, a damaged
    file), never their English text; otherwise the exception itself, for the bug report."""
    import sqlite3

    from app.errors import os_error_text, sqlite_error_text

    orig = getattr(exc, "orig", None)
    if isinstance(orig, sqlite3.Error):
        return sqlite_error_text(orig)
    if isinstance(exc, sqlite3.Error):
        return sqlite_error_text(exc)
    if isinstance(exc, OSError):
        return os_error_text(exc)
    return f"{type(exc).__name__}: {exc}"


def main(argv: Sequence[str] | None = None) -> int:
    return run(sys.argv[1:] if argv is None else argv)
