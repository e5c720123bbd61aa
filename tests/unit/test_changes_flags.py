"""The Changes flags of the actions that replace the database or change every client's figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.exchange import backup, restore
from app.services import entry_rounding, tariffs
from app.services.changes import requires_all_rows, requires_undo_clear
from app.services.demo import fill_demo


def test_demo_and_restore_replace_the_database(db):
    _count, changes = fill_demo(db)
    assert changes.replaced and requires_undo_clear(changes)
    if not db.is_sqlite:  # on PostgreSQL backups are the server administrator's (pg_dump): no restore here
        return
    copy = backup.make_backup(db, "manual")
    result = restore.restore_backup(db, copy.path)
    assert result.changes.replaced and requires_undo_clear(result.changes)


def test_tariff_vat_and_rounding_change_every_figure_but_keep_the_history(db):
    for changes in (entry_rounding.set_billing_rounding(db, 15),
                    tariffs.set_vat(db, "included", Decimal("20"), date(2030, 1, 1)),
                    tariffs.set_tariff(db, "remote_hour", Decimal("3000"), date(2030, 1, 1))):
        assert changes.all_figures and requires_all_rows(changes)
        assert not changes.replaced and not requires_undo_clear(changes)
