"""Commands for field-safe data: backup, restore, export, import, erase-personal."""

from __future__ import annotations

from app.cli.parse import client_arg
from app.domain.quotes import in_quotes
from app.i18n import _, format_number


def register(sub) -> None:
    bk = sub.add_parser("backup", help=_("back up the database (SQLite online backup)"))
    bk.add_argument("-o", "--output", metavar="FILE", default=None,
                    help=_("where to write the copy (default: the backups folder)"))
    bk.add_argument("--force", action="store_true", help=_("replace the output file if it exists"))
    bk.set_defaults(handler=backup_cmd)

    rs = sub.add_parser("restore", help=_("replace the data with a backup (the current data are backed up first)"))
    rs.add_argument("file", metavar="FILE")
    rs.add_argument("--yes", action="store_true",
                    help=_("confirm: replace also the work the backup does not hold (listed without --yes)"))
    rs.set_defaults(handler=restore_cmd)

    ex = sub.add_parser("export", help=_("export clients with all their records into one file"))
    ex.add_argument("clients", nargs="*", metavar="CLIENT", type=client_arg)
    ex.add_argument("--all", action="store_true", help=_("export every client"))
    ex.add_argument("-o", "--output", metavar="FILE", required=True)
    ex.add_argument("--force", action="store_true", help=_("replace the output file if it exists"))
    ex.add_argument("--password-file", metavar="F", default=None,
                    help=_("encrypt the file with the password in the first line of F"))
    ex.set_defaults(handler=export_cmd)

    im = sub.add_parser("import", help=_("merge an exported file into this database (by versions, as the team sync; "
                                         "conflicts listed by «sync conflicts»)"))
    im.add_argument("file", metavar="FILE")
    im.add_argument("--password-file", metavar="F", default=None)
    im.set_defaults(handler=import_cmd)

    er = sub.add_parser("erase-personal", help=_("erase a client's personal data (contacts, staff)"))
    er.add_argument("client", metavar="CLIENT", type=client_arg)
    er.add_argument("--yes", action="store_true", help=_("confirm: this cannot be undone"))
    er.set_defaults(handler=erase_cmd)


def backup_cmd(ctx, args) -> int:
    from app.exchange.backup import make_backup

    info = make_backup(ctx.db, "manual", target=args.output, overwrite=args.force)
    ctx.out(_("Backup made: {path}").format(path=info.path))
    return 0


def restore_cmd(ctx, args) -> int:
    from app.exchange.restore import restore_backup

    result = restore_backup(ctx.db, args.file, allow_loss=args.yes)
    if result.loss is not None:
        for line in result.loss.lines(done=True):
            ctx.out(line)
    ctx.out(_("The current data were backed up first: {path}").format(path=result.safety_backup.path))
    ctx.out(_("Restored from {path}.").format(path=result.restored_from))
    for notice in result.notices:
        ctx.out(notice)
    return 0


def _password(args, *, for_encryption: bool) -> str | None:
    from app.exchange.crypto import read_password_file

    if args.password_file is None:
        return None
    return read_password_file(args.password_file, for_encryption=for_encryption)


def export_cmd(ctx, args) -> int:
    from app.errors import UserError
    from app.exchange.bundle_export import export_bundle

    if args.all and args.clients:
        raise UserError(_("Name clients or use --all, not both."))
    if not args.all and not args.clients:
        raise UserError(_("Name at least one client, or use --all."))
    password = _password(args, for_encryption=True)
    info = export_bundle(ctx.db, None if args.all else args.clients, args.output, password, overwrite=args.force)
    ctx.out(_("Exported clients: {n} → {path}").format(n=format_number(info.clients), path=info.path))
    if info.encrypted:
        ctx.out(_("The file is protected with a password."))
    return 0


def import_cmd(ctx, args) -> int:
    from app.exchange.bundle_import import import_bundle

    password = _password(args, for_encryption=False)
    result = import_bundle(ctx.db, args.file, password)
    info = result.info
    ctx.out(_("Imported from {file} (made {created} UTC by installation {source}, program {version}).").format(
        file=info.path.name, created=info.created_at.strftime("%Y-%m-%d %H:%M") if info.created_at else "?",
        source=info.source_installation_id[:8] or "?", version=info.app_version))
    if password is not None and not info.encrypted:  # said, not silently ignored: the wrong file, perhaps
        import sys

        print(_("The file {file} is not protected with a password: the password given was not needed.").format(
            file=info.path.name), file=sys.stderr)
    for line in result.report.lines():
        ctx.out(line)
    if result.backup_path:
        ctx.out(_("The data before the import were backed up: {path}").format(path=result.backup_path))
    return 0


def erase_cmd(ctx, args) -> int:
    from app.errors import UserError
    from app.services.privacy import erase_personal_data

    if not args.yes:
        raise UserError(_("Erasing personal data cannot be undone: add --yes to confirm."))
    erased, _changes = erase_personal_data(ctx.db, args.client)
    ctx.out(_("Personal data of «{name}» erased: contacts {contacts}, employees {employees}.").format(
        name=in_quotes(erased.client_name), contacts=format_number(erased.contacts),
        employees=format_number(erased.employees)))
    ctx.out(_("Copies made earlier (backups, exported files) still contain them until they are deleted."))
    return 0
