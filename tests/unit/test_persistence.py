"""Data model basics: seed, UUID and updated_at on client rows, exact money, private data folder."""

import os
import stat
import time
import uuid
from decimal import Decimal

from sqlalchemy import func, select

from app.config import resolve_database_url
from app.persistence.db import open_database
from app.persistence.models import (
    ChecklistTemplate,
    Client,
    ExchangeRate,
    Lesson,
    StageDef,
    Synced,
    Tariff,
    WorkLogEntry,
)
from app.services.clients import ClientInput, PersonInput, add_client, get_client, update_client


def test_seed_loaded(db):
    with db.read() as s:
        stages = {st.number: st for st in s.scalars(select(StageDef))}
        assert sorted(stages) == [0, 1, 2, 3, 4]
        assert "инвентаризация" in stages[2].goal
        codes = set(s.scalars(select(ChecklistTemplate.code)))
        assert {"s1.lessons", "s1.instruction", "s1.test_project", "s1.directories", "s2.inventory",
                "s2.warehouses", "s2.contracts", "s2.personnel", "s2.legacy_off", "s3.resources",
                "s3.contracts", "s3.support"} == codes
        sections = set(s.scalars(select(Lesson.section)))
        assert {"Обзор системы", "Справочники", "Склад и инвентаризация", "Договоры", "Персонал",
                "Производство и выпуск продукции", "«Схема запуска и управления заказом»", "Отчёты"} <= sections
        tariffs = {(t.kind, t.rate, t.valid_from.isoformat()) for t in s.scalars(select(Tariff))}
        assert tariffs == {("remote_hour", Decimal("1500.00"), "2024-07-01"),
                           ("onsite_day", Decimal("14000.00"), "2024-07-01")}
        usd = s.scalar(select(ExchangeRate))
        assert (usd.currency, usd.rate, usd.valid_from.isoformat()) == ("USD", Decimal("87.50"), "2024-07-01")


def test_seed_is_not_loaded_twice(db_url):
    open_database(db_url).dispose()
    db = open_database(db_url)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Lesson)) == 26
    db.dispose()


def test_every_client_owned_table_is_synced():
    from app.persistence import models

    derived = {models.ClientCounts, models.ClientStamp}  # kept by this laptop's triggers from synced rows
    owned = [m for m in vars(models).values()
             if isinstance(m, type) and issubclass(m, models.Base) and hasattr(m, "client_id") and m not in derived]
    assert owned and all(issubclass(m, Synced) for m in owned)
    assert not any(issubclass(m, Synced) for m in derived)


def test_uuid_and_updated_at_move_on_change(db):
    cid = add_client(db, ClientInput(name="ООО «А»", inn="7707083893", approach="remote",
                                     contacts=[PersonInput(name="Иванов", phone="+7 900 000-00-00")]))
    before = get_client(db, cid)
    uuid.UUID(before.uuid)
    with db.read() as s:
        stamp = s.get(Client, cid).updated_at
    time.sleep(0.01)
    data = before.data
    data.name = "ООО «А-2»"
    update_client(db, cid, data)
    after = get_client(db, cid)
    assert after.uuid == before.uuid
    assert after.data.contacts[0].uuid == before.data.contacts[0].uuid  # rows keep identity on edit
    with db.read() as s:
        assert s.get(Client, cid).updated_at > stamp


def test_money_and_days_are_exact_decimals(db):
    cid = add_client(db, ClientInput(name="ООО «А»", inn="7707083893", approach="onsite"))
    from datetime import date

    with db.unit() as s:
        s.add(WorkLogEntry(client_id=cid, on_date=date(2024, 7, 1), kind="transfer", amount=Decimal("8400.105")))
        s.add(WorkLogEntry(client_id=cid, on_date=date(2024, 7, 1), kind="onsite_day", days=Decimal("0.5")))
    with db.read() as s:
        rows = {r.kind: r for r in s.scalars(select(WorkLogEntry))}
        assert rows["transfer"].amount == Decimal("8400.11")  # ROUND_HALF_UP to kopecks
        assert rows["onsite_day"].days == Decimal("0.50")


def test_data_folder_is_private(tmp_path, monkeypatch):
    monkeypatch.setenv("VNEDRENIE_DATA_DIR", str(tmp_path / "data"))
    url = resolve_database_url()
    assert url.endswith("data/vnedrenie.sqlite3")
    open_database(url).dispose()
    if os.name == "posix":
        assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700


def test_database_options_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("VNEDRENIE_DATABASE_URL", "postgresql+psycopg://u@127.0.0.1/x")
    assert resolve_database_url() == "postgresql+psycopg://u@127.0.0.1/x"
    assert resolve_database_url(database_url="sqlite:///a.db") == "sqlite:///a.db"
    assert resolve_database_url(db_path=str(tmp_path / "b.db")).endswith("b.db")


def test_unopenable_database_is_a_clear_error(tmp_path):
    from app.errors import UserError

    folder = tmp_path / "dir.sqlite3"
    folder.mkdir()
    try:
        open_database(f"sqlite:///{folder}")
    except UserError as exc:
        assert "Не удаётся открыть базу данных" in exc.message
    else:
        raise AssertionError("opening a folder as a database must fail")


def test_an_unopenable_file_is_named_by_its_path_not_a_url(tmp_path):
    """«Не удаётся открыть базу данных sqlite:////tmp/x/text.txt» named the file as the program sees it; the
    user gave a path with --db (a user trial)."""
    import pytest

    from app.errors import UserError

    text = tmp_path / "text.txt"
    text.write_text("не база данных\n", encoding="utf-8")
    with pytest.raises(UserError) as refused:
        open_database(f"sqlite:///{text}")
    assert f"базу данных {text}:" in refused.value.message and "sqlite:" not in refused.value.message
    with pytest.raises(UserError) as refused:
        open_database("postgresql+psycopg://user:secret@127.0.0.1:1/nowhere")
    assert "secret" not in refused.value.message
