"""billing ledger: work-log entries remember their act, voided acts, dated VAT, executor's bank and power of attorney

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 11:40:00
"""
import datetime

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'vat_rate',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('valid_from', sa.Date(), nullable=False),
        sa.Column('mode', sa.String(length=10), nullable=False),
        sa.Column('rate', sa.BigInteger(), nullable=True),
        sa.Column('basis', sa.Text(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_vat_rate')),
        sa.UniqueConstraint('valid_from', name=op.f('uq_vat_rate_valid_from')),
    )
    with op.batch_alter_table('tariff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sa.Text(), server_default='', nullable=False))
    with op.batch_alter_table('executor', schema=None) as batch_op:
        batch_op.add_column(sa.Column('poa_number', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('poa_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('bank_account', sa.String(length=20), server_default='', nullable=False))
        batch_op.add_column(sa.Column('bank_name', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('bank_bik', sa.String(length=9), server_default='', nullable=False))
        batch_op.add_column(sa.Column('bank_corr', sa.String(length=20), server_default='', nullable=False))
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('voided_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('void_reason', sa.Text(), server_default='', nullable=False))
    with op.batch_alter_table('work_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('billed_by_document_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_work_log_billed_by_document_id_document'), 'document',
                                    ['billed_by_document_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_work_log_billed_by_document_id'), ['billed_by_document_id'],
                              unique=False)
    # The one undated VAT setting becomes the rate in force from the start (VAT included in the price,
    # as it was printed); entries billed before this version are not marked (their acts predate the ledger).
    bind = op.get_bind()
    rate = bind.execute(sa.text("SELECT vat_rate FROM executor ORDER BY id LIMIT 1")).scalar()
    if rate is not None:  # hundredths, as Fixed2 keeps them
        vat = sa.table('vat_rate', sa.column('valid_from', sa.Date), sa.column('mode', sa.String),
                       sa.column('rate', sa.BigInteger), sa.column('basis', sa.Text), sa.column('reason', sa.Text))
        op.bulk_insert(vat, [{'valid_from': datetime.date(2000, 1, 1), 'mode': 'included', 'rate': int(rate),
                              'basis': '', 'reason': ''}])


def downgrade() -> None:
    with op.batch_alter_table('work_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_log_billed_by_document_id'))
        batch_op.drop_constraint(batch_op.f('fk_work_log_billed_by_document_id_document'), type_='foreignkey')
        batch_op.drop_column('billed_by_document_id')
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_column('void_reason')
        batch_op.drop_column('voided_on')
    with op.batch_alter_table('executor', schema=None) as batch_op:
        for name in ('bank_corr', 'bank_bik', 'bank_name', 'bank_account', 'poa_date', 'poa_number'):
            batch_op.drop_column(name)
    with op.batch_alter_table('tariff', schema=None) as batch_op:
        batch_op.drop_column('reason')
    op.drop_table('vat_rate')
