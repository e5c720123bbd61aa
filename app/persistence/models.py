"""SQLAlchemy 2.x typed models for clients, stages, checklists, lessons, work log, tariffs, documents."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from app.persistence.types import Fixed2, Flag, UUIDText, new_uuid

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Synced:
    """Mixin for rows a client owns: a stable UUID and a last-change stamp for export/merge/sync."""

    uuid: Mapped[str] = mapped_column(UUIDText(), unique=True, default=new_uuid)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow, index=True)
    # who wrote the row last (team login, or the local profile's name on a laptop) — set by app/team/hooks.py
    updated_by: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # the team server's version of the row (a sequence there, never a clock); 0 = never synced
    row_version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0", index=True)


# ---------------------------------------------------------------- reference data


class StageDef(Base):
    """One of the five stages with its Russian title and goal (seeded from resources/seed)."""

    __tablename__ = "stage"
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    title: Mapped[str] = mapped_column(String(200))
    goal: Mapped[str] = mapped_column(Text, default="")


# user-added checklist items: uuid5(namespace, code), the same on every laptop (migration 0015 uses it too)
TEMPLATE_NAMESPACE = uuid.UUID("6f2b9a4e-3c1d-5e8f-9a7b-0c4d2e1f3a5b")


def template_uuid(code: str) -> str:
    """The sync UUID of the user-added checklist item ``code`` (derived from the code, which never changes)."""
    return str(uuid.uuid5(TEMPLATE_NAMESPACE, code))


class ChecklistTemplate(Base):
    """A checklist item every client gets for a stage.

    ``uuid`` is NULL for the shipped items (they exist everywhere and never travel) and ``template_uuid(code)``
    for an item a user added: those travel through the team server like client records (``row_version`` is
    the server's version, docs/sync.md); ``position`` is each laptop's own list order and never travels."""

    __tablename__ = "checklist_template"
    __table_args__ = (Index("ix_checklist_template_uuid", "uuid", unique=True),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    stage: Mapped[int] = mapped_column(ForeignKey("stage.number"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    requires: Mapped[str | None] = mapped_column(String(64), nullable=True)
    uuid: Mapped[str | None] = mapped_column(String(36), nullable=True)
    updated_by: Mapped[str] = mapped_column(String(200), default="", server_default="")
    row_version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0", index=True)


class Lesson(Base):
    """A video lesson or seminar of the «План внедрения», in plan order."""

    __tablename__ = "lesson"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    number: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(String(300))
    section: Mapped[str] = mapped_column(String(200))
    stage: Mapped[int] = mapped_column(ForeignKey("stage.number"))
    duration_min: Mapped[int] = mapped_column(Integer, default=0)
    video_url: Mapped[str] = mapped_column(String(500), default="")
    active: Mapped[bool] = mapped_column(Flag, default=True)


class Tariff(Base):
    """A price that holds from a date: ``remote_hour`` (₽/hour) or ``onsite_day`` (₽/day)."""

    __tablename__ = "tariff"
    __table_args__ = (UniqueConstraint("kind", "valid_from"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    rate: Mapped[Decimal] = mapped_column(Fixed2())
    valid_from: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")  # why it changed a billed period


class VatRate(Base):
    """VAT in force from a date: mode ``none`` (УСН/exempt, with the legal basis), ``included`` or ``on_top``."""

    __tablename__ = "vat_rate"
    id: Mapped[int] = mapped_column(primary_key=True)
    valid_from: Mapped[date] = mapped_column(Date, unique=True)
    mode: Mapped[str] = mapped_column(String(10))
    rate: Mapped[Decimal | None] = mapped_column(Fixed2(), nullable=True)
    basis: Mapped[str] = mapped_column(Text, default="")  # «п. 2 ст. 346.11 НК РФ» for mode none
    reason: Mapped[str] = mapped_column(Text, default="")  # why it changed a billed period


class ExchangeRate(Base):
    """Roubles for one unit of a currency, holding from a date."""

    __tablename__ = "exchange_rate"
    __table_args__ = (UniqueConstraint("currency", "valid_from"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    currency: Mapped[str] = mapped_column(String(3))
    rate: Mapped[Decimal] = mapped_column(Fixed2())
    valid_from: Mapped[date] = mapped_column(Date)


class Executor(Base):
    """Реквизиты исполнителя: the implementer's own company, used in every document (one row)."""

    __tablename__ = "executor"
    id: Mapped[int] = mapped_column(primary_key=True)
    company: Mapped[str] = mapped_column(String(300), default="")
    inn: Mapped[str] = mapped_column(String(12), default="")
    kpp: Mapped[str] = mapped_column(String(9), default="")
    ogrn: Mapped[str] = mapped_column(String(15), default="")
    address: Mapped[str] = mapped_column(String(500), default="")
    bank_details: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    specialist_name: Mapped[str] = mapped_column(String(200), default="")
    specialist_position: Mapped[str] = mapped_column(String(200), default="")
    signer_name: Mapped[str] = mapped_column(String(200), default="")
    signer_position: Mapped[str] = mapped_column(String(200), default="")
    vat_rate: Mapped[Decimal | None] = mapped_column(Fixed2(), nullable=True)  # legacy: see VatRate
    poa_number: Mapped[str] = mapped_column(String(100), default="", server_default="")
    poa_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    bank_account: Mapped[str] = mapped_column(String(20), default="", server_default="")
    bank_name: Mapped[str] = mapped_column(String(300), default="", server_default="")
    bank_bik: Mapped[str] = mapped_column(String(9), default="", server_default="")
    bank_corr: Mapped[str] = mapped_column(String(20), default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Setting(Base):
    """Key/value preferences stored with the data (stalled days, billing rounding, installation id)."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


# ---------------------------------------------------------------- clients


class Client(Synced, Base):
    """Заказчик: an enterprise where the system is being rolled out."""

    __tablename__ = "client"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    inn: Mapped[str] = mapped_column(String(12), unique=True)
    kpp: Mapped[str] = mapped_column(String(9), default="")
    address: Mapped[str] = mapped_column(String(500), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    approach: Mapped[str] = mapped_column(String(20), index=True)
    stage: Mapped[int] = mapped_column(ForeignKey("stage.number"), default=0, index=True)
    stage_since: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    contract_no: Mapped[str] = mapped_column(String(100), default="")
    contract_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    program_version: Mapped[str] = mapped_column(String(50), default="")
    manager: Mapped[str] = mapped_column(String(200), default="")
    signer_name: Mapped[str] = mapped_column(String(200), default="")
    signer_position: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # team: the responsible specialist's and manager's logins ('' = not assigned), see app/team
    specialist_login: Mapped[str] = mapped_column(String(63), default="", server_default="", index=True)
    manager_login: Mapped[str] = mapped_column(String(63), default="", server_default="", index=True)

    contacts: Mapped[list[Contact]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="Contact.id"
    )
    employees: Mapped[list[Employee]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="Employee.id"
    )


class Contact(Synced, Base):
    """A contact person of the client."""

    __tablename__ = "contact"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    client: Mapped[Client] = relationship(back_populates="contacts")


class Employee(Synced, Base):
    """Сотрудник заказчика: a person of the client's staff who learns the system."""

    __tablename__ = "employee"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(200), default="")
    department: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    client: Mapped[Client] = relationship(back_populates="employees")


class StageEvent(Synced, Base):
    """One move of a client between stages: when, who, why, and whether it was forced."""

    __tablename__ = "stage_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[int] = mapped_column(Integer)
    to_stage: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    who: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    forced: Mapped[bool] = mapped_column(Flag, default=False)


class ChecklistState(Synced, Base):
    """A client's checklist item that is done (absence of a row means not done)."""

    __tablename__ = "checklist_state"
    __table_args__ = (
        UniqueConstraint("client_id", "code"),
        # covers the per-client done counts of the client list (no table lookups)
        Index("ix_checklist_state_counts", "client_id", "done", "code"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    done: Mapped[bool] = mapped_column(Flag, default=True)
    done_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    who: Mapped[str] = mapped_column(String(200), default="")


class LessonProgress(Synced, Base):
    """A lesson watched by a client (employee_id None) or by one of its employees."""

    __tablename__ = "lesson_progress"
    __table_args__ = (
        UniqueConstraint("client_id", "lesson_code", "employee_uuid", name="uq_lesson_progress_who"),
        # covers the per-client lesson counts of the client list (no table lookups)
        Index("ix_lesson_progress_counts", "client_id", "employee_uuid", "done", "lesson_code"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    lesson_code: Mapped[str] = mapped_column(String(64))
    # '' = the client as a whole; otherwise the employee's UUID (stable across export/merge)
    employee_uuid: Mapped[str] = mapped_column(String(36), default="")
    done: Mapped[bool] = mapped_column(Flag, default=True)
    done_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class WorkLogEntry(Synced, Base):
    """Журнал работ: exact raw time (minutes), days, or an amount in roubles."""

    __tablename__ = "work_log"
    __table_args__ = (Index("ix_work_log_client_date", "client_id", "on_date"),
                      # budget summaries (app/services/budget.py) sum a client's entries from this index alone
                      Index("ix_work_log_budget", "client_id", "deleted", "on_date", "kind", "minutes", "days",
                            "amount"))
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"))
    on_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    days: Mapped[Decimal | None] = mapped_column(Fixed2(), nullable=True)
    amount: Mapped[Decimal | None] = mapped_column(Fixed2(), nullable=True)
    stage: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    deleted: Mapped[bool] = mapped_column(Flag, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # the act that billed this entry (None: not billed yet, or its act was voided)
    billed_by_document_id: Mapped[int | None] = mapped_column(
        ForeignKey("document.id", ondelete="SET NULL"), nullable=True, index=True)


class Estimate(Synced, Base):
    """A client's saved estimate (расчёт стоимости): the calculator's inputs and date of tariffs."""

    __tablename__ = "estimate"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    approach: Mapped[str] = mapped_column(String(20))
    on_date: Mapped[date] = mapped_column(Date)
    conference_hours: Mapped[Decimal] = mapped_column(Fixed2(), default=Decimal(0))
    question_hours: Mapped[Decimal] = mapped_column(Fixed2(), default=Decimal(0))
    control_hours: Mapped[Decimal] = mapped_column(Fixed2(), default=Decimal(0))
    days: Mapped[Decimal] = mapped_column(Fixed2(), default=Decimal(0))
    transfer: Mapped[Decimal] = mapped_column(Fixed2(), default=Decimal(0))
    lodging: Mapped[Decimal] = mapped_column(Fixed2(), default=Decimal(0))
    total: Mapped[Decimal] = mapped_column(Fixed2(), default=Decimal(0))
    note: Mapped[str] = mapped_column(Text, default="")


class Document(Synced, Base):
    """Register of issued documents: numbered per year and series; a reprint reuses number and content.

    ``series`` is '' for documents issued here; an imported document keeps its number under the id of the
    installation that issued it, so two installations' «АУ-1/2026» never clash."""

    __tablename__ = "document"
    __table_args__ = (UniqueConstraint("series", "kind", "year", "number", name="uq_document_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    series: Mapped[str] = mapped_column(String(36), default="", server_default="")
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # signoff | estimate | act | progress
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    issued_on: Mapped[date] = mapped_column(Date)
    stage: Mapped[int | None] = mapped_column(Integer, nullable=True)
    period_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    period_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    total: Mapped[Decimal | None] = mapped_column(Fixed2(), nullable=True)
    content: Mapped[str] = mapped_column(Text, default="")  # JSON snapshot printed again on reprint
    signed_returned_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    voided_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # «аннулирован»: number kept, never reused
    void_reason: Mapped[str] = mapped_column(Text, default="", server_default="")


# ---------------------------------------------------------------- the specialist's week (plan, questions)


class PlannedEvent(Synced, Base):
    """A planned conference, on-site day, call or stage review of a client.

    ``starts_at`` is naive UTC; ``time_zone`` is the IANA zone the event is shown in (the client's city).
    ``lesson_codes`` and ``participant_uuids`` are JSON lists (lesson codes; the client's employees' UUIDs,
    stable across export/merge). ``entry_id`` is the work-log entry that completing the event created and
    ``ticked_codes`` the lessons it ticked, so that undoing the completion takes back exactly those."""

    __tablename__ = "planned_event"
    __table_args__ = (Index("ix_planned_event_status_start", "status", "starts_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # conference | onsite_day | call | stage_review
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    time_zone: Mapped[str] = mapped_column(String(64))
    duration_min: Mapped[int] = mapped_column(Integer)
    section: Mapped[str] = mapped_column(String(200), default="")
    lesson_codes: Mapped[str] = mapped_column(Text, default="[]")
    participant_uuids: Mapped[str] = mapped_column(Text, default="[]")
    place: Mapped[str] = mapped_column(String(500), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="planned")  # planned | done | cancelled
    done_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    actual_min: Mapped[int | None] = mapped_column(Integer, nullable=True)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("work_log.id", ondelete="SET NULL"), nullable=True)
    ticked_codes: Mapped[str] = mapped_column(Text, default="[]")  # lessons completing it ticked (for undo)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Question(Synced, Base):
    """A client's question (журнал вопросов): channel, who asked, answer, status and the time it took.

    ``search_text`` holds the normalised question and answer (casefolded, ё→е) for portable LIKE search.
    ``entry_id`` is the «вопросы» work-log entry closing it with time created (so an act bills it)."""

    __tablename__ = "question"
    __table_args__ = (Index("ix_question_client_status", "client_id", "status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"))
    asked_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(20))  # phone | email | skype | in_app | onsite
    employee_uuid: Mapped[str] = mapped_column(String(36), default="")  # '' = not known
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | solved
    minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("work_log.id", ondelete="SET NULL"), nullable=True)
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


# ---------------------------------------------------------------- tombstones


class Tombstone(Base):
    """A record deleted (``kind`` 'delete') or whose personal data were erased ('erase') here or on another
    installation: it travels in bundles, and no import brings the record (or its erased data) back."""

    __tablename__ = "tombstone"
    __table_args__ = (UniqueConstraint("uuid", "kind", name="uq_tombstone_uuid_kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(UUIDText())  # of the deleted or erased record
    table_name: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(10))  # delete | erase
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    client_uuid: Mapped[str] = mapped_column(String(36), default="", index=True)  # whose record it was


# ---------------------------------------------------------------- team (issue 17): people and the audit trail


class TeamUser(Base):
    """A team member: a PostgreSQL login with the app role specialist | manager | admin (app/team/users.py)."""

    __tablename__ = "team_user"
    login: Mapped[str] = mapped_column(String(63), primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    manager_login: Mapped[str] = mapped_column(String(63), default="")  # a specialist's manager
    active: Mapped[bool] = mapped_column(Flag, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class AuditEntry(Base):
    """One changed field (or an insert/delete) of an audited record: who, when, old and new value.

    Append-only: written by app/team/hooks.py in the same transaction as the change; on the team server a
    trigger refuses UPDATE/DELETE to everyone but admins. ``client_uuid`` is '' for team-wide data
    (tariffs, the executor's requisites)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_client", "client_uuid", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    author: Mapped[str] = mapped_column(String(200), default="")
    client_uuid: Mapped[str] = mapped_column(String(36), default="")
    table_name: Mapped[str] = mapped_column(String(40))
    record_uuid: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(10))  # insert | update | delete
    field: Mapped[str] = mapped_column(String(64), default="")
    old_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    new_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    row_version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0", index=True)


# ---------------------------------------------------------------- sync (issue 17): a laptop's bookkeeping


class ClientCounts(Base):
    """Each client's list counters, kept exact by SQLite triggers (migration 0016; read by
    ``app.services.client_list.summaries``). This laptop's own: never synced, never in a bundle; empty on
    PostgreSQL, where the counts are read live."""

    __tablename__ = "client_counts"
    client_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    done_at_stage: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # ticked at its stage
    lessons_done: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # active, by the company


class ClientStamp(Base):
    """A random stamp per client, drawn again by SQLite triggers whenever the client's list row may change
    (migration 0017; compared by ``app.services.list_read``). This laptop's own, like ClientCounts: never
    synced, never in a bundle; empty on PostgreSQL."""

    __tablename__ = "client_stamp"
    client_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    stamp: Mapped[int] = mapped_column(BigInteger)


class SyncOutbox(Base):
    """A synced row changed on this laptop since it was last pushed (filled by SQLite triggers, 0009)."""

    __tablename__ = "sync_outbox"
    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_uuid: Mapped[str] = mapped_column(String(64), primary_key=True)
    deleted: Mapped[bool] = mapped_column(Flag, default=False)


class SyncBase(Base):
    """The server's version and values of a row as this laptop last saw them (the base of the 3-way merge)."""

    __tablename__ = "sync_base"
    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_uuid: Mapped[str] = mapped_column(String(64), primary_key=True)
    row_version: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[str] = mapped_column(Text)  # JSON: column -> value as text (foreign keys as UUIDs)


class SyncConflict(Base):
    """A field changed both here and on the server (or a delete against an edit): both values, what was kept."""

    __tablename__ = "sync_conflict"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    table_name: Mapped[str] = mapped_column(String(40))
    record_uuid: Mapped[str] = mapped_column(String(64))
    client_uuid: Mapped[str] = mapped_column(String(36), default="")
    kind: Mapped[str] = mapped_column(String(20))  # field | delete_edit | edit_delete
    field: Mapped[str] = mapped_column(String(64), default="")
    local_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    server_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    kept: Mapped[str] = mapped_column(String(10))  # server | local
    resolved: Mapped[bool] = mapped_column(Flag, default=False)


class SyncTombstone(Base):
    """On the server: a deleted synced row, versioned like the rows so laptops learn of the deletion."""

    __tablename__ = "sync_tombstone"
    __table_args__ = (Index("ix_sync_tombstone_record", "table_name", "record_uuid"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    table_name: Mapped[str] = mapped_column(String(40))
    record_uuid: Mapped[str] = mapped_column(String(64))
    row_version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0", index=True)
    # whose client the record belonged to when it was deleted (NULL: none known) — row-level security
    specialist_login: Mapped[str | None] = mapped_column(String(63), nullable=True)
    manager_login: Mapped[str | None] = mapped_column(String(63), nullable=True)


class ExchangeBase(Base):
    """A common ancestor for the version-based merge of bundles (docs/sync.md «Bundles»): the values of a
    record as installation ``peer`` exported them in its export number ``version`` (its Lamport counter),
    which this installation has merged. ``data`` is JSON in the changeset's encoding (references as UUIDs);
    None: the peer had deleted the record."""

    __tablename__ = "exchange_base"
    peer: Mapped[str] = mapped_column(String(36), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_uuid: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    version: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[str | None] = mapped_column(Text, nullable=True)


class NumberBlock(Base):
    """Document numbers reserved by a laptop on the server: ``first``..``last`` of a kind and year.

    On the server a row per reservation (who, which range); on the laptop the blocks it holds, ``next`` being
    the next number it will issue offline."""

    __tablename__ = "number_block"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    first: Mapped[int] = mapped_column(Integer)
    last: Mapped[int] = mapped_column(Integer)
    next: Mapped[int] = mapped_column(Integer)
    login: Mapped[str] = mapped_column(String(63), default="")


from app.persistence import tracking  # noqa: E402,F401  (deletions leave tombstones; updated_at only moves on)
