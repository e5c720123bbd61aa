"""Writing an export bundle: the clients' records checked and streamed into a zip, then put in place."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import zipfile
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from app import __version__
from app.errors import (
    UserError,
    exists_refusal,
    os_error_text,
    place_file,
    refuse_special_file,
)
from app.exchange import crypto
from app.exchange.bundle import FORMAT, FORMAT_VERSION, MANIFEST, PAYLOAD, PAYLOAD_ENC, BundleInfo, _info
from app.exchange.export_check import ExportLook
from app.exchange.export_rules import ExportRules, RecordRefused
from app.exchange.stream_export import write_changeset
from app.exchange.versioned_clock import next_export_version
from app.fileio_thread import BackgroundWriter
from app.i18n import _


def export_bundle(db, clients: list[str | int] | None, path: str | Path, password: str | None = None, *,
                  overwrite: bool = True) -> BundleInfo:
    """Write the given clients (all when ``clients`` is None) with every record they own into one file.

    An existing file at ``path`` is replaced only with ``overwrite`` (the CLI's --force)."""
    from sqlalchemy import func, select

    from app.persistence.migrate import current_revision
    from app.persistence.models import Client, Setting
    from app.services.common import find_client

    if password is not None:
        crypto.check_password(password, for_encryption=True)
    target = _output_path(db, path)
    if not overwrite and os.path.lexists(target):
        raise exists_refusal(target)
    from app.part_files import remove_stale_parts

    leftovers = tuple(remove_stale_parts(target))  # of exports to this file killed earlier (tester L)
    with db.read() as s:
        if clients is None:
            ids = None
        else:
            if not clients:
                raise UserError(_("Name at least one client, or use --all."))
            ids = sorted({find_client(s, ref).id for ref in clients})
        if ids is None and not s.scalar(select(func.count()).select_from(Client)):
            raise UserError(_("There are no clients to export."))
        setting = s.get(Setting, "installation_id")
        installation = setting.value if setting else ""
        from app.services.demo_workspace import is_demo_session

        demo = is_demo_session(s)
        from app.exchange.origin import team_computer

        team = team_computer(s)
        # the export's number (a Lamport counter), taken once nothing can refuse the export (a refused export
        # takes none) and after this read began (the file holds nothing changed after it); a failed write
        # leaves a gap
        with db.unit() as w:
            version = next_export_version(w)
        manifest: dict = {"format": FORMAT, "format_version": FORMAT_VERSION,
                          "schema_revision": current_revision(db) or ""}
        made_at = datetime.now(UTC).replace(tzinfo=None)
        # every record through the import's rules as it is written (app.exchange.export_rules): a record the
        # other computer's import would refuse stops the export before its file is in place
        rules = ExportRules(s, made_at=made_at)
        private: dict = {
            "app_version": __version__,
            "created_at": made_at.isoformat(timespec="microseconds"),
            "source_installation_id": installation,
            "counts": {},
            "exchange_version": version,
            **({"demo": True} if demo else {}),
            **({"team": True} if team else {}),  # its clients are the team's (app/exchange/origin.py)
        }

        def with_counts(counts: dict[str, int]) -> dict:
            private["counts"] = counts
            return private

        # the changeset goes from the database into the file a chunk at a time (app.exchange.stream_export):
        # memory stays flat whatever the number of records (issue 15: 9.6 GB for 50 000 clients before)
        if password is None:
            digest = hashlib.sha256()

            def payload(out: IO[bytes]) -> None:
                def write(piece: bytes) -> None:
                    digest.update(piece)
                    out.write(piece)  # deflated by zipfile

                # hashed, deflated and written on a second thread while the next chunk is encoded here; the
                # records looked at on a third (app.exchange.export_check): a refusal leaves no file
                with ExportLook(db.engine, ids) as look, BackgroundWriter(write, name="export-writer") as writer:
                    counts = _written(look, rules, lambda: write_changeset(s, ids, writer.write, check=rules.check))
                with_counts(counts)

            def header(out: IO[bytes]) -> None:  # written after the payload: it names the payload's digest
                manifest.update(private, encryption=None, payload=PAYLOAD, payload_sha256=digest.hexdigest())
                out.write(_dump(manifest))

            _write_zip(target, [(PAYLOAD, payload, zipfile.ZIP_DEFLATED), (MANIFEST, header, zipfile.ZIP_DEFLATED)],
                       overwrite=overwrite)
        else:
            envelope, key = crypto.new_envelope(password)
            manifest.update(encryption=envelope.as_json(), payload=PAYLOAD_ENC)
            sealed_header = _dump(manifest)  # authenticated with the payload: known before it is written

            def sealed(out: IO[bytes]) -> None:
                packer, cipher = zlib.compressobj(6), crypto.encryptor(key, envelope, sealed_header)

                def write(piece: bytes) -> None:
                    out.write(cipher.update(packer.compress(piece)))

                with ExportLook(db.engine, ids) as look, BackgroundWriter(write, name="export-writer") as writer:
                    _written(look, rules, lambda: write_changeset(s, ids, writer.write, manifest=with_counts,
                                                                  check=rules.check))
                out.write(cipher.update(packer.flush()))
                out.write(cipher.finalize())
                out.write(cipher.tag)

            _write_zip(target, [(MANIFEST, sealed_header, zipfile.ZIP_DEFLATED), (PAYLOAD_ENC, sealed, zipfile.ZIP_STORED)],
                       overwrite=overwrite)
    return dataclasses.replace(_info(target, {**manifest, **private}), leftovers=leftovers)


def _written(look: ExportLook, rules: ExportRules, write: Callable[[], dict[str, int]]) -> dict[str, int]:
    """``write()``'s counts once ``look`` found nothing and ``rules`` refused nothing; the look's refusal when it
    found something — also when the writing failed on such a value first (a blob in a text column: «TypeError:
    Object of type bytes is not JSON serializable» was said in English beside the refusal), or the rules refused a
    record for it (the look names the value and the way out)."""
    try:
        counts = write()
        rules.finish()
    except (ValueError, TypeError, ArithmeticError, RecordRefused):
        look.refuse()
        raise
    look.refuse()
    return counts


def _dump(manifest: dict) -> bytes:
    return json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def _output_path(db, path: str | Path) -> Path:
    target = Path(path).expanduser()
    if target.is_dir():
        raise UserError(_("{path} is a folder; give a file name.").format(path=target))
    target = target.resolve()
    if not target.parent.is_dir():
        if os.path.lexists(target.parent):  # a file where the folder should be
            raise UserError(_("«{path}» is not a folder.").format(path=target.parent))
        raise UserError(_("The folder {path} does not exist.").format(path=target.parent))
    refuse_special_file(target)
    live = db.sqlite_path.resolve() if db.sqlite_path else None
    if live is not None and (target == live or (target.parent == live.parent and target.name.startswith(live.name))):
        raise UserError(_("An export cannot be written over the database itself: {path}.").format(path=target))
    return target


def _write_zip(target: Path, members: list[tuple[str, bytes | Callable[[IO[bytes]], None], int]], *,
               overwrite: bool = True) -> None:
    """Write ``members`` (name, bytes or a function writing the member's bytes into a stream, compression)
    into ``target`` through a temporary file of its own beside it (made with O_EXCL, owner-only: never a link
    followed, never another export's file), removed whatever stops the writing (an error, Ctrl+C); UserError
    in plain words naming ``target`` on an OS error."""
    from app.part_files import make_part

    try:
        fd, part = make_part(target)  # locked while written: the next export to it does not take it for a leftover
    except OSError as exc:
        raise UserError(_("Cannot write to folder «{folder}»: {error}").format(
            folder=target.parent, error=os_error_text(exc))) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            with zipfile.ZipFile(fh, "w") as zf:
                for member, data, method in members:
                    info = zipfile.ZipInfo(member, date_time=datetime.now().timetuple()[:6])
                    info.compress_type = method
                    info.external_attr = 0o600 << 16
                    if callable(data):  # streamed: zip64 headers, as the size is not known beforehand
                        with zf.open(info, "w", force_zip64=True) as stream:
                            data(stream)
                    else:
                        zf.writestr(info, data)
            fh.flush()
            os.fsync(fh.fileno())
        place_file(part, target, overwrite=overwrite)
        if os.name == "posix":
            os.chmod(target, 0o600)
    except OSError as exc:
        raise UserError(_("The file {path} could not be written: {error}").format(
            path=target, error=os_error_text(exc))) from None
    finally:
        part.unlink(missing_ok=True)
