"""Reading a bundle: its zip and manifest checked, its payload decrypted and decoded, without touching any database."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
import zlib
from datetime import datetime
from pathlib import Path, PurePosixPath

from app.errors import UserError, os_error_text
from app.exchange import crypto
from app.exchange.bundle import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MAX_FILE_BYTES,
    MAX_MANIFEST_BYTES,
    MAX_MEMBERS,
    MAX_PAYLOAD_BYTES,
    MAX_RATIO,
    PAYLOAD,
    PAYLOAD_ENC,
    RATIO_FLOOR,
    BundleInfo,
    _damaged,
    _info,
    _not_bundle,
    _refused,
)
from app.exchange.bundle_error import BundleError
from app.exchange.changeset import Changeset
from app.i18n import _, format_number


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
        raise _refused(_("The file {name} has too many parts ({n}).").format(name=path.name, n=format_number(len(infos))))
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
