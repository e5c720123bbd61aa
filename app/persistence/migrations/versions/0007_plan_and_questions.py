"""the specialist's week: planned events and the questions log

Revision ID: 0007
Revises: 0003
Create Date: 2026-11-30 11:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('planned_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('time_zone', sa.String(length=64), nullable=False),
    sa.Column('duration_min', sa.Integer(), nullable=False),
    sa.Column('section', sa.String(length=200), nullable=False),
    sa.Column('lesson_codes', sa.Text(), nullable=False),
    sa.Column('participant_uuids', sa.Text(), nullable=False),
    sa.Column('place', sa.String(length=500), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('actual_min', sa.Integer(), nullable=True),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('ticked_codes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_planned_event_client_id_client'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entry_id'], ['work_log.id'], name=op.f('fk_planned_event_entry_id_work_log'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_planned_event')),
    sa.UniqueConstraint('uuid', name=op.f('uq_planned_event_uuid'))
    )
    with op.batch_alter_table('planned_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_planned_event_client_id'), ['client_id'], unique=False)
        batch_op.create_index('ix_planned_event_status_start', ['status', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_planned_event_updated_at'), ['updated_at'], unique=False)

    op.create_table('question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('asked_on', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('employee_uuid', sa.String(length=36), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_question_client_id_client'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entry_id'], ['work_log.id'], name=op.f('fk_question_entry_id_work_log'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question')),
    sa.UniqueConstraint('uuid', name=op.f('uq_question_uuid'))
    )
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.create_index('ix_question_client_status', ['client_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_updated_at'), ['updated_at'], unique=False)


def downgrade() -> None:
    op.drop_table('question')
    op.drop_table('planned_event')
