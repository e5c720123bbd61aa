"""The window's print path (the preview dialog) takes the specialist from this computer's profile outside a team,
as the command line does (issue 17; tests/team/test_profile_on_paper.py)."""

from __future__ import annotations

import pytest

from app.services import documents as docs
from app.team.users import set_profile_name, set_profile_position
from tests.reports.helpers import EXECUTOR, build_world, pdf_text
from tests.ui.test_documents import ready
from ui.dialogs.documents import preview as view


@pytest.fixture
def db(tmp_path):
    """A laptop's SQLite file outside any team (the profile is a laptop's; on PostgreSQL the login signs)."""
    from app.persistence.db import open_database

    database = open_database(f"sqlite:///{tmp_path / 'laptop.sqlite3'}")
    yield database
    database.dispose()


def test_the_preview_prints_the_profile_and_offers_it_when_missing(qtbot, db, tmp_path):
    world = build_world(db, executor=False)
    docs.set_executor(db, EXECUTOR.__class__(**{**EXECUTOR.__dict__, "specialist_name": "",
                                                "specialist_position": "", "signer_name": "",
                                                "signer_position": ""}))
    dialog = ready(qtbot, view.progress_dialog(None, db, world.client_id))
    assert dialog.error is not None and "«team profile --name … --position …»" in dialog.error
    assert not dialog.executor_button.isHidden()  # the form is still one click away
    set_profile_name(db, "Сидорова Вера Павловна")
    set_profile_position(db, "Ведущий консультант")
    dialog.retry()
    qtbot.waitUntil(lambda: dialog.is_ready() or dialog.error is not None, timeout=20000)
    assert dialog.error is None
    assert dialog.save_to(str(tmp_path / "progress.pdf"))
    text = pdf_text((tmp_path / "progress.pdf").read_bytes())
    assert "Сидорова В.П." in text and "Ведущий консультант" in text


def test_the_start_page_counts_the_profile_as_printing_does(qtbot, db):
    from ui.views.first_run import FirstRunView

    docs.set_executor(db, EXECUTOR.__class__(**{**EXECUTOR.__dict__, "specialist_name": "",
                                                "signer_name": "", "signer_position": ""}))
    page = FirstRunView(db)
    qtbot.addWidget(page)
    page.refresh_requisites()
    assert page.requisites_card.status.isHidden()  # no specialist anywhere: printing refuses, the page says so
    assert page.requisites_button.text() == "Ввести реквизиты…"
    set_profile_name(db, "Сидорова Вера Павловна")
    page.refresh_requisites()
    assert page.requisites_card.status.text() == f"✓ Заполнено: {EXECUTOR.company}"
    assert page.requisites_button.text() == "Изменить реквизиты…"
