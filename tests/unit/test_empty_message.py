"""An empty message translates to an empty text, not to the catalogue's header."""

from __future__ import annotations

from app import i18n


def test_an_empty_message_stays_empty_in_both_languages():
    try:
        for language in ("ru", "en"):
            i18n.set_language(language)
            assert i18n._("") == ""
            assert i18n._("Quit") != ""  # the catalogue is loaded: real messages still translate
    finally:
        i18n.set_language("ru")


def test_no_widget_of_the_main_window_is_named_by_the_catalogue_header(qtbot, db, tmp_path):
    from PySide6.QtWidgets import QWidget

    from tests.ui.test_main_window import make_window

    window = make_window(qtbot, db, tmp_path)
    named = [w.objectName() for w in window.findChildren(QWidget) if "Project-Id-Version" in w.accessibleName()]
    assert named == []
