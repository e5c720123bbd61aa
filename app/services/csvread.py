"""Reading a CSV file as people have it: encoding, separator, Excel's ``sep=`` line, physical line numbers.

The result is plain records, each with the physical line it starts on (a quoted cell may span lines),
so every message can name the line a person sees in a text editor. Nothing here knows about clients."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from app.errors import UserError
from app.i18n import _

SEPARATORS = ";,\t|"
SEPARATOR_NAMES = {";": "«;»", ",": "«,»", "\t": "табуляция", "|": "«|»"}
_SEP_LINE = re.compile(r"^\ufeff?\s*sep\s*=\s*(.)\s*$", re.IGNORECASE)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# A cell is bounded by the file size limit of the caller; the csv module's own default limit
# (131 072 characters) would otherwise end the import with «field larger than field limit».
csv.field_size_limit(64 * 1024 * 1024)


@dataclass(frozen=True)
class Record:
    """One CSV record: the physical line it starts on (1-based) and its cells as read."""

    line: int
    cells: list[str]


@dataclass(frozen=True)
class CsvTable:
    """A decoded, split file: the separator found, the header record and the data records."""

    separator: str
    header: Record
    rows: list[Record]


def _line_encoding(line: bytes) -> str:
    """``ascii``, ``utf-8`` or ``other`` for one physical line of bytes."""
    if line.isascii():
        return "ascii"
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return "other"
    return "utf-8"


def decode(raw: bytes) -> str:
    """The text of a file: UTF-16 with a BOM (Excel's «Unicode text»), UTF-8 with or without BOM, or one
    Cyrillic single-byte encoding found by charset-normalizer (Windows-1251 as Russian Excel saves,
    KOI8-R, CP866). A file whose lines are in different encodings (a Windows-1251 header over UTF-8
    rows) is refused naming the lines, rather than read as mojibake (UserError)."""
    if raw.startswith(_UTF16_BOMS):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise UserError(_("The file is not a text CSV file.")) from None
    if b"\x00" in raw[:4096]:
        raise UserError(_("The file is not a text CSV file."))
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    kinds = [_line_encoding(line) for line in raw.split(b"\n")]
    if "other" not in kinds:
        return raw.decode("utf-8")
    if "utf-8" in kinds:
        utf8 = [n for n, k in enumerate(kinds, start=1) if k == "utf-8"]
        other = [n for n, k in enumerate(kinds, start=1) if k == "other"]
        raise UserError(_("The file mixes two encodings: line {other} is not UTF-8 (Windows-1251?) while line "
                          "{utf8} is UTF-8. Save the whole file again in one encoding (UTF-8 is best).").format(
            other=other[0], utf8=utf8[0]))
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=["cp1251", "koi8_r", "cp866", "mac_cyrillic"]).best()
    encoding = best.encoding if best is not None else "cp1251"
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        raise UserError(_("The file is neither UTF-8 nor Windows-1251 text.")) from None


def _records(text: str, separator: str, first_line: int) -> list[Record]:
    """Split ``text`` (which starts at physical line ``first_line``) into records with their start line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    records: list[Record] = []
    consumed = 0
    while True:
        start = first_line + consumed
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            raise UserError(_("The CSV file cannot be read from line {n}: a quote («\"») opens a cell and is "
                              "never closed, or stray quotes stand inside a cell.").format(n=start)) from None
        consumed = reader.line_num
        if any(cell.strip() for cell in cells):
            records.append(Record(start, cells))
    return records


def _sniff(sample: str) -> str | None:
    try:
        return csv.Sniffer().sniff(sample, delimiters=SEPARATORS).delimiter
    except csv.Error:
        return None


def read_table(raw: bytes, score_header) -> CsvTable:
    """Decode ``raw``, find the separator and split it into a header and rows.

    An Excel ``sep=X`` first line fixes the separator (the header is then on line 2). Otherwise the
    csv module's Sniffer proposes one; ``score_header(cells) -> int`` (how many header cells the caller
    knows) decides between it and the other usual separators, so a header the Sniffer misreads still
    splits right. UserError for an empty or unreadable file."""
    text = decode(raw)
    if not text.strip():
        raise UserError(_("The file is empty."))
    first_line = 1
    lines = text.splitlines(keepends=True)
    forced = None
    if lines and (match := _SEP_LINE.match(lines[0].rstrip("\r\n"))):
        forced = match.group(1)
        text = "".join(lines[1:])
        first_line = 2
    if forced is not None:
        candidates = [forced]
    else:
        sniffed = _sniff("".join(lines[:20]))
        candidates = list(dict.fromkeys([*([sniffed] if sniffed else []), *SEPARATORS]))
    best: tuple[int, int, str, list[Record]] | None = None
    failure: UserError | None = None
    for order, separator in enumerate(candidates):
        try:
            records = _records(text, separator, first_line)
        except UserError as exc:
            failure = failure or exc
            continue
        if not records:
            raise UserError(_("The file is empty."))
        score = score_header(records[0].cells)
        if best is None or score > best[0]:
            best = (score, -order, separator, records)
    if best is None:
        assert failure is not None
        raise failure
    _score, _order, separator, records = best
    return CsvTable(separator, records[0], records[1:])
