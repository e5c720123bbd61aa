"""Ctrl+C at any moment of a command, the first fraction of a second included, says «Прервано.» with no traceback.

A user trial pressed Ctrl+C right after starting a command: while Python was still loading the program
(before app.cli.run's own handler), a raw KeyboardInterrupt traceback came out."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest

import main

ROOT = Path(__file__).resolve().parents[2]


def test_interrupt_while_the_commands_load_is_one_line(monkeypatch, tmp_path, capsys):
    loading = types.ModuleType("app.cli")

    def __getattr__(name):  # the key pressed while «from app.cli import run» runs
        raise KeyboardInterrupt

    loading.__getattr__ = __getattr__  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "app.cli", loading)
    status = main.main(["--db", str(tmp_path / "db.sqlite3"), "clients", "list"])
    err = capsys.readouterr().err
    assert status == 1
    assert err.strip() == "Прервано."
    assert not (tmp_path / "db.sqlite3").exists()


@pytest.mark.skipif(os.name != "posix", reason="SIGINT to a child process: POSIX")
@pytest.mark.parametrize("delay", [0.15, 0.3, 0.5, 0.8])
def test_real_ctrl_c_early_in_a_command_leaves_no_traceback(tmp_path, delay):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--db", str(tmp_path / "db.sqlite3"),
                             "clients", "list"], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert "Traceback" not in err, err
    assert "KeyboardInterrupt" not in err, err
    # stopped (one Russian line) or finished before the key arrived (a normal answer)
    assert (proc.returncode == 1 and err.strip() == "Прервано.") or proc.returncode == 0, (proc.returncode, out, err)


def _program(tmp_path, body: str) -> subprocess.CompletedProcess:
    """Run ``body`` in a fresh interpreter beside main.py, as the program runs (main.main() without argv)."""
    script = tmp_path / "program.py"
    script.write_text("import os, signal, sys, time\n"
                      f"sys.path.insert(0, {str(ROOT)!r})\n"
                      f"sys.argv = ['main.py', '--db', {str(tmp_path / 'db.sqlite3')!r}, 'clients', 'list']\n"
                      "import main\n" + body, encoding="utf-8")
    return subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(os.name != "posix", reason="SIGINT to itself: POSIX")
def test_ctrl_c_while_the_interpreter_closes_keeps_the_commands_status(tmp_path):
    # the command ran and printed its answer; the key comes during the interpreter's ~0.1 s exit
    done = _program(tmp_path, "status = main.main()\nos.kill(os.getpid(), signal.SIGINT)\ntime.sleep(0.3)\n"
                              "sys.exit(status)\n")
    assert done.returncode == 0, done
    assert "Traceback" not in done.stderr and "KeyboardInterrupt" not in done.stderr, done.stderr


def _app_cli_loading(getattr_source: str) -> str:
    """Program lines that put a stand-in ``app.cli`` in place, whose ``__getattr__`` (defined by
    ``getattr_source``) runs when main.py takes ``run`` from it: what happens while the module loads."""
    return ("import types\nloading = types.ModuleType('app.cli')\n" + getattr_source
            + "loading.__getattr__ = __getattr__\nsys.modules['app.cli'] = loading\n")


@pytest.mark.skipif(os.name != "posix", reason="SIGINT to itself: POSIX")
def test_a_second_ctrl_c_while_interrupted_is_said_changes_nothing(tmp_path):
    # the first key stops the command as it loads; the second comes while «Прервано.» is being written
    done = _program(tmp_path, _app_cli_loading("""
def __getattr__(name):
    raise KeyboardInterrupt
""") + """
class PressedAgain:
    def __init__(self, stream):
        self.stream, self.pressed = stream, False
    def write(self, text):
        if not self.pressed:
            self.pressed = True
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)
        return self.stream.write(text)
    def flush(self):
        self.stream.flush()

sys.stderr = PressedAgain(sys.stderr)
sys.exit(main.main())
""")
    assert done.returncode == 1, done
    assert done.stderr.strip() == "Прервано.", done.stderr


def test_a_ctrl_c_python_wraps_while_a_module_loads_is_said_not_shown_as_a_traceback(tmp_path):
    # Python 3.11 wraps an exception raised in __set_name__ (a dataclass field made while app.persistence.db
    # loads) in RuntimeError: the suite's SIGINT once landed there and main.py printed the traceback
    done = _program(tmp_path, _app_cli_loading("""
class Pressed:
    def __set_name__(self, owner, name):
        raise KeyboardInterrupt
def __getattr__(name):
    class Database:  # as a module's class is made while it loads
        field = Pressed()
    raise AssertionError("not reached")
""") + "sys.exit(main.main())\n")
    assert done.returncode == 1, done
    assert done.stderr.strip() == "Прервано.", done.stderr


def test_a_real_error_while_the_program_loads_is_not_taken_for_a_ctrl_c(tmp_path):
    done = _program(tmp_path, _app_cli_loading("""
def __getattr__(name):
    raise RuntimeError("a broken installation")
""") + "sys.exit(main.main())\n")
    assert done.returncode == 1 and "a broken installation" in done.stderr and "Прервано" not in done.stderr, done


def test_caused_by_interrupt_follows_the_chain_and_stops_at_a_cycle():
    from app.interrupts import caused_by_interrupt

    wrapped = RuntimeError("Error calling __set_name__")
    wrapped.__cause__ = KeyboardInterrupt()
    during = ValueError("while handling")
    during.__context__ = wrapped
    plain, looped = ValueError("plain"), ValueError("a")
    other = ValueError("b")
    looped.__context__, other.__context__ = other, looped
    assert caused_by_interrupt(KeyboardInterrupt()) and caused_by_interrupt(wrapped) and caused_by_interrupt(during)
    assert not caused_by_interrupt(plain) and not caused_by_interrupt(looped)
