"""An export holding a planned event in the future imports: only record-keeping stamps are checked against the file's time."""

from __future__ import annotations

from datetime import datetime, timedelta


def test_bundle_with_a_future_planned_event_imports(cli, tmp_path):
    start = (datetime.now() + timedelta(days=40)).strftime("%Y-%m-%d 10:00")
    assert cli("clients", "add", "--name", "ООО Т", "--inn", "7707083893", "--approach", "remote")[0] == 0
    assert cli("plan", "add", "1", "--kind", "conference", "--start", start, "--duration", "60")[0] == 0
    assert cli("export", "--all", "-o", str(tmp_path / "x.zip"))[0] == 0
    status, _out, err = cli("import", str(tmp_path / "x.zip"))
    assert status == 0, err
    assert "позже, чем создан файл" not in err


def test_a_stamp_after_the_file_is_refused_in_russian_with_a_full_stop(db):
    from app.exchange.bundle import _refused
    from app.exchange.changeset import Changeset
    from app.exchange.row_change import RowChange
    from app.exchange.validate import check_changeset

    made = datetime(2026, 11, 30, 12)
    row = RowChange(table="client", uuid="00000000-0000-4000-8000-000000000001", op="upsert", updated_at=made,
                    values={"updated_at": made + timedelta(days=1)})
    try:
        with db.read() as s:
            check_changeset(s, Changeset(tables={"client": [row]}), made_at=made, now=made)
    except Exception as exc:
        message = _refused(str(exc)).message
    else:
        raise AssertionError("a stamp after the file's time must be refused")
    assert "updated_at" not in message
    assert "позже, чем создан файл. Ничего не импортировано." in message
