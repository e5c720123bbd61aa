"""team members, client assignment, authorship, server versions and the audit trail

Revision ID: 0009
Revises: 0007
Create Date: 2026-11-30 12:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0007'
branch_labels = None
depends_on = None

# the sync engine applying the server's rows sets this setting inside its transaction: no outbox entries then
GUARD = "WHEN NOT EXISTS (SELECT 1 FROM setting WHERE key = 'sync.applying')"
SYNCED = ('client', 'contact', 'employee', 'stage_event', 'checklist_state', 'lesson_progress', 'work_log',
          'estimate', 'document', 'planned_event', 'question')


def trigger_sql() -> list[str]:
    """A laptop's outbox (SQLite): every change of a synced row, whatever wrote it (ORM, Core, a bundle import).

    Three ``CREATE TRIGGER`` statements (insert, update, delete) per table of SYNCED and audit_log, in that
    order; app/persistence/sync_triggers.py makes them again from here when a hand or a tool damaged them."""
    out: list[str] = []
    for table in (*SYNCED, 'audit_log'):
        out += [f"CREATE TRIGGER vn_outbox_{table}_ins AFTER INSERT ON {table} {GUARD} BEGIN "
                f"INSERT OR REPLACE INTO sync_outbox(table_name, record_uuid, deleted) "
                f"VALUES ('{table}', NEW.uuid, 0); END",
                f"CREATE TRIGGER vn_outbox_{table}_upd AFTER UPDATE ON {table} {GUARD} BEGIN "
                f"INSERT OR REPLACE INTO sync_outbox(table_name, record_uuid, deleted) "
                f"VALUES ('{table}', NEW.uuid, 0); END",
                f"CREATE TRIGGER vn_outbox_{table}_del AFTER DELETE ON {table} {GUARD} BEGIN "
                f"INSERT OR REPLACE INTO sync_outbox(table_name, record_uuid, deleted) "
                f"VALUES ('{table}', OLD.uuid, 1); END"]
    return out


def upgrade() -> None:
    for table in SYNCED:
        op.add_column(table, sa.Column('updated_by', sa.String(length=200), nullable=False, server_default=''))
        op.add_column(table, sa.Column('row_version', sa.BigInteger(), nullable=False, server_default='0'))
        op.create_index(f'ix_{table}_row_version', table, ['row_version'], unique=False)
    op.add_column('client', sa.Column('specialist_login', sa.String(length=63), nullable=False, server_default=''))
    op.add_column('client', sa.Column('manager_login', sa.String(length=63), nullable=False, server_default=''))
    op.create_index('ix_client_specialist_login', 'client', ['specialist_login'], unique=False)
    op.create_index('ix_client_manager_login', 'client', ['manager_login'], unique=False)
    op.create_table('team_user',
    sa.Column('login', sa.String(length=63), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('manager_login', sa.String(length=63), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('login', name=op.f('pk_team_user'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('client_uuid', sa.String(length=36), nullable=False),
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('record_uuid', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('field', sa.String(length=64), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('row_version', sa.BigInteger(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log')),
    sa.UniqueConstraint('uuid', name=op.f('uq_audit_log_uuid'))
    )
    op.create_index('ix_audit_log_client', 'audit_log', ['client_uuid', 'at'], unique=False)
    op.create_index(op.f('ix_audit_log_row_version'), 'audit_log', ['row_version'], unique=False)
    op.create_table('sync_outbox',
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('record_uuid', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('table_name', 'record_uuid', name=op.f('pk_sync_outbox'))
    )
    op.create_table('sync_base',
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('record_uuid', sa.String(length=64), nullable=False),
    sa.Column('row_version', sa.BigInteger(), nullable=False),
    sa.Column('data', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('table_name', 'record_uuid', name=op.f('pk_sync_base'))
    )
    op.create_table('sync_conflict',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('record_uuid', sa.String(length=64), nullable=False),
    sa.Column('client_uuid', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('field', sa.String(length=64), nullable=False),
    sa.Column('local_value', sa.Text(), nullable=True),
    sa.Column('server_value', sa.Text(), nullable=True),
    sa.Column('kept', sa.String(length=10), nullable=False),
    sa.Column('resolved', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_conflict'))
    )
    op.create_table('sync_tombstone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('record_uuid', sa.String(length=64), nullable=False),
    sa.Column('row_version', sa.BigInteger(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_tombstone'))
    )
    op.create_index(op.f('ix_sync_tombstone_row_version'), 'sync_tombstone', ['row_version'], unique=False)
    op.create_index('ix_sync_tombstone_record', 'sync_tombstone', ['table_name', 'record_uuid'], unique=False)
    op.create_table('number_block',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('first', sa.Integer(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.Column('next', sa.Integer(), nullable=False),
    sa.Column('login', sa.String(length=63), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_number_block'))
    )
    if op.get_bind().dialect.name == 'sqlite':
        for sql in trigger_sql():
            op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for table in (*SYNCED, 'audit_log'):
            for suffix in ('ins', 'upd', 'del'):
                op.execute(f"DROP TRIGGER IF EXISTS vn_outbox_{table}_{suffix}")
    op.drop_table('number_block')
    op.drop_index('ix_sync_tombstone_record', table_name='sync_tombstone')
    op.drop_index(op.f('ix_sync_tombstone_row_version'), table_name='sync_tombstone')
    op.drop_table('sync_tombstone')
    op.drop_table('sync_conflict')
    op.drop_table('sync_base')
    op.drop_table('sync_outbox')
    op.drop_index(op.f('ix_audit_log_row_version'), table_name='audit_log')
    op.drop_index('ix_audit_log_client', table_name='audit_log')
    op.drop_table('audit_log')
    op.drop_table('team_user')
    with op.batch_alter_table('client') as batch:
        batch.drop_index('ix_client_manager_login')
        batch.drop_index('ix_client_specialist_login')
        batch.drop_column('manager_login')
        batch.drop_column('specialist_login')
    for table in SYNCED:
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f'ix_{table}_row_version')
            batch.drop_column('row_version')
            batch.drop_column('updated_by')
