"""tombstones: deleted and erased records, so that no import brings them back

Revision ID: 0006
Revises: 0003
Create Date: 2026-11-30 12:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'tombstone',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('table_name', sa.String(length=40), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('client_uuid', sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_tombstone')),
        sa.UniqueConstraint('uuid', 'kind', name='uq_tombstone_uuid_kind'),
    )
    op.create_index(op.f('ix_tombstone_client_uuid'), 'tombstone', ['client_uuid'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_tombstone_client_uuid'), table_name='tombstone')
    op.drop_table('tombstone')
