"""Entry point: no command opens the main window; a command runs headless (see app.cli)."""

from __future__ import annotations

import sys


def _has_command(argv: list[str]) -> bool:
    """True when argv names a command (or asks for help/version) rather than only database options."""
    options_with_value = {"--db", "--database-url", "--lang"}
    window_flags = {"--quit-when-loaded"}
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in window_flags:
            continue
        if arg in options_with_value:
            skip = True
            continue
        if arg.split("=", 1)[0] in options_with_value:
            continue
        return True
    return False


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if _has_command(argv):
        from app.cli import run

        return run(argv)
    from ui.app import run_gui

    return run_gui(argv)


if __name__ == "__main__":
    sys.exit(main())
