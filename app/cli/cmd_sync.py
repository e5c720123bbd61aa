"""Commands of a laptop's sync with the team server: `sync` (once), `sync setup|status|conflicts|resolve`."""

from __future__ import annotations

import json

from app.i18n import _


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
    rs = ssub.add_parser("resolve", help=_("close a conflict keeping the server's or this laptop's value"))
    rs.add_argument("conflict", metavar="ID", type=int, help=_("conflict number (see «sync conflicts»)"))
    rs.add_argument("--keep", required=True, choices=("server", "local", "file"),
                    help=_("which value to keep: server (or file, for a conflict from a bundle) or local"))
    rs.set_defaults(handler=sync_resolve)


def sync_setup(ctx, args) -> int:
    from app.cli.cmd_team import _read_password
    from app.sync.service import setup

    password = _read_password(args)
    login = setup(ctx.db, args.server_url, password)
    ctx.out(_("This laptop syncs with the team server as {login}; the password is in the system keyring.").format(
        login=login))
    return 0


def sync_now(ctx, args) -> int:
    from app.sync.service import sync_once

    report = sync_once(ctx.db)
    ctx.out(_("Sent {pushed}, received {pulled}, new conflicts {conflicts}.").format(
        pushed=report.pushed, pulled=report.pulled, conflicts=report.conflicts))
    for sentence in report.refused:  # team-wide changes the server did not take (reverted here)
        ctx.out(sentence)
    ctx.out(report.status)
    return 0


def sync_status(ctx, args) -> int:
    from app.sync.service import conflicts, last_error, status_text

    ctx.out(status_text(ctx.db) or _("This laptop is not connected to a team server."))
    if last_error(ctx.db):  # why the last sync stopped, in its one sentence
        ctx.out(last_error(ctx.db))
    open_conflicts = len(conflicts(ctx.db))  # bundle imports record conflicts too, server or not
    if open_conflicts:
        ctx.out(_("Conflicts to look at: {n} (see «sync conflicts»).").format(n=open_conflicts))
    return 0


def sync_conflicts(ctx, args) -> int:
    from app.sync.service import conflict_lines, conflicts

    if args.json:  # codes, for scripts
        ctx.out(json.dumps([r.__dict__ for r in conflicts(ctx.db)], ensure_ascii=False, indent=2))
        return 0
    for line in conflict_lines(ctx.db):  # the client's name, the card's words, values as a person reads them
        ctx.out(line.text())
    return 0


def sync_resolve(ctx, args) -> int:
    from app.sync.service import resolve_conflict

    # a bundle's conflict keeps the file's value where a server's keeps the server's: the same column
    resolve_conflict(ctx.db, args.conflict, keep="server" if args.keep == "file" else args.keep)
    ctx.out(_("Conflict {id} closed.").format(id=args.conflict))
    return 0
