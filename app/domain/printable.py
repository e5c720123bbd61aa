"""Stored text as one line of a terminal or a report: line breaks and control characters made visible."""

from __future__ import annotations


def printable(text: str) -> str:
    """Stored text as one terminal line: line breaks as « / », other control and format characters
    (terminal escape codes, bidi overrides kept in older databases) shown as ``\\x1b``-style escapes."""
    import unicodedata

    out = []
    for ch in text.replace("\r\n", "\n"):
        if ch == "\n":
            out.append(" / ")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            out.append(ascii(ch)[1:-1])
        else:
            out.append(ch)
    return "".join(out)
