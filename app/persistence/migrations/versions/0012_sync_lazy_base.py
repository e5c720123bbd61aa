"""sync: a laptop's merge base is captured when a synced row is first changed here (lazy base)

The first sync of a laptop (app/sync/snapshot.py) writes 400 000 rows without a ``sync_base`` copy each: a
row with ``row_version > 0``, no base and no outbox entry is unchanged since it came from the server, so it
is its own base. These SQLite triggers keep that true: before the first local UPDATE or DELETE of such a row
(not while the sync engine applies the server's rows) they store the row's values in ``sync_base`` in raw
form (``{"~raw": 1, column: stored value, …}``, foreign keys as the parent's UUID; app/sync/bases.py reads
it back as a payload). A migration that adds a column to a synced table must recreate these triggers
(tests/team/test_lazy_base.py fails otherwise).

Revision ID: 0012
Revises: 0009
Create Date: 2026-11-30 15:10:00
"""
from alembic import op

revision = '0012'
down_revision = '0009'
branch_labels = None
depends_on = None

TABLES = ('client', 'contact', 'employee', 'stage_event', 'checklist_state', 'lesson_progress', 'work_log',
          'estimate', 'document', 'planned_event', 'question', 'audit_log')
# foreign keys travel as the parent's UUID (app/sync/rows.py FOREIGN)
FOREIGN = {'client_id': ('client', 'client_uuid'), 'entry_id': ('work_log', 'entry_uuid'),
           'billed_by_document_id': ('document', 'billed_by_document_uuid')}
LOCAL_ONLY = ('id', 'row_version')


def _columns(table: str) -> list[str]:
    return [row[1] for row in op.get_bind().exec_driver_sql(f"PRAGMA table_info({table})")]


def trigger_sql(table: str, columns: list[str], event: str) -> str:
    """The trigger keeping the base of ``table`` before an ``event`` (UPDATE or DELETE) of this laptop."""
    pairs = ["'~raw', 1"]
    for column in columns:
        if column in LOCAL_ONLY:
            continue
        if column in FOREIGN:
            parent, field = FOREIGN[column]
            pairs.append(f"'{field}', (SELECT p.uuid FROM {parent} p WHERE p.id = OLD.{column})")
        else:
            pairs.append(f"'{column}', OLD.{column}")
    return (f"CREATE TRIGGER vn_base_{table}_{event[:3].lower()} BEFORE {event} ON {table} "
            f"WHEN OLD.row_version > 0 "
            f"AND NOT EXISTS (SELECT 1 FROM setting WHERE key = 'sync.applying') "
            f"AND NOT EXISTS (SELECT 1 FROM sync_base WHERE table_name = '{table}' AND record_uuid = OLD.uuid) "
            f"AND NOT EXISTS (SELECT 1 FROM sync_outbox WHERE table_name = '{table}' AND record_uuid = OLD.uuid) "
            f"BEGIN INSERT INTO sync_base(table_name, record_uuid, row_version, data) "
            f"VALUES ('{table}', OLD.uuid, OLD.row_version, json_object({', '.join(pairs)})); END")


def upgrade() -> None:
    if op.get_bind().dialect.name != 'sqlite':
        return
    for table in TABLES:
        columns = _columns(table)
        for event in ('UPDATE', 'DELETE'):
            op.execute(trigger_sql(table, columns, event))


def downgrade() -> None:
    if op.get_bind().dialect.name != 'sqlite':
        return
    for table in TABLES:
        for suffix in ('upd', 'del'):
            op.execute(f"DROP TRIGGER IF EXISTS vn_base_{table}_{suffix}")
