"""A format-2 bundle imported as a stream (issue 15: bounded memory, whatever the number of clients).

``load_bundle`` decodes the whole changeset into Python objects before the merge (1.1 GB for 5 000 clients).
``open_stream`` instead reads the payload twice, a chunk at a time, never holding its rows:

1. before the database is touched: the whole payload is checked (a sealed file's authenticity first, then) as
   ``load_bundle`` does — its digest, its JSON, the kinds of its tables and their order, the number of records —
   and the small parts beside the rows are kept: tombstones, the file's checklist items, the sealed manifest,
   its «delete» rows, the checklist codes its ticks mark done;
2. inside the import's transaction: ``StreamedBundle.merge`` reads the rows again, decodes and validates each
   chunk of one table and merges it (``versioned_stream.merge_chunks``); the second pass checks the digest or
   the authenticity again at its end, so a file changed between the passes is refused, and the transaction
   rolls back.

A file of another shape — format 1, a key twice, tables out of their order, an unknown table — is read whole by
``load_bundle`` (``open_stream`` returns None): those are old or hand-made files, and ``load_bundle`` words
their refusals. A record's refusal (a value, a rule) comes from the second pass, inside the transaction: the
import is refused with the same words and nothing changes.
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.errors import UserError
from app.exchange import crypto
from app.exchange.bundle_error import BundleError
from app.exchange.changeset import MAX_ROWS, Changeset
from app.exchange.json_stream import Unstreamable, events
from app.exchange.merge_report import MergeReport
from app.exchange.row_change import RowChange
from app.exchange.table_specs import spec, table_specs
from app.i18n import _, format_number

CHUNK_BYTES = 1 << 20  # payload bytes read at a time


@dataclass
class StreamedBundle:
    """A bundle checked by ``open_stream``: its manifest and small parts; ``merge`` reads its rows."""

    path: Path
    manifest: dict
    header: bytes
    key: bytes | None  # a sealed file's AES key
    head: Changeset  # tombstones and checklist items, no rows
    deletes: list[RowChange] = field(default_factory=list)
    ticked: set[str] = field(default_factory=set)

    @property
    def info(self):
        from app.exchange.bundle import _info

        return _info(self.path, self.manifest)

    def payload(self) -> Iterator[bytes]:
        """The payload's plaintext, a chunk at a time, checked at its end (digest or authenticity)."""
        return _payload(self.path, self.manifest, self.header, self.key)

    def rows(self, size: int) -> Iterator[tuple[str, list[RowChange]]]:
        """The file's upserts decoded, ``size`` rows of one table at a time (its «delete» rows are in
        ``deletes``). BundleError for a row that does not decode, or the file changed since it was checked."""
        from app.exchange.bundle import _damaged
        from app.exchange.row_decode import _decode_row

        chunk: list[RowChange] = []
        seen: set[str] = set()
        try:
            for event in events(self.payload()):
                if event[0] == "row":
                    raw = event[2]
                    if isinstance(raw, dict) and raw.get("op", "upsert") == "delete":
                        continue
                    row = _decode_row(spec(event[1]), raw)
                    if row.uuid in seen:
                        raise BundleError(_("The file contains the record {uuid} twice.").format(uuid=row.uuid))
                    seen.add(row.uuid)
                    chunk.append(row)
                    if len(chunk) >= size:
                        yield event[1], chunk
                        chunk, seen = [], set()
                elif event[0] == "end" and chunk:
                    yield event[1], chunk
                    chunk, seen = [], set()
        except (ValueError, Unstreamable):
            raise _damaged(self.path) from None

    def merge(self, s: Session, size: int | None = None) -> MergeReport:
        """Merge the file in the caller's transaction, as ``apply.apply`` merges a format-2 changeset, with the
        team's checks of ``bundle_import.import_bundle`` (a client met by ИНН only; other members' clients)."""
        from app.exchange.origin import MetByInn
        from app.exchange.versioned_stream import CHUNK_ROWS, merge_chunks
        from app.sync.import_note import others_names, others_sentence

        info = self.info
        met = MetByInn(s, from_team=info.team)
        others: list[str] = []

        def watch(table: str, rows: list[RowChange]) -> None:
            if table == "client":
                met.clients(s, rows)
                others.extend(others_names(s, rows))
            elif table == "document":
                met.documents(rows)

        report = merge_chunks(s, self.head, self.deletes, self.rows(size or CHUNK_ROWS), self.ticked,
                              info.source_installation_id or "", info.exchange_version or 0,
                              made_at=info.created_at, from_team=info.team, watch=watch)
        met.finish(s)
        report.notes.extend(others_sentence(others))
        return report


def open_stream(path: str | Path, password: str | None = None) -> StreamedBundle | None:
    """Check a bundle completely without holding its rows (see the module); None when it is to be read whole
    (``load_bundle``). Raises what ``load_bundle`` raises for a file it refuses, before any database is touched."""
    from app.exchange import bundle as b
    from app.exchange import bundle_read as r

    path = Path(path).expanduser()
    with r._open_zip(path) as zf:
        names = r._check_members(path, zf)
        header = r._read_member(path, zf, names[b.MANIFEST], b.MAX_MANIFEST_BYTES)
        manifest = r._parse_manifest(path, header)
        payload_name = manifest["payload"]
        if set(names) != {b.MANIFEST, payload_name}:
            return None  # load_bundle names the unexpected parts
        if names[payload_name].file_size > b.MAX_PAYLOAD_BYTES:
            return None  # and refuses the size
    if manifest["format_version"] < 2:
        return None
    encryption = manifest.get("encryption")
    key = None
    if payload_name == b.PAYLOAD_ENC:
        if encryption is None:
            raise b._not_bundle(path)
        envelope = crypto.Envelope.from_json(encryption)
        if not password:
            raise UserError(_("The file {name} is protected with a password: give it with --password-file.").format(
                name=path.name))
        key = crypto.unlock(password, envelope)
        for _piece in crypto.decrypt_stream(key, envelope, _member(path, payload_name), header):
            pass  # the authenticity of the whole first, as ``crypto.decrypt``
    else:
        if encryption is not None:
            raise b._not_bundle(path)
        if not isinstance(manifest.get("payload_sha256"), str):
            raise b._refused(_("The file {name} is damaged or was changed after it was made.").format(name=path.name))
    streamed = StreamedBundle(path=path, manifest=manifest, header=header, key=key, head=Changeset())
    chunks = streamed.payload()
    try:
        members, total = _skim(streamed, chunks)
    except Unstreamable:
        for _piece in chunks:
            pass  # a damaged file is said to be damaged, not odd
        return None
    except (ValueError, RecursionError):
        for _piece in chunks:
            pass  # the digest's verdict first, as ``load_bundle``
        r._check_revision(path, manifest["schema_revision"])
        raise b._damaged(path) from None
    except BundleError as exc:
        for _piece in chunks:
            pass
        r._check_revision(path, manifest["schema_revision"])
        raise final(exc) from None
    r._check_revision(path, manifest["schema_revision"])
    if payload_name == b.PAYLOAD_ENC and "created_at" not in manifest:
        streamed.manifest = {**manifest, **r._check_private(path, members.get("manifest"))}
    try:
        streamed.head.decode_head(members, total)
    except BundleError as exc:
        raise b._refused(exc.message) from None
    return streamed


def _skim(streamed: StreamedBundle, chunks: Iterator[bytes]) -> tuple[dict[str, Any], int]:
    """The first pass: (the members beside the tables, the number of rows); fills the bundle's «delete» rows and
    ticked codes. Unstreamable for a file ``load_bundle`` must read; ValueError for text that is not JSON."""
    from app.exchange.row_decode import _decode_row

    order = [t.name for t in table_specs()]
    members: dict[str, Any] = {}
    total = 0
    last = -1
    tables = False
    for event in events(chunks):
        kind = event[0]
        if kind == "row":
            total += 1
            if total > MAX_ROWS:
                raise BundleError(_("The file has too many records (more than {n}).").format(n=format_number(MAX_ROWS)))
            raw = event[2]
            if not isinstance(raw, dict):
                raise Unstreamable
            if raw.get("op", "upsert") == "delete":
                streamed.deletes.append(_decode_row(spec(event[1]), raw))
            elif event[1] == "checklist_state":
                values = raw.get("values")
                if isinstance(values, dict) and values.get("done") and isinstance(values.get("code"), str):
                    streamed.ticked.add(values["code"])
        elif kind == "table":
            if event[1] not in order or order.index(event[1]) <= last:
                raise Unstreamable  # an unknown kind of record, or tables out of the merge's order
            last = order.index(event[1])
        elif kind == "member":
            members[event[1]] = event[2]
        elif kind == "tables":
            tables = True
    if not tables:
        raise Unstreamable
    return members, total


def final(exc: BundleError) -> BundleError:
    """The refusal of an import: ``exc`` when it is worded as one already (a file refused while it was read),
    else its message as one."""
    from app.exchange.bundle import _refused

    return exc if exc.message.endswith(_("Nothing was imported.")) else _refused(exc.message)


def _member(path: Path, name: str) -> Iterator[bytes]:
    """A zip member's bytes, a chunk at a time, within the payload's size limit."""
    from app.exchange import bundle as b
    from app.exchange import bundle_read as r

    total = 0
    try:
        with r._open_zip(path) as zf:
            with zf.open(name) as fh:
                while chunk := fh.read(CHUNK_BYTES):
                    total += len(chunk)
                    if total > b.MAX_PAYLOAD_BYTES:
                        raise b._refused(_("The file {name} unpacks to far more data than an exchange file can hold "
                                           "(a «zip bomb»).").format(name=path.name))
                    yield chunk
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error, KeyError, NotImplementedError):
        raise b._damaged(path) from None


def _payload(path: Path, manifest: dict, header: bytes, key: bytes | None) -> Iterator[bytes]:
    from app.exchange import bundle as b

    name = manifest["payload"]
    if key is None:
        digest = hashlib.sha256()
        for chunk in _member(path, name):
            digest.update(chunk)
            yield chunk
        if digest.hexdigest() != manifest["payload_sha256"]:
            raise b._refused(_("The file {name} is damaged or was changed after it was made.").format(name=path.name))
        return
    envelope = crypto.Envelope.from_json(manifest["encryption"])
    inflater = zlib.decompressobj()
    total = 0
    try:
        for plain in crypto.decrypt_stream(key, envelope, _member(path, name), header):
            data = plain
            while data:
                out = inflater.decompress(data, CHUNK_BYTES)
                data = inflater.unconsumed_tail
                total += len(out)
                if total > b.MAX_PAYLOAD_BYTES:
                    raise b._refused(_("The file {name} unpacks to far more data than an exchange file can hold "
                                       "(a «zip bomb»).").format(name=path.name))
                if out:
                    yield out
        out = inflater.flush()
    except zlib.error:
        raise b._damaged(path) from None
    if out:
        yield out
    if not inflater.eof:
        raise b._damaged(path)
