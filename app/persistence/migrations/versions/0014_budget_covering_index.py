"""covering index for the budget summaries: work-log sums per client read from the index alone

Revision ID: 0014
Revises: 0009
Create Date: 2026-11-30 15:00:00
"""
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_work_log_budget', 'work_log',
                    ['client_id', 'deleted', 'on_date', 'kind', 'minutes', 'days', 'amount'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_work_log_budget', table_name='work_log')
