"""document numbering per installation: series column, unique (series, kind, year, number)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 10:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing documents were all issued here: series '' ("this installation").
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('series', sa.String(length=36), server_default='', nullable=False))
        batch_op.drop_constraint('uq_document_number', type_='unique')
        batch_op.create_unique_constraint('uq_document_number', ['series', 'kind', 'year', 'number'])


def downgrade() -> None:
    # Fails (rolls back) if documents of other installations share a number with ours.
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_constraint('uq_document_number', type_='unique')
        batch_op.create_unique_constraint('uq_document_number', ['kind', 'year', 'number'])
        batch_op.drop_column('series')
