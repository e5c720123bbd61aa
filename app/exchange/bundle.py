"""Export/import bundles: a zip with a manifest and one changeset, optionally password-protected.

Layout: ``manifest.json`` and either ``changes.json`` or ``changes.json.enc`` (AES-GCM over the
zlib-compressed changeset, with the exact manifest bytes as authenticated data). A plain bundle's
manifest says the format, versions, schema revision, creation time, source installation and record
counts. A sealed bundle's manifest keeps in the clear only what is needed to ask for the password and
check the format (format, format version, schema revision, encryption parameters); the rest travels
inside the ciphertext as the changeset's ``manifest`` member. Reading refuses anything unexpected
before the database is touched; the merge runs in one transaction.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
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
from app.exchange.apply import apply
from app.exchange.bundle_error import BundleError
from app.exchange.changeset import Changeset
from app.exchange.export_check import ExportLook
from app.exchange.export_rules import ExportRules, RecordRefused
from app.exchange.merge_report import MergeReport
from app.exchange.stream_export import write_changeset
from app.exchange.versioned_clock import next_export_version
from app.fileio_thread import BackgroundWriter
from app.i18n import _
from app.persistence.page_cache import larger_page_cache
from app.services.changes import DATABASE_REPLACED, Changes

FORMAT = "vnedrenie-bundle"
FORMAT_VERSION = 2  # 2: version-based merge (exchange_version, bases); 1: an older program's, newer updated_at wins
MANIFEST = "manifest.json"
PAYLOAD = "changes.json"
PAYLOAD_ENC = "changes.json.enc"
SUFFIX = ".zip"

MAX_FILE_BYTES = 512 * 1024 * 1024
# SQLite's page cache while an import writes (KiB): 2 000 clients' import 68.7 -> 59.3 s beside the default 2 MB
IMPORT_CACHE_KIB = 65_536
MAX_MEMBERS = 8
MAX_MANIFEST_BYTES = 64 * 1024
MAX_PAYLOAD_BYTES = 256 * 1024 * 1024  # uncompressed; a realistic 300 000-entry export is ~100 MB
MAX_RATIO = 100  # uncompressed / compressed, checked for members over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024


@dataclass(frozen=True)
class BundleInfo:
    """What a bundle's manifest says (readable without the password)."""

    path: Path
    format_version: int
    app_version: str  # '' for a sealed bundle until it is opened with the password
    schema_revision: str
    created_at: datetime | None  # None for a sealed bundle until it is opened
    source_installation_id: str  # '' for a sealed bundle until it is opened
    encrypted: bool
    counts: dict[str, int] = field(default_factory=dict)
    demo: bool = False  # made from the demo database (issue 14: the demo never mixes with real data)
    # the exporter's export number (format 2; docs/sync.md «Bundles»); None: a format-1 file, merged by updated_at
    exchange_version: int | None = None
    # made on a computer of a team (a synced laptop or the server): app/exchange/origin.py; False for older files
    team: bool = False
    # the ``*.part`` files killed exports to the same target left beside it, removed by this export
    leftovers: tuple[Path, ...] = ()

    @property
    def clients(self) -> int:
        return self.counts.get("client", 0)


@dataclass(frozen=True)
class ImportResult:
    info: BundleInfo
    report: MergeReport
    backup_path: Path | None
    changes: Changes


def _refused(message: str) -> BundleError:
    message = message.rstrip()
    if not message.endswith((".", "!", "?", "…")):
        message += "."
    return BundleError(message + " " + _("Nothing was imported."))


def _not_bundle(path: Path) -> BundleError:
    return _refused(_("The file {name} is not an exchange file of this program.").format(name=path.name))


def _damaged(path: Path) -> BundleError:
    return _refused(_("The file {name} is damaged or incomplete (for example cut short while copying).").format(
        name=path.name))


# ------------------------------------------------------------------ export


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


# ------------------------------------------------------------------ read


def _safe_member_name(name: str) -> bool:
    if not name or "\\" in name or "\x00" in name or name.startswith("/") or ":" in name:
        return False
    parts = PurePosixPath(name).parts
    return bool(parts) and ".." not in parts and not name.endswith("/")


def _open_zip(path: Path) -> zipfile.ZipFile:
    from app.fileio import check_input_file

    if not os.path.lexists(path):
        raise UserError(_("The file {path} does not exist.").format(path=path))
    check_input_file(path, MAX_FILE_BYTES)
    try:
        with path.open("rb") as fh:
            head = fh.read(4)
    except OSError as exc:
        raise UserError(_("Cannot read the file {path}: {error}").format(path=path, error=os_error_text(exc))) from None
    if head != b"PK\x03\x04":
        if head[:2] == b"PK":
            raise _damaged(path)
        raise _not_bundle(path)
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError):
        raise _damaged(path) from None


def _check_members(path: Path, zf: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _refused(_("The file {name} has too many parts ({n}).").format(name=path.name, n=len(infos)))
    names: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        if not _safe_member_name(info.filename):
            raise _refused(_("The file {name} contains a path outside its root: {member}.").format(
                name=path.name, member=info.filename[:80]))
        if info.filename in names:
            raise _refused(_("The file {name} contains the part {member} twice.").format(
                name=path.name, member=info.filename[:80]))
        if info.flag_bits & 0x1:
            raise _not_bundle(path)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _not_bundle(path)
        total += info.file_size
        ratio_bad = info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1)
        if total > MAX_PAYLOAD_BYTES + MAX_MANIFEST_BYTES or ratio_bad:
            raise _refused(_("The file {name} unpacks to far more data than an exchange file can hold "
                             "(a «zip bomb»).").format(name=path.name))
        names[info.filename] = info
    if MANIFEST not in names:
        raise _not_bundle(path)
    return names


def _read_member(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    if info.file_size > limit:
        raise _refused(_("The file {name} unpacks to far more data than an exchange file can hold "
                         "(a «zip bomb»).").format(name=path.name))
    chunks, total = [], 0
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(1 << 16):
                total += len(chunk)
                if total > limit:
                    raise _refused(_("The file {name} unpacks to far more data than an exchange file can hold "
                                     "(a «zip bomb»).").format(name=path.name))
                chunks.append(chunk)
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error, ValueError, NotImplementedError):
        raise _damaged(path) from None
    return b"".join(chunks)


def _json(data: bytes) -> object:
    def no_constants(value: str):
        raise ValueError(value)

    return json.loads(data.decode("utf-8"), parse_constant=no_constants)


def _parse_manifest(path: Path, raw: bytes) -> dict:
    try:
        manifest = _json(raw)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _not_bundle(path) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _not_bundle(path)
    version = manifest.get("format_version")
    if type(version) is not int or version < 1:
        raise _not_bundle(path)
    if version > FORMAT_VERSION:
        raise _refused(_("The file {name} was made by a newer version of the program (format {found}, this version "
                         "reads up to {supported}). Update the program.").format(
            name=path.name, found=version, supported=FORMAT_VERSION))
    for key in ("schema_revision", "payload"):
        if not isinstance(manifest.get(key), str) or len(manifest[key]) > 200:
            raise _not_bundle(path)
    if manifest["payload"] not in (PAYLOAD, PAYLOAD_ENC):
        raise _not_bundle(path)
    if manifest["payload"] == PAYLOAD or "created_at" in manifest:  # a sealed file keeps these inside
        _check_private(path, manifest)
    return manifest


def _check_private(path: Path, meta: object) -> dict:
    """The manifest items a sealed bundle carries inside its ciphertext: versions, time, source, counts."""
    if not isinstance(meta, dict):
        raise _damaged(path)
    for key in ("app_version", "created_at", "source_installation_id"):
        if not isinstance(meta.get(key), str) or len(meta[key]) > 200:
            raise _not_bundle(path)
    if not isinstance(meta.get("counts", {}), dict):
        raise _not_bundle(path)
    version = meta.get("exchange_version", 0)
    if type(version) is not int or not 0 <= version < 2**63:
        raise _not_bundle(path)
    if type(meta.get("team", False)) is not bool:
        raise _not_bundle(path)
    try:
        datetime.fromisoformat(meta["created_at"])
    except ValueError:
        raise _not_bundle(path) from None
    return meta


def _info(path: Path, manifest: dict) -> BundleInfo:
    counts = {str(k): int(v) for k, v in manifest.get("counts", {}).items() if type(v) is int}
    created = manifest.get("created_at")
    stamp = datetime.fromisoformat(created) if isinstance(created, str) else None
    if stamp is not None and stamp.tzinfo is not None:
        stamp = stamp.astimezone(UTC).replace(tzinfo=None)
    return BundleInfo(path=path, format_version=manifest["format_version"],
                      app_version=manifest.get("app_version", ""), schema_revision=manifest["schema_revision"],
                      created_at=stamp, source_installation_id=manifest.get("source_installation_id", ""),
                      encrypted=manifest.get("encryption") is not None, counts=counts,
                      demo=manifest.get("demo") is True, team=manifest.get("team") is True,
                      exchange_version=(int(manifest.get("exchange_version") or 0)
                                        if manifest["format_version"] >= 2 else None))


def read_info(path: str | Path) -> BundleInfo:
    """The manifest only: whether a password is needed, where the file comes from."""
    path = Path(path).expanduser()
    with _open_zip(path) as zf:
        names = _check_members(path, zf)
        manifest = _parse_manifest(path, _read_member(path, zf, names[MANIFEST], MAX_MANIFEST_BYTES))
    return _info(path, manifest)


def load_bundle(path: str | Path, password: str | None = None) -> tuple[BundleInfo, Changeset]:
    """Open, check, decrypt and decode a bundle completely, without touching any database."""
    path = Path(path).expanduser()
    with _open_zip(path) as zf:
        names = _check_members(path, zf)
        header = _read_member(path, zf, names[MANIFEST], MAX_MANIFEST_BYTES)
        manifest = _parse_manifest(path, header)
        payload_name = manifest["payload"]
        if set(names) != {MANIFEST, payload_name}:
            extra = sorted(set(names) - {MANIFEST, payload_name}) or [payload_name]
            raise _refused(_("The file {name} has unexpected contents: {members}.").format(
                name=path.name, members=", ".join(extra)[:200]))
        body = _read_member(path, zf, names[payload_name], MAX_PAYLOAD_BYTES)
    encryption = manifest.get("encryption")
    if payload_name == PAYLOAD_ENC:
        if encryption is None:
            raise _not_bundle(path)
        envelope = crypto.Envelope.from_json(encryption)
        if not password:
            raise UserError(_("The file {name} is protected with a password: give it with --password-file.").format(
                name=path.name))
        body = _inflate(path, crypto.decrypt(password, envelope, body, header))
    else:
        if encryption is not None:
            raise _not_bundle(path)
        expected = manifest.get("payload_sha256")
        if not isinstance(expected, str) or hashlib.sha256(body).hexdigest() != expected:
            raise _refused(_("The file {name} is damaged or was changed after it was made.").format(name=path.name))
    _check_revision(path, manifest["schema_revision"])
    try:
        data = _json(body)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _damaged(path) from None
    del body  # the parsed JSON replaces the bytes (issue 15: peak memory of an import)
    if payload_name == PAYLOAD_ENC and "created_at" not in manifest:
        manifest = {**manifest, **_check_private(path, data.get("manifest") if isinstance(data, dict) else None)}
    try:
        changeset = Changeset.from_json(data, consume=True)
    except BundleError as exc:
        raise _refused(exc.message) from None
    return _info(path, manifest), changeset


def check_bundle(path: str | Path, password: str | None = None) -> BundleInfo:
    """Check a whole bundle and its password without touching any database: what ``import_bundle`` refuses
    before its merge is refused here (UserError). A format-2 file is checked without holding its rows
    (app/exchange/bundle_stream.py); its records' values are then checked as they are merged."""
    from app.exchange.bundle_stream import open_stream

    streamed = open_stream(path, password)
    return streamed.info if streamed is not None else load_bundle(path, password)[0]


def _inflate(path: Path, packed: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        body = inflater.decompress(packed, MAX_PAYLOAD_BYTES + 1)
    except zlib.error:
        raise _damaged(path) from None
    if len(body) > MAX_PAYLOAD_BYTES or inflater.unconsumed_tail:
        raise _refused(_("The file {name} unpacks to far more data than an exchange file can hold "
                         "(a «zip bomb»).").format(name=path.name))
    if not inflater.eof:
        raise _damaged(path)
    return body


def _check_revision(path: Path, revision: str) -> None:
    from alembic.script import ScriptDirectory

    from app.persistence.migrate import alembic_config

    known = {r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if revision not in known:
        raise _refused(_("The file {name} was made by a newer version of the program (database schema {revision}). "
                         "Update the program.").format(name=path.name, revision=revision[:40]))


# ------------------------------------------------------------------ import


def import_bundle(db, path: str | Path, password: str | None = None, *, backup: bool = True,
                  now: datetime | None = None) -> ImportResult:
    """Merge a bundle: the whole file is checked first, then one transaction merges it, backed up (SQLite,
    ``backup``) before it commits when it changed anything (``ImportResult.backup_path`` None otherwise).

    A format-2 file is merged by versions (docs/sync.md «Bundles»: conflicts recorded for «sync conflicts»,
    no clock compared); a format-1 file, made by an older program, by the old rule (newer ``updated_at``
    wins), ``now`` (UTC, default the clock) being what «later than now» means for its records' dates."""
    from sqlalchemy.exc import DataError, IntegrityError

    from app.exchange.bundle_stream import final, open_stream

    # a format-2 file is checked whole, then merged as it is read again, a chunk of rows at a time (issue 15:
    # memory bounded whatever its size); another is read whole
    streamed = open_stream(path, password)
    if streamed is not None:
        info, changeset = streamed.info, Changeset()
    else:
        info, changeset = load_bundle(path, password)
    if info.demo:
        from app.services.demo_workspace import is_demo

        if not is_demo(db):
            raise _refused(_("The file {name} was exported from the demo database: demo data never go into real "
                             "data.").format(name=Path(path).name))
    backup_path = None
    try:
        with db.unit() as s, larger_page_cache(s.connection(), IMPORT_CACHE_KIB):
            written_before = _rows_written(s) if backup and db.is_sqlite else None
            if streamed is not None:
                report = streamed.merge(s)
            else:
                report = _merge_whole(s, info, changeset, now)
            from app.services.documents.act import reconcile_in

            # an act's work stays billed by it (issue 10); a format-2 merge records a double billing as a conflict
            reconcile_in(s, sorted(report.client_ids), refuse=not report.versioned)
            from app.sync.stages import settle_stages

            # two computers that moved one client each stand where the last move went (the history keeps both)
            settle_stages(s.connection(), report.client_ids)
            if backup and db.is_sqlite and db.sqlite_path is not None and _rows_written(s) != written_before:
                from app.exchange.backup import make_backup

                # Made once the merge is known to succeed, before it commits: under WAL the copy reads the
                # last committed state, i.e. the data before this import. A failed copy cancels the import.
                backup_path = make_backup(db, "pre-import").path
    except BundleError as exc:
        raise final(exc) from None
    except (IntegrityError, DataError) as exc:
        raise _refused(_("The file's records clash with the data here: {error}").format(
            error=str(exc.orig).strip().splitlines()[0][:200] if exc.orig else exc)) from None
    # a merge replaces records wholesale: the window re-reads everything and clears its undo history
    changes = Changes(client_ids=frozenset(report.client_ids)).merge(DATABASE_REPLACED)
    return ImportResult(info=info, report=report, backup_path=backup_path, changes=changes)


def _rows_written(s) -> int:
    """SQLite's count of rows inserted, updated or deleted on this connection, triggers' included
    (``total_changes()``): equal before and after a merge when the file changed nothing, and then there is
    nothing to back up (a 5 000-client database is a 230 MB copy)."""
    return int(s.connection().exec_driver_sql("SELECT total_changes()").scalar() or 0)


def _merge_whole(s, info: BundleInfo, changeset: Changeset, now: datetime | None) -> MergeReport:
    """The merge of a changeset read whole (``load_bundle``), with the team's checks of ``import_bundle``."""
    from app.exchange.origin import check_clients_met_by_inn

    # a client met here only by its ИНН: another computer's card (issue 17), refused before any write
    check_clients_met_by_inn(s, changeset, from_team=info.team)
    from app.sync.refused import others_in_file

    others = others_in_file(s, changeset)  # before the merge: the clients new here only
    report = apply(s, changeset, info.source_installation_id, made_at=info.created_at, now=now,
                   version=info.exchange_version, from_team=info.team)
    report.notes.extend(others)
    return report
