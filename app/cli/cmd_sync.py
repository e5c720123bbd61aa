"""Commands of a laptop's sync with the team server: `sync` (once), `sync setup|status|conflicts|resolve`."""

from __future__ import annotations

import json
import sys
import time

from app.cli.parse import id_arg
from app.domain.quotes import in_quotes, quoted
from app.i18n import _, format_number


def register(sub) -> None:
    sy = sub.add_parser("sync", help=_("sync this laptop with the team server once (or: setup, status, "
                                       "conflicts, resolve)"))
    sy.set_defaults(handler=sync_now)
    ssub = sy.add_subparsers(dest="sync_command", metavar="ACTION")
    st = ssub.add_parser("setup", help=_("connect this laptop to the team server (password into the keyring)"))
    st.add_argument("--database-url", dest="server_url", metavar="URL", required=True,
                    help=_("PostgreSQL URL of the team server with your login, without the password"))
    st.add_argument("--password-file", metavar="F", default=None,
                    help=_("file whose first line is your password (else it is asked for)"))
    st.set_defaults(handler=sync_setup)
    now = ssub.add_parser("now", help=_("sync once (the same as «sync» alone)"))
    now.set_defaults(handler=sync_now)
    status = ssub.add_parser("status", help=_("the sync status line"))
    status.set_defaults(handler=sync_status)
    cf = ssub.add_parser("conflicts", help=_("conflicts to look at: both values and the one kept"))
    cf.add_argument("--json", action="store_true")
    cf.set_defaults(handler=sync_conflicts)
    rs = ssub.add_parser("resolve", help=_("close a conflict keeping the team server's, the exchange file's or this "
                                           "computer's value"))
    rs.add_argument("conflict", metavar="ID", type=id_arg("ID"), help=_("conflict number (see «sync conflicts»)"))
    rs.add_argument("--keep", required=True, choices=("server", "local", "file", "here"),
                    help=_("which value to keep: server (a conflict from the server), file (from a bundle), or local / here "
                           "(this laptop's)"))
    rs.set_defaults(handler=sync_resolve)


def sync_setup(ctx, args) -> int:
    from app.cli.cmd_team import _read_password
    from app.sync.address import url_password
    from app.sync.sync_setup import setup

    # a password written in the address is the password (it is kept in the keyring, never in the address)
    password = url_password(args.server_url) if not args.password_file and url_password(args.server_url) \
        else _read_password(args)
    login = setup(ctx.db, args.server_url, password)
    ctx.out(_("This laptop syncs with the team server as {login}; the password is in the system keyring.").format(
        login=login))
    return 0


# how long `sync` waits for a sync of this laptop already running (the window's, another command's) before it
# gives up with «уже идёт» (exit 2, nothing sent); after waiting it syncs itself and tells what it really sent
WAIT_S = 120.0


class ProgressLine:
    """A sync's way on stderr — «Синхронизация: отправлено 1 200 из 5 000», then «получено …» — so that stdout stays
    the report. Quiet for a phase shorter than ``AFTER_S`` seconds (an everyday sync says nothing more than before);
    past that, on a terminal one line rewritten in place (ended at the phase's end, or by :meth:`close`), else (a
    log, a pipe) a line at most every ``EVERY_S`` seconds and one at the phase's end. A stderr that cannot be written
    (a closed pipe) silences it: the sync goes on."""

    AFTER_S = 2.0
    EVERY_S = 5.0
    TTY_EVERY_S = 0.2

    def __init__(self, stream=None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        try:
            self.tty = bool(self.stream.isatty())
        except (AttributeError, ValueError, OSError):
            self.tty = False
        self.phase = ""
        self.began = 0.0  # when the phase under way began
        self.last = float("-inf")  # when a line was last written
        self.width = 0  # the terminal line's length so far (0: no line open)
        self.broken = False

    def __call__(self, phase: str, done: int, total: int) -> None:
        from app.sync.service import progress_text

        now = time.monotonic()
        if phase != self.phase or not done:  # a phase begins (a second push after the pull too)
            self.phase, self.began, self.last = phase, now, float("-inf")
        end = done >= total
        shown = self.last != float("-inf")  # something of this phase was written
        if self.broken or (now - self.began < self.AFTER_S and not (end and shown)):
            return
        if not end and now - self.last < (self.TTY_EVERY_S if self.tty else self.EVERY_S):
            return
        self.last = now
        text = progress_text(phase, done, total)
        try:
            if self.tty:
                self.stream.write("\r" + text.ljust(self.width) + ("\n" if end else ""))
                self.width = 0 if end else len(text)
            else:
                self.stream.write(text + "\n")
            self.stream.flush()
        except (OSError, ValueError):
            self.broken = True

    def close(self) -> None:
        """End a terminal line left open (a sync stopped mid-phase): what follows starts on a line of its own."""
        if self.width and not self.broken:
            try:
                self.stream.write("\n")
                self.stream.flush()
            except (OSError, ValueError):
                pass
        self.width = 0


def sync_now(ctx, args) -> int:
    from app.sync.lock import is_running
    from app.sync.service import sync_once

    if is_running(ctx.db):
        ctx.out(_("A sync of this laptop is already running: waiting for it to finish…"))
    line = ProgressLine()
    try:
        report = sync_once(ctx.db, wait=WAIT_S, progress=line)
    finally:
        line.close()
    ctx.out(_("Sent {pushed}, received {pulled}, new conflicts {conflicts}.").format(
        pushed=format_number(report.pushed), pulled=format_number(report.pulled),
        conflicts=format_number(report.conflicts)))
    if report.lines and not (report.pushed or report.pulled):  # a sync resumed after a kill: only history went
        ctx.out(_("History lines sent and received: {n}.").format(n=format_number(report.lines)))
    if report.not_taken:  # records the server did not take: apart from «sent», each one a conflict
        ctx.out(_("Not taken by the server: {n} (see «sync conflicts»).").format(n=format_number(report.not_taken)))
    for sentence in (*report.refused, *report.notes):  # team-wide changes refused; other members' clients kept
        ctx.out(sentence)
    ctx.out(report.status)
    return 0


def sync_status(ctx, args) -> int:
    """One line with everything true at once (the last sync or its refusal in short, the changes waiting on this
    laptop, the open conflicts), then the last refusal's full sentence when the last sync failed."""
    from app.domain.timeutil import to_local
    from app.sync.lock import interrupted_at, is_running
    from app.sync.refused_notes import held_here
    from app.sync.service import conflicts, last_error, status_text

    line = status_text(ctx.db)
    open_conflicts = len(conflicts(ctx.db))  # bundle imports record conflicts too, server or not
    if not line:
        ctx.out(_("This laptop is not connected to a team server: connect it with «sync setup --database-url …»."))
        if open_conflicts:
            ctx.out(_("Conflicts to look at: {n} (see «sync conflicts»).").format(n=format_number(open_conflicts)))
        return 0
    # a sync under way (its lock held), or one killed before it ended (its mark left): said first — the line
    # after it tells the sync before (tester L, item 9: «Нет связи с сервером» while a sync was sending)
    if is_running(ctx.db):
        ctx.out(_("A sync of this laptop is running now (in the window or from another command); until it ends, "
                  "the line below tells the previous one."))
    elif (began := interrupted_at(ctx.db)) is not None:
        ctx.out(_("The last sync (begun at {time}) was interrupted before it ended: run «sync» again — what it had "
                  "finished is kept, the rest is sent and received then.").format(
            time=to_local(began).strftime("%d.%m.%Y %H:%M")))
    ctx.out(f"{line} {_('(see «sync conflicts»)')}" if open_conflicts else line)
    held = held_here(ctx.db)
    if held:  # refused by the server, kept here (also after «--keep local»): never sent, said every time
        ctx.out(_("Only on this laptop, the team server does not take them from you: {names}.").format(
            names=", ".join(quoted(name) for name in held)))
    if last_error(ctx.db):  # why the last sync stopped, in its one sentence
        ctx.out(last_error(ctx.db))
    return 0


def sync_conflicts(ctx, args) -> int:
    from app.sync.service import conflict_lines, conflicts

    if args.json:  # codes, for scripts
        ctx.out(json.dumps([r.__dict__ for r in conflicts(ctx.db)], ensure_ascii=False, indent=2))
        return 0
    lines = conflict_lines(ctx.db)
    if not lines:  # a sentence, not an empty screen (the trial 17e)
        ctx.out(_("No open sync conflicts."))
    for line in lines:  # the client's name, the card's words, values as a person reads them
        ctx.out(line.text())
    hint = choice_hint(lines)
    if hint:  # how to choose (the import report says «выбор — «sync resolve»»): on stderr, the rows stay rows
        import sys

        print(hint, file=sys.stderr)
    return 0


def choice_hint(lines: list) -> str:
    """How to close the listed conflicts that offer a choice ('' when none does): «sync resolve NUMBER --keep …»
    with the sides they have — the team server's, an exchange file's (tester L, item 12: the rows came bare)."""
    sources = {line.source for line in lines if line.choosable}
    if not sources:
        return ""
    if sources == {"file"}:
        return _("To choose: «sync resolve NUMBER --keep here» keeps this computer's value, «--keep file» the "
                 "exchange file's; a row that names another way (voiding an act, deleting a client) is closed that "
                 "way.")
    if sources == {"server"}:
        return _("To choose: «sync resolve NUMBER --keep local» keeps this laptop's value, «--keep server» the team "
                 "server's; a row that names another way (voiding an act, deleting a client) is closed that way.")
    return _("To choose: «sync resolve NUMBER --keep local» keeps this computer's value, «--keep server» the team "
             "server's (a conflict of a sync), «--keep file» the exchange file's (a conflict of a bundle); a row that "
             "names another way (voiding an act, deleting a client) is closed that way.")


def sync_resolve(ctx, args) -> int:
    from app.sync.service import conflict_lines, conflicts, resolve_conflict, status_text
    from app.sync.ways import CLI

    # a client handed to someone else, let go from this laptop: said as such, by its name read before it goes
    listed = conflicts(ctx.db)
    let_go = args.keep == "server" and any(c.id == args.conflict and c.kind == "not_yours" and c.table == "client"
                                           for c in listed)
    # a bundle's conflict: the chosen value goes with the next exchange file (and the next sync, in a team)
    from_bundle = any(c.id == args.conflict and c.kept in ("file", "here") for c in listed)
    name = next((line.client for line in conflict_lines(ctx.db) if line.id == args.conflict), "") if let_go else ""
    # a bundle's conflict keeps the file's value where a server's keeps the server's: the same column
    changes = resolve_conflict(ctx.db, args.conflict, keep=args.keep, strict=True, surface=CLI)
    if let_go:
        ctx.out(_("Conflict {id} closed: the client «{client}» and its unsent changes were removed from this laptop "
                  "(the team server keeps the client with its new specialist).").format(id=args.conflict, client=in_quotes(name)))
    elif changes.replaced or any(getattr(changes, f) for f in changes.__dataclass_fields__ if f != "client_ids"):
        if from_bundle and not status_text(ctx.db):  # no team: there is no sync (tester L, item 12)
            ctx.out(_("Conflict {id} closed: the chosen value is written on this computer (it goes to the other "
                      "computer with the next exchange file, «export»).").format(id=args.conflict))
        elif from_bundle:
            ctx.out(_("Conflict {id} closed: the chosen value is written on this laptop (it is sent at the next sync "
                      "and goes with the next exchange file).").format(id=args.conflict))
        else:
            ctx.out(_("Conflict {id} closed: the chosen value is written on this laptop (it is sent at the next "
                      "sync).").format(id=args.conflict))
    else:
        ctx.out(_("Conflict {id} closed: the value in effect stays.").format(id=args.conflict))
    return 0
