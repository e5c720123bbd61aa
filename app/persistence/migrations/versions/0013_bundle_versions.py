"""bundle versions: the bases of the version-based merge of export/import bundles (issue 17)

Revision ID: 0013
Revises: 0009
Create Date: 2026-11-30 15:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'exchange_base',
        sa.Column('peer', sa.String(length=36), nullable=False),
        sa.Column('table_name', sa.String(length=40), nullable=False),
        sa.Column('record_uuid', sa.String(length=64), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.Column('data', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('peer', 'table_name', 'record_uuid', name=op.f('pk_exchange_base')),
    )
    op.create_index(op.f('ix_exchange_base_record_uuid'), 'exchange_base', ['record_uuid'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_exchange_base_record_uuid'), table_name='exchange_base')
    op.drop_table('exchange_base')
