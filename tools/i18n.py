"""Translation upkeep: `python -m tools.i18n missing` lists source strings the ru catalogue lacks;
`python -m tools.i18n pot` writes i18n/vnedrenie.pot. Each area keeps its own i18n/ru/LC_MESSAGES/*.po."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
SOURCES = ("app", "ui", "main.py")
# argparse's own messages we route through our catalog (app.cli._translate_argparse)
ARGPARSE = [
    "usage: ", "the following arguments are required: %s", "unrecognized arguments: %s",
    "invalid choice: %(value)r (choose from %(choices)s)", "argument %(argument_name)s: %(message)s",
    "expected one argument", "invalid %(type)s value: %(value)r", "show this help message and exit",
    "positional arguments", "options", "not allowed with argument %s", "one of the arguments %s is required",
    "ambiguous option: %(option)s could match %(matches)s", "expected at least one argument",
    "show program's version number and exit", "%(prog)s: error: %(message)s\n",
]


def source_messages() -> dict[str, str]:
    """msgid -> first place it is used, from every _()/N_()/ngettext() call in the sources."""
    from babel.messages.extract import extract_from_dir, extract_from_file

    found: dict[str, str] = {}
    for src in SOURCES:
        path = ROOT / src
        if path.is_dir():
            items = ((f"{src}/{fn}", ln, msg) for fn, ln, msg, _c, _ctx in
                     extract_from_dir(str(path), method_map=[("**.py", "python")], keywords=KEYWORDS))
        else:
            items = ((src, ln, msg) for ln, msg, _c, _ctx in extract_from_file("python", str(path), keywords=KEYWORDS))
        for where, line, message in items:
            for msgid in (message if isinstance(message, tuple) else (message,)):
                if msgid:
                    found.setdefault(msgid, f"{where}:{line}")
    for msgid in ARGPARSE:
        found.setdefault(msgid, "argparse")
    return found


def missing(language: str = "ru") -> dict[str, str]:
    from app.i18n import load_catalog

    catalog = load_catalog(language)
    # a plural entry translates both its forms (source_messages lists ngettext's singular and plural apart)
    have = {msgid for m in catalog if m.id and m.string for msgid in ((m.id,) if isinstance(m.id, str) else m.id)}
    return {msgid: where for msgid, where in source_messages().items() if msgid not in have}


def write_pot() -> Path:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(project="vnedrenie", domain="vnedrenie")
    for msgid, where in sorted(source_messages().items()):
        file, _sep, line = where.partition(":")
        catalog.add(msgid, locations=[(file, int(line))] if line else [])
    target = ROOT / "i18n" / "vnedrenie.pot"
    with target.open("wb") as fh:
        write_po(fh, catalog, width=110)
    return target


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else "missing"
    if command == "add":  # python -m tools.i18n add i18n/ru/LC_MESSAGES/area.po pairs.json
        import json

        pairs = json.loads(Path(sys.argv[3]).read_text(encoding="utf-8"))
        print(add_translations(ROOT / sys.argv[2], pairs))
    elif command == "pot":
        print(write_pot())
    else:
        gaps = missing()
        for msgid, where in gaps.items():
            print(f"{where}\t{msgid!r}")
        sys.exit(1 if gaps else 0)


def add_translations(po_path: Path, translations: dict[str, str], language: str = "ru") -> int:
    """Add or update msgid -> msgstr pairs in one area's .po file (created when missing)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po


    if po_path.exists():
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=language)
    else:
        catalog = Catalog(locale=language, domain="vnedrenie", project="vnedrenie")
    for msgid, msgstr in translations.items():
        catalog.add(msgid, msgstr)
    po_path.parent.mkdir(parents=True, exist_ok=True)
    with po_path.open("wb") as fh:
        write_po(fh, catalog, width=110, sort_output=True, omit_header=False)
    return len(translations)


if __name__ == "__main__":
    main()
