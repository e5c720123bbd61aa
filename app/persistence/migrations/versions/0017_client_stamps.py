"""client_stamp: a random stamp per client, drawn again by SQLite triggers whenever its list row may change

A window that holds every client's list row (``app.domain.client_summary.ClientSummary``) asks after a data
change (a restore, a bundle, a sync) which rows changed, instead of reading all of them again (~0.4 s at 50 000
clients): ``app.services.list_read.read_list`` compares the stamps it read with the rows against the stamps now
and reads only the clients whose stamp differs. A row's inputs are the client's own columns, its two counters in
``client_counts`` (migration 0016) and its contacts; the triggers below draw a new stamp on every insert or
update of those rows, whoever writes (the services, a bundle, the sync engine's raw statements, a hand
``UPDATE``). The stamp is ``random()`` (64 bits), not a counter: a restored backup or another copy of the file
carries its own stamps, and a counter would start again from the copy's value and meet the same numbers with
other contents. A client without a stamp (a writer that bypassed the triggers) is read every time.

The table is this laptop's own, like client_counts: never synced, never in a bundle; the team server leaves it
empty (PostgreSQL reads every row). A later migration that rebuilds client, client_counts or contact
(``batch_alter_table`` on SQLite copies the table and drops its triggers) must create these again
(``trigger_sql()``).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 00:10:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

_RESTAMP = "UPDATE client_stamp SET stamp = random() WHERE client_id IN ({ids});"


def trigger_sql() -> list[str]:
    """The SQLite triggers that draw a client's stamp again when its list row's inputs change. Delete, then
    insert, for a client's own row: a statement's conflict clause (``INSERT OR IGNORE`` …) overrides those of the
    triggers it fires (see migration 0016)."""
    sql = [
        "CREATE TRIGGER vn_stamp_client_ins AFTER INSERT ON client BEGIN "
        "DELETE FROM client_stamp WHERE client_id = NEW.id; "
        "INSERT INTO client_stamp(client_id, stamp) VALUES (NEW.id, random()); END",
        "CREATE TRIGGER vn_stamp_client_upd AFTER UPDATE ON client BEGIN "
        "DELETE FROM client_stamp WHERE client_id IN (OLD.id, NEW.id); "
        "INSERT INTO client_stamp(client_id, stamp) VALUES (NEW.id, random()); END",
        "CREATE TRIGGER vn_stamp_client_del AFTER DELETE ON client BEGIN "
        "DELETE FROM client_stamp WHERE client_id = OLD.id; END",
    ]
    for table in ("client_counts", "contact"):
        sql += [
            f"CREATE TRIGGER vn_stamp_{table}_ins AFTER INSERT ON {table} "
            f"BEGIN {_RESTAMP.format(ids='NEW.client_id')} END",
            f"CREATE TRIGGER vn_stamp_{table}_upd AFTER UPDATE ON {table} "
            f"BEGIN {_RESTAMP.format(ids='OLD.client_id, NEW.client_id')} END",
            f"CREATE TRIGGER vn_stamp_{table}_del AFTER DELETE ON {table} "
            f"BEGIN {_RESTAMP.format(ids='OLD.client_id')} END",
        ]
    return sql


TRIGGERS = tuple(f"vn_stamp_{table}_{event}" for table in ('client', 'client_counts', 'contact')
                 for event in ('ins', 'upd', 'del'))


def upgrade() -> None:
    op.create_table('client_stamp',
                    sa.Column('client_id', sa.Integer(), autoincrement=False, nullable=False),
                    sa.Column('stamp', sa.BigInteger(), nullable=False),
                    sa.PrimaryKeyConstraint('client_id'))
    if op.get_bind().dialect.name != 'sqlite':
        return  # PostgreSQL (a team server) reads every row: app.services.list_read
    op.execute("INSERT INTO client_stamp(client_id, stamp) SELECT id, random() FROM client")
    for sql in trigger_sql():
        op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table('client_stamp')
