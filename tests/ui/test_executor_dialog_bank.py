"""The executor's dialog shows and checks the bank's fields and keeps what it does not show (a fresh tester,
2026-12-05: saving it, say after correcting the city, erased the account, the BIK, the correspondent account, the
bank and the power of attorney — they had no fields there — so the bank checks never showed in the window)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from app.services.documents.executor import get_executor, set_executor
from tests.reports.helpers import EXECUTOR
from ui.dialogs.documents.executor import ExecutorDialog

BANK = dict(bank_name="ПАО Сбербанк", bank_bik="044525225", bank_corr="30101810400000000225",
            bank_account="40702810938000000001", poa_number="12", poa_date=date(2026, 1, 10))


def test_saving_the_dialog_keeps_the_bank_and_the_power_of_attorney(qtbot, db):
    set_executor(db, replace(EXECUTOR, **BANK))
    dialog = ExecutorDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.edits["bank_account"].text() == BANK["bank_account"]
    dialog.edits["city"].setText("Санкт-Петербург")
    assert dialog.save()
    saved = get_executor(db)
    assert saved.city == "Санкт-Петербург"
    assert {k: getattr(saved, k) for k in BANK} == BANK


def test_a_wrong_account_is_marked_in_the_dialog_and_nothing_is_saved(qtbot, db):
    set_executor(db, replace(EXECUTOR, **BANK))
    dialog = ExecutorDialog(db)
    qtbot.addWidget(dialog)
    dialog.edits["bank_account"].setText("40702810900000000001")
    assert not dialog.save()
    assert "не сходится с БИК 044525225" in dialog.error_label.text()
    assert dialog.edits["bank_account"].styleSheet() and not dialog.edits["bank_bik"].styleSheet()
    assert get_executor(db).bank_account == BANK["bank_account"]


def test_the_power_of_attorney_is_in_the_dialog_and_several_errors_all_show(qtbot, db):
    """A stored power of attorney without a date blocked every save with «Укажите дату доверенности.» and no field
    to correct it in; five errors at once were cut under the buttons (a fresh tester, 2026-12-05)."""
    set_executor(db, replace(EXECUTOR, **BANK))
    dialog = ExecutorDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    assert (dialog.edits["poa_number"].text(), dialog.poa_date_edit.text()) == ("12", "10.01.2026")
    for name, value in {"bank_account": "40702810900000000001", "bank_corr": "30101810400000000226",
                        "inn": "7772943645", "kpp": "12345", "ogrn": "123"}.items():
        dialog.edits[name].setText(value)
    dialog.poa_date_edit.setText("32.13.2026")
    assert not dialog.save()
    assert dialog.poa_date_edit.styleSheet() and "32.13.2026" in dialog.error_label.text()
    label = dialog.error_label
    assert label.height() >= label.heightForWidth(label.width()), (label.height(), label.heightForWidth(label.width()))
    dialog.poa_date_edit.setText("")  # no date: refused by name, and now correctable here
    for name, value in {"bank_account": BANK["bank_account"], "bank_corr": BANK["bank_corr"],
                        "inn": EXECUTOR.inn, "kpp": EXECUTOR.kpp, "ogrn": ""}.items():
        dialog.edits[name].setText(value)
    assert not dialog.save() and dialog.poa_date_edit.styleSheet()
    dialog.poa_date_edit.setText("11.01.2026")
    assert dialog.save()
    assert get_executor(db).poa_date == date(2026, 1, 11)


def test_the_vat_field_says_a_change_holds_from_today(qtbot, db):
    """The form changed VAT from today without a word; work before kept its VAT (issue 10) and acts for it printed
    the old rate (tester H, 2026-12-05)."""
    dialog = ExecutorDialog(db)
    qtbot.addWidget(dialog)
    assert "действует с сегодняшнего дня" in dialog.vat_combo.toolTip()
