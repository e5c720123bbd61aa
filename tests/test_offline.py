"""Offline guarantee: tests run with network sockets blocked, and the application makes no network call."""

from __future__ import annotations

import ast
import json
import socket
import tomllib
from pathlib import Path

import pytest
from pytest_socket import SocketBlockedError

ROOT = Path(__file__).resolve().parent.parent
# Modules that talk to the network. The app has no business importing any of them.
NETWORK_MODULES = {
    "socket", "ssl", "http", "urllib", "urllib3", "requests", "httpx", "aiohttp", "ftplib", "smtplib", "poplib",
    "imaplib", "telnetlib", "xmlrpc", "websocket", "websockets", "socketserver",
    "PySide6.QtNetwork", "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtWebSockets",
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "__import__" and node.args:
            if isinstance(node.args[0], ast.Constant):
                names.add(str(node.args[0].value))
    return names


def _is_network(name: str) -> bool:
    return any(name == m or name.startswith(m + ".") for m in NETWORK_MODULES)


def test_the_app_imports_no_network_module():
    sources = [ROOT / "main.py", *sorted((ROOT / "app").rglob("*.py")), *sorted((ROOT / "ui").rglob("*.py"))]
    assert len(sources) > 20
    offenders = {f"{p.relative_to(ROOT)}: {name}" for p in sources for name in _imports(p) if _is_network(name)}
    assert offenders == set()


def test_the_scanner_would_notice_one(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import urllib.request\nfrom PySide6 import QtNetwork\nfrom http import client\n", encoding="utf-8")
    assert {n for n in _imports(bad) if _is_network(n)} >= {"urllib.request", "PySide6.QtNetwork", "http"}


def test_sockets_are_blocked_in_tests():
    with pytest.warns(UserWarning), pytest.raises(SocketBlockedError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.warns(UserWarning), pytest.raises(SocketBlockedError):
        socket.getaddrinfo("example.org", 443)


def test_the_block_is_configured_for_the_whole_suite():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    addopts = config["tool"]["pytest"]["ini_options"]["addopts"].split()
    assert "--disable-socket" in addopts and "--allow-unix-socket" in addopts
    assert not any(o.startswith("--allow-hosts") or o == "--force-enable-socket" for o in addopts)


def test_every_data_command_works_with_the_network_blocked(cli, sqlite_path, tmp_path):
    """A whole working session under the socket block: any network attempt would fail the command."""
    password = tmp_path / "pw"
    password.write_text("офлайн-пароль\n", encoding="utf-8")
    steps = [
        ("demo",),
        ("clients", "list", "--json"),
        ("checklist", "show", "1"),
        ("lessons", "show", "1", "--json"),
        ("backup",),
        ("backup", "-o", str(tmp_path / "copy.sqlite3")),
        ("export", "--all", "-o", str(tmp_path / "all.zip"), "--password-file", str(password)),
        ("import", str(tmp_path / "all.zip"), "--password-file", str(password)),
        ("restore", str(tmp_path / "copy.sqlite3")),
        ("erase-personal", "1", "--yes"),
        ("estimate", "--approach", "remote", "--conference-hours", "3", "--json"),
    ]
    for argv in steps:
        status, out, err = cli(*argv)
        assert status == 0, (argv, err)
        assert "Socket" not in err
    status, out, _ = cli("clients", "list", "--json")
    assert len(json.loads(out)) == 12


def test_the_gui_opens_with_the_network_blocked(qtbot, tmp_path):
    import ui

    window = ui.create_main_window(f"sqlite:///{tmp_path / 'gui.sqlite3'}")
    qtbot.addWidget(window)
    window.show()
    assert window.isVisible()
    assert window.wait_for_rows(60_000)  # the database opens behind the frame, under the same block
