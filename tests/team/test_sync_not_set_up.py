"""Issue 17 (brief fix17a point 4): `sync` on a laptop never set up refuses (exit 2) saying what to run, `sync
status` says how to connect it, and a `sync setup` refused on a laptop never connected promises no «next sync»
(it has none yet): it says to run the setup again."""

from __future__ import annotations

from tests.team.conftest import NOT_SET_UP, PASSWORD


def test_sync_on_a_laptop_never_set_up_is_refused_with_what_to_run(cli):
    assert cli("sync") == (2, "", "Ноутбук не подключён к серверу команды: сначала выполните «sync setup "
                                  "--database-url …».\n")
    assert cli("sync", "now")[0] == 2
    assert cli("sync", "status") == (0, NOT_SET_UP + "\n", "")


def test_setup_of_a_laptop_never_connected_promises_no_next_sync(cli, tmp_path, sqlite_path):
    from app.persistence.db import open_database
    from app.persistence.models import Setting

    pw = tmp_path / "pw.txt"
    pw.write_text(PASSWORD + "\n", encoding="utf-8")
    url = "postgresql+psycopg://ann@127.0.0.1:1/team"  # nothing answers there
    status, out, err = cli("sync", "setup", "--database-url", url, "--password-file", str(pw))
    assert (status, out, err) == (2, "", "Нет связи с сервером команды: по адресу 127.0.0.1, порт 1, никто не "
                                         "отвечает (проверьте адрес и порт); ноутбук ещё не подключён — повторите "
                                         "«sync setup», когда сервер ответит.\n")
    assert cli("sync", "status") == (0, NOT_SET_UP + "\n", "")  # nothing stored
    db = open_database(f"sqlite:///{sqlite_path}")  # a laptop connected before: its changes wait for a sync
    try:
        with db.unit() as s:
            s.add(Setting(key="sync.url", value=url))
    finally:
        db.dispose()
    status, _out, err = cli("sync", "setup", "--database-url", url, "--password-file", str(pw))
    assert status == 2 and err.endswith("и будут отправлены при следующей синхронизации.\n"), err
