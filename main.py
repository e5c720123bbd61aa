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
    """The program: ``argv`` (default ``sys.argv[1:]``) with a command runs it headless (app.cli.run) and returns
    its exit status; without one it opens the window. Called as the program (no ``argv``), a command's outcome is
    final once decided: a Ctrl+C while the interpreter closes (~0.1 s) or a second one while «Прервано.» is said
    is ignored instead of killing the process (status 130 after a command that succeeded)."""
    as_program = argv is None
    argv = sys.argv[1:] if argv is None else argv
    if _has_command(argv):
        try:
            from app.cli import run

            status = run(argv)
        except KeyboardInterrupt:  # Ctrl+C while the program loads, before app.cli.run catches it itself
            status = _interrupted(as_program)
        except Exception as exc:  # Ctrl+C wrapped by Python (app.interrupts), else a real error: raised
            if not _interrupt_in(exc):
                raise
            status = _interrupted(as_program)
        if as_program:
            _ignore_interrupts()
        return status
    noted = _note_quit_signals()
    from ui.app import run_gui

    return run_gui(argv, noted)


def _interrupt_in(exc: Exception) -> bool:
    try:
        from app.interrupts import caused_by_interrupt
    except BaseException:  # a second Ctrl+C while it loads: the first one is what counts
        return True
    return caused_by_interrupt(exc)


def _interrupted(as_program: bool = False) -> int:
    """Say «Прервано.» as app.cli.run does for a command stopped by Ctrl+C; exit status 1 (app.cli.EXIT_INTERNAL).
    The catalog may itself be half loaded when the key came, so the message falls back to Russian text."""
    if as_program:
        _ignore_interrupts()
    try:
        from app.i18n import _

        message = _("Interrupted.")
    except BaseException:  # a second Ctrl+C, or the catalog not loadable: still no traceback
        message = "Прервано."
    print(message, file=sys.stderr)
    return 1


def _ignore_interrupts() -> None:
    """Ignore Ctrl+C from here on (the command's result is known; only the interpreter's exit is left)."""
    import signal

    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: nothing to protect here
        pass


def _note_quit_signals() -> list[int]:
    """Note Ctrl+C and SIGTERM from here on instead of raising them: one that came while PySide loaded crashed the
    interpreter («libshiboken/signature: could not initialize»). The window closes for them once it runs
    (ui.controllers.quit_signals); a signal the parent set to be ignored stays ignored. POSIX only."""
    import os
    import signal

    noted: list[int] = []
    if os.name == "posix":
        for signum in (signal.SIGINT, signal.SIGTERM):
            if signal.getsignal(signum) is not signal.SIG_IGN:
                signal.signal(signum, lambda number, _frame: noted.append(number))
    return noted


if __name__ == "__main__":
    sys.exit(main())
