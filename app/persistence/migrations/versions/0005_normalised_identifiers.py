"""normalise stored identifiers: ИНН, КПП, ОГРН, phones and e-mails as app.domain.normalize writes them

Rows written before identifiers were normalised hold them as typed (full-width digits, spaces,
``8 (495) …``). This data-only migration rewrites each value to its normalised form when that form is
valid; a value that stays invalid is left as it was (nothing is lost, the card shows the problem).
A client whose normalised ИНН equals another client's keeps its ИНН as typed, so the unique index holds
and the duplicate stays visible for the user to resolve.

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-30 12:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def _rewrite(conn, table: str, column: str, normalise, valid) -> None:
    t = sa.table(table, sa.column("id", sa.Integer), sa.column(column, sa.String))
    rows = conn.execute(sa.select(t.c.id, t.c[column])).all()
    for row_id, value in rows:
        if not value:
            continue
        new = normalise(value)
        if new != value and valid(new):
            conn.execute(sa.update(t).where(t.c.id == row_id).values({column: new}))


def upgrade() -> None:
    from app.domain import validation as v
    from app.domain.normalize import (
        normalize_email,
        normalize_inn,
        normalize_kpp,
        normalize_ogrn,
        normalize_phone,
    )

    conn = op.get_bind()
    client = sa.table("client", sa.column("id", sa.Integer), sa.column("inn", sa.String))
    taken = {inn for (inn,) in conn.execute(sa.select(client.c.inn)).all()}
    for row_id, inn in conn.execute(sa.select(client.c.id, client.c.inn).order_by(client.c.id)).all():
        new = normalize_inn(inn)
        if new != inn and v.inn_error(new) is None and new not in taken:
            conn.execute(sa.update(client).where(client.c.id == row_id).values(inn=new))
            taken.discard(inn)
            taken.add(new)
    _rewrite(conn, "client", "kpp", normalize_kpp, lambda value: v.kpp_error(value) is None)
    for table in ("contact", "employee"):
        _rewrite(conn, table, "phone", normalize_phone, lambda value: v.phone_error(value) is None)
        _rewrite(conn, table, "email", normalize_email, lambda value: v.email_error(value) is None)
    _rewrite(conn, "executor", "inn", normalize_inn, lambda value: v.inn_error(value) is None)
    _rewrite(conn, "executor", "kpp", normalize_kpp, lambda value: v.kpp_error(value) is None)
    _rewrite(conn, "executor", "ogrn", normalize_ogrn, lambda value: v.ogrn_error(value) is None)


def downgrade() -> None:
    # The typed spellings are not kept; the normalised values are valid for the older code too.
    pass
