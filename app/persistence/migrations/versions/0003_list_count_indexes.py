"""covering indexes for the client list's checklist and lesson counts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 22:00:00
"""
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_checklist_state_counts', 'checklist_state', ['client_id', 'done', 'code'], unique=False)
    op.create_index('ix_lesson_progress_counts', 'lesson_progress',
                    ['client_id', 'employee_uuid', 'done', 'lesson_code'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_lesson_progress_counts', table_name='lesson_progress')
    op.drop_index('ix_checklist_state_counts', table_name='checklist_state')
