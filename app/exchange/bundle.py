"""Export/import bundles: their format and limits, what a manifest says (BundleInfo), the words of a refused file.

Layout: ``manifest.json`` and either ``changes.json`` or ``changes.json.enc`` (AES-GCM over the
zlib-compressed changeset, with the exact manifest bytes as authenticated data). A plain bundle's
manifest says the format, versions, schema revision, creation time, source installation and record
counts. A sealed bundle's manifest keeps in the clear only what is needed to ask for the password and
check the format (format, format version, schema revision, encryption parameters); the rest travels
inside the ciphertext as the changeset's ``manifest`` member. Reading refuses anything unexpected
before the database is touched; the merge runs in one transaction.

Written by ``bundle_export``, opened and checked by ``bundle_read`` (a format-2 file read as a stream:
``bundle_stream``), merged by ``bundle_import``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from app.exchange.bundle_error import BundleError
from app.i18n import _

FORMAT = "vnedrenie-bundle"
FORMAT_VERSION = 2  # 2: version-based merge (exchange_version, bases); 1: an older program's, newer updated_at wins
MANIFEST = "manifest.json"
PAYLOAD = "changes.json"
PAYLOAD_ENC = "changes.json.enc"
SUFFIX = ".zip"

MAX_FILE_BYTES = 512 * 1024 * 1024
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
