"""Commands of the team server: `server init`, `users add|edit|list|disable|enable`, `team assign|mine`, `audit`."""

from __future__ import annotations

import json
import sys

from app.cli.parse import client_arg
from app.errors import UserError
from app.i18n import _


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def register(sub) -> None:
    srv = sub.add_parser("server", help=_("team server: prepare a PostgreSQL database"))
    ssub = srv.add_subparsers(dest="server_command", metavar="ACTION", required=True)
    init = ssub.add_parser("init", help=_("create or upgrade the team schema, roles and row-level security"))
    init.add_argument("--database-url", dest="server_url", metavar="URL", default=None,
                      help=_("PostgreSQL URL of the team database, connecting as its owner"))
    init.set_defaults(handler=server_init)

    users = sub.add_parser("users", help=_("team members: add, edit, list, password, disable, enable"))
    usub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = usub.add_parser("add", help=_("add a team member (a PostgreSQL login with a password)"))
    add.add_argument("login", metavar="LOGIN", help=_("login: lowercase Latin letters, digits, «_»"))
    add.add_argument("--name", required=True, help=_("full name (printed as the signer of their documents)"))
    add.add_argument("--role", required=True, choices=("specialist", "manager", "admin"),
                     help=_("role: specialist, manager or admin"))
    add.add_argument("--position", default=None,
                     help=_("position, printed under the signature of their documents (required; change it "
                            "later with «users edit»)"))
    add.add_argument("--manager", default="", metavar="LOGIN",
                     help=_("the specialist's manager (login; only for --role specialist)"))
    add.add_argument("--password-file", metavar="F", default=None,
                     help=_("file whose first line is the new member's password (else it is asked for)"))
    add.set_defaults(handler=users_add)
    lst = usub.add_parser("list", help=_("list team members"))
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=users_list)
    edit = usub.add_parser("edit", help=_("change a team member's name or position (administrators)"))
    edit.add_argument("login", metavar="LOGIN", help=_("login of the member"))
    edit.add_argument("--name", default=None, help=_("full name (printed as the signer of their documents)"))
    edit.add_argument("--position", default=None, help=_("position (printed under the signature)"))
    edit.set_defaults(handler=users_edit)
    pwd = usub.add_parser("password", help=_("give a team member a new password (administrators; a member may "
                                             "change their own)"))
    pwd.add_argument("login", metavar="LOGIN", help=_("login of the member"))
    pwd.add_argument("--password-file", metavar="F", default=None,
                     help=_("file whose first line is the new password (else it is asked for)"))
    pwd.set_defaults(handler=users_password)
    dis = usub.add_parser("disable", help=_("revoke a team member: they can no longer sign in (refused for a member "
                                            "disabled already, as «enable» is for an active one)"))
    dis.add_argument("login", metavar="LOGIN", help=_("login of the member"))
    dis.set_defaults(handler=users_disable)
    ena = usub.add_parser("enable", help=_("let a disabled team member sign in again (administrators; refused for "
                                           "an active member)"))
    ena.add_argument("login", metavar="LOGIN", help=_("login of the member"))
    ena.set_defaults(handler=users_enable)

    team = sub.add_parser("team", help=_("who is responsible for which client"))
    tsub = team.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    asg = tsub.add_parser("assign", help=_("set a client's responsible specialist and manager"))
    asg.add_argument("client", metavar="CLIENT", type=client_arg)
    asg.add_argument("--specialist", default=None, metavar="LOGIN", help=_("the specialist's login ('' clears)"))
    asg.add_argument("--manager", default=None, metavar="LOGIN", help=_("the manager's login ('' clears)"))
    asg.set_defaults(handler=team_assign)
    prof = tsub.add_parser("profile", help=_("who works on this computer (the author of its changes)"))
    prof.add_argument("--name", default=None, help=_("set the name (else it is shown)"))
    prof.add_argument("--position", default=None,
                      help=_("set the position printed under your signature (outside a team; in a team: «users "
                             "edit»)"))
    prof.set_defaults(handler=team_profile)
    mine = tsub.add_parser("mine", help=_("«Мои заказчики»: the clients you are responsible for"))
    mine.add_argument("--json", action="store_true")
    mine.set_defaults(handler=team_mine)

    hist = tsub.add_parser("history", help=_("history of changes of no client: tariffs, VAT, the executor's "
                                             "requisites, settings, checklist items"))
    hist.add_argument("--json", action="store_true", help=_("every change as stored (codes), for scripts"))
    hist.set_defaults(handler=team_history_cmd)

    aud = sub.add_parser("audit", help=_("history of changes of a client (who, when, old and new value)"))
    aud.add_argument("client", metavar="CLIENT", type=client_arg)
    aud.add_argument("--json", action="store_true", help=_("every change as stored (codes), for scripts"))
    aud.add_argument("--all", action="store_true", dest="show_all",
                     help=_("every change (else the latest 5000, and a line says when there are more)"))
    aud.set_defaults(handler=audit_cmd)


def _read_password(args) -> str:
    if args.password_file:
        from app.exchange.crypto import read_password_file

        return read_password_file(args.password_file)
    if not sys.stdin.isatty():
        raise UserError(_("Give the password with --password-file (no terminal to ask it on)."))
    import getpass

    try:
        first = getpass.getpass(_("Password: "))
        again = getpass.getpass(_("The same password again: "))
    except EOFError:  # Ctrl-D at the prompt (the trial 17l: «Внутренняя ошибка: EOFError»)
        raise UserError(_("No password was typed; nothing was changed.")) from None
    if again != first:
        raise UserError(_("The two passwords differ; nothing was changed."))
    return first


def server_init(ctx, args) -> int:
    from app.team.server import init_server

    url = args.server_url or ctx.database_url
    if not url:
        raise UserError(_("Give the team database: server init --database-url postgresql+psycopg://owner@host/db"))
    from sqlalchemy.exc import InterfaceError, OperationalError

    from app.sync.refusals import connection_problem, is_address_error, wrong_integer_problem
    from app.team.pg_refusals import INSUFFICIENT_PRIVILEGE, sqlstate

    wrong_integer_problem(url)  # «?connect_timeout=abc»: refused before connecting, as `sync setup` does
    try:
        db = init_server(url)
    except (OperationalError, InterfaceError) as exc:  # the address, not a bug: one sentence, no driver text
        raise connection_problem(exc, url) from None
    except Exception as exc:
        if is_address_error(exc):  # «?bogus=1», a wrong value in the address: the address, not a bug
            raise connection_problem(exc, url) from None
        if sqlstate(exc) != INSUFFICIENT_PRIVILEGE:
            raise
        raise UserError(_("Only the owner of the team database prepares it: run «server init» with the login "
                          "that owns the database (not a team member's). Nothing was changed.")) from None
    db.dispose()
    ctx.out(_("The team server is ready: {db}.").format(db=db.display_name()))
    return 0


def users_add(ctx, args) -> int:
    from app.team.users import add_user, check_new_member

    if not (args.position or "").strip():  # asked now, not discovered when their first document will not print
        raise UserError(_("Give the member's position with --position: it is printed under the signature of "
                          "their documents (change it later with «users edit LOGIN --position …»)."))
    # everything but the password checked before it is asked for (a refusal after typing it twice is unkind)
    check_new_member(ctx.db, args.login, args.name, args.role, position=args.position, manager=args.manager)
    password = _read_password(args)
    member = add_user(ctx.db, args.login, args.name, args.role, password, position=args.position,
                      manager=args.manager)
    ctx.out(_("Team member added: {login} ({name}).").format(login=member.login, name=member.full_name))
    return 0


def users_list(ctx, args) -> int:
    from app.team.users import ROLE_TITLES, list_users

    members = list_users(ctx.db)
    if args.json:
        ctx.out(_json([m.__dict__ for m in members]))
        return 0
    if not members and ctx.db.engine.dialect.name != "postgresql":  # members live on the team server
        ctx.out(_("This computer's database is not a team server: the team's members are listed and added on the "
                  "server, e.g. «--database-url URL users add LOGIN --name … --role … --position …» (URL: the "
                  "team server's address with an administrator's login)."))
    elif not members:
        ctx.out(_("There is nobody in the team yet: add members with «users add LOGIN --name … --role … "
                  "--position …»."))
    for m in members:
        state = "" if m.active else _(" (disabled)")
        ctx.out(f"{m.login}\t{m.full_name}\t{m.position or '—'}\t{_(ROLE_TITLES[m.role])}\t{m.manager_login}{state}")
    return 0


def users_edit(ctx, args) -> int:
    from app.team.users import edit_user

    member = edit_user(ctx.db, args.login, full_name=args.name, position=args.position)
    ctx.out(_("{login}: {name}, {position}. Laptops take it at their next sync.").format(
        login=member.login, name=member.full_name, position=member.position or "—"))
    return 0


def users_password(ctx, args) -> int:
    from app.team.passwords import set_password

    password = _read_password(args)
    member = set_password(ctx.db, args.login, password)
    ctx.out(_("{who}: the password is changed. On the laptops that sync with this login, run «sync setup» again "
              "with the new password.").format(who=_account(member)))
    return 0


def _account(member) -> str:
    """A member in an administrator's command about accounts: «Сидоров Олег (sidorov)» — the name people know,
    and the login the administrator types (the login alone when the member has no name)."""
    return f"{member.full_name} ({member.login})" if member.full_name else member.login


def users_disable(ctx, args) -> int:
    from app.team.users import disable_user

    member = disable_user(ctx.db, args.login)
    ctx.out(_("{who} can no longer sign in.").format(who=_account(member)))
    return 0


def users_enable(ctx, args) -> int:
    from app.team.admins import enable_user

    member = enable_user(ctx.db, args.login)
    ctx.out(_("{who} can sign in again.").format(who=_account(member)))
    return 0


def team_assign(ctx, args) -> int:
    from app.team.users import assign_client

    if args.specialist is None and args.manager is None:
        raise UserError(_("Give --specialist or --manager (or both)."))
    from app.team.author import member_names, shown_name

    spec, mgr = assign_client(ctx.db, args.client, specialist=args.specialist, manager=args.manager)
    with ctx.db.read() as session:  # people by name, as `audit` shows them (the login when the roster lacks it)
        names = member_names(session, (spec, mgr))
    ctx.out(_("Specialist: {spec}; manager: {mgr}.").format(spec=shown_name(names, spec) or "—",
                                                           mgr=shown_name(names, mgr) or "—"))
    return 0


def team_profile(ctx, args) -> int:
    from app.team.users import profile_name, profile_position, set_profile_name, set_profile_position

    if args.name is not None:
        set_profile_name(ctx.db, args.name)
    if args.position is not None:
        set_profile_position(ctx.db, args.position)
    ctx.out(profile_name(ctx.db))
    position = profile_position(ctx.db)
    if position or args.position is not None:
        ctx.out(_("Position under your signature: {position}").format(position=position))
    return 0


def team_mine(ctx, args) -> int:
    from sqlalchemy import select

    from app.persistence.models import Client
    from app.team.users import my_client_ids

    ids = my_client_ids(ctx.db)
    with ctx.db.read() as session:
        rows = session.execute(select(Client.id, Client.inn, Client.name).where(Client.id.in_(ids))
                               .order_by(Client.name)).all() if ids else []
    if args.json:
        ctx.out(_json([{"id": r.id, "inn": r.inn, "name": r.name} for r in rows]))
    elif not rows and not _in_team(ctx.db):  # not «none assigned to you»: nobody assigns here (the trial 17g)
        ctx.out(_("This computer is not in a team, so nobody assigns clients to you here (and it has no clients "
                  "yet); to join a team: «sync setup --database-url …»."))
    elif not rows:  # a sentence, not an empty screen (the trial 17e)
        ctx.out(_("No clients are assigned to you yet."))
    else:
        if not _in_team(ctx.db):  # the list, and why it is every client here (the trial 17h)
            print(_("This computer is not in a team: nobody assigns clients here, every client of it is yours; to "
                    "join a team: «sync setup --database-url …»."), file=sys.stderr)
        for r in rows:
            ctx.out(f"{r.id}\t{r.inn}\t{r.name}")
    return 0


def _in_team(db) -> bool:
    """Whether ``db`` is the team server or a laptop joined to a team (a login, app/team/users.py)."""
    from app.team.users import team_login

    return db.engine.dialect.name == "postgresql" or bool(team_login(db))


def team_history_cmd(ctx, args) -> int:
    """`team history`: the team-wide changes, newest first, in the words of `audit CLIENT`."""
    from app.team.audit import team_history, team_history_view

    if args.json:
        ctx.out(_json([e.as_json() for e in team_history(ctx.db)]))
        return 0
    lines = team_history_view(ctx.db).lines
    if not lines and not _in_team(ctx.db):  # a computer of one person: its common data, not «the team's»
        ctx.out(_("No changes of common data (tariffs, VAT, the executor's requisites, settings) recorded yet; "
                  "this computer is not in a team."))
    elif not lines:  # a sentence, not an empty screen (the trial 17d)
        ctx.out(_("No changes of team-wide data recorded yet."))
    for line in lines:
        ctx.out(line.text())
    return 0


def audit_cmd(ctx, args) -> int:
    from app.team import audit
    from app.team.audit import client_history, client_history_view

    if args.json:  # the trail as stored, all of it: tables, fields and values as the program knows them
        ctx.out(_json([e.as_json() for e in client_history(ctx.db, args.client, limit=None)]))
        return 0
    view = client_history_view(ctx.db, args.client, limit=None if args.show_all else audit.SHOWN)
    if view.cut:  # said first, where a reader (or `| head`) sees it
        ctx.out(view.cut_note(command=f"audit {args.client} --all"))
    if not view.lines:  # as the card's tab says it
        ctx.out(_("No changes recorded for this client yet."))
    from app.domain.printable import printable

    for line in view.lines:  # the words of the card's «История изменений», newest first; one change a line (a note
        ctx.out("\t".join(printable(part) for part in line.text().split("\t")))  # of two lines broke the
        # tab-separated columns: tester G)
    return 0
