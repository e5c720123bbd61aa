"""Command lines the billing tests share: a remote client of 1 500 ₽ an hour under an executor without VAT, and
running a list of commands on the test's database."""

from __future__ import annotations

C = "7707083893"
EXECUTOR_NO_VAT = ("executor", "set", "--company", "ИП Иванов", "--inn", "500100732259", "--address", "Москва",
                   "--city", "Москва", "--specialist-name", "Иванов И. И.", "--specialist-position", "Специалист",
                   "--vat", "none")
REMOTE_CLIENT = (("clients", "add", "--name", "ООО Ромашка", "--inn", C, "--approach", "remote",
                  "--contract-date", "2026-01-10"),
                 ("clients", "edit", C, "--kpp", "773601001"),
                 ("billing", "rate", "remote_hour", "1500", "--from", "2026-01-01"))
STAGE_1_BILLED = (("stage", "advance", C, "--force", "--reason", "начали"),
                  ("log", "add", C, "--kind", "conference", "--date", "2026-03-02", "--minutes", "55", "--stage", "1"),
                  ("log", "add", C, "--kind", "questions", "--date", "2026-03-05", "--minutes", "30", "--stage", "1"))


def act_of_march(tmp_path) -> tuple[str, ...]:
    """The command issuing March's act (АУ-1/2026 on a fresh database) into ``tmp_path``."""
    return ("report", "act", C, "--from", "2026-03-01", "--to", "2026-03-31", "--date", "2026-03-31",
            "-o", str(tmp_path / "act.pdf"))


def run_all(cli, *commands: tuple[str, ...]) -> None:
    """Run each command line through the ``cli`` fixture; each must succeed."""
    for argv in commands:
        status, _out, err = cli(*argv)
        assert status == 0, (argv, err)


def work_log_summary(tmp_path, qtbot, entries: int):
    """The work-log window over the ``cli`` fixture's database (client 1) once its ``entries`` rows are in, shown at
    1366×768: (the view, its summary line's text); the caller closes the view and disposes of ``view.db``."""
    from app.config import sqlite_url
    from app.persistence.db import open_database
    from ui.views.worklog import WorkLogView

    view = WorkLogView(open_database(sqlite_url(tmp_path / "cli.sqlite3")))
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    view.set_client(1)
    qtbot.waitUntil(lambda: f"Записей: {entries}" in view.totals_label.text())
    return view, view.totals_label.text()
