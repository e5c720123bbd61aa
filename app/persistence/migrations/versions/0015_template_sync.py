"""sync: user-added checklist items travel through the team server; server tombstones know whose they are

* ``checklist_template`` gets ``uuid`` (NULL for the shipped items, which never travel; for an item a user
  added, a UUID derived from its code — app.persistence.models.template_uuid — so the same item has the same
  UUID on every laptop, whether it arrived through the server or in a bundle), ``updated_by`` and
  ``row_version``. Items added before this migration get their UUID here; on a laptop already in a team they
  are queued for the next sync.
* SQLite triggers: the outbox (insert, a change of code/stage/title/requirement, delete — never the list
  order, which is each laptop's own) and the lazy merge base (as migration 0012) for user-added items only;
  and a guard: the server's deletion of an item this laptop has ticks of is not applied — the item is queued
  to go back to the server instead (a tick beats a deletion, docs/sync.md).
* ``sync_tombstone`` gets ``specialist_login`` / ``manager_login``: whose client the deleted record
  belonged to when it was deleted, so row-level security shows a tombstone only to those who saw the record
  (app/team/server.py).

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 21:00:00
"""
import json
import uuid
from importlib import resources

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

# the same namespace as app.persistence.models.TEMPLATE_NAMESPACE (a test pins that they agree)
TEMPLATE_NAMESPACE = uuid.UUID('6f2b9a4e-3c1d-5e8f-9a7b-0c4d2e1f3a5b')
GUARD = "NOT EXISTS (SELECT 1 FROM setting WHERE key = 'sync.applying')"
SYNCED_COLUMNS = ('uuid', 'code', 'stage', 'title', 'requires')  # what travels (position is the laptop's own)


def _seeded() -> set[str]:
    text = resources.files('resources').joinpath('seed', 'checklist.json').read_text(encoding='utf-8')
    return {row['code'] for row in json.loads(text)}


def trigger_sql() -> list[str]:
    """The SQLite triggers of checklist_template (outbox, lazy base, the tick-beats-deletion guard)."""
    of = ', '.join(SYNCED_COLUMNS)
    raw = ', '.join(["'~raw', 1", *(f"'{c}', OLD.{c}" for c in (*SYNCED_COLUMNS, 'updated_by'))])
    base = ("AND NOT EXISTS (SELECT 1 FROM sync_base WHERE table_name = 'checklist_template' "
            "AND record_uuid = OLD.uuid) "
            "AND NOT EXISTS (SELECT 1 FROM sync_outbox WHERE table_name = 'checklist_template' "
            "AND record_uuid = OLD.uuid) "
            "BEGIN INSERT INTO sync_base(table_name, record_uuid, row_version, data) "
            f"VALUES ('checklist_template', OLD.uuid, OLD.row_version, json_object({raw})); END")
    outbox = "INSERT OR REPLACE INTO sync_outbox(table_name, record_uuid, deleted) VALUES ('checklist_template', "
    return [
        f"CREATE TRIGGER vn_outbox_checklist_template_ins AFTER INSERT ON checklist_template "
        f"WHEN NEW.uuid IS NOT NULL AND {GUARD} BEGIN {outbox}NEW.uuid, 0); END",
        f"CREATE TRIGGER vn_outbox_checklist_template_upd AFTER UPDATE OF {of} ON checklist_template "
        f"WHEN NEW.uuid IS NOT NULL AND {GUARD} BEGIN {outbox}NEW.uuid, 0); END",
        f"CREATE TRIGGER vn_outbox_checklist_template_del AFTER DELETE ON checklist_template "
        f"WHEN OLD.uuid IS NOT NULL AND {GUARD} BEGIN {outbox}OLD.uuid, 1); END",
        f"CREATE TRIGGER vn_base_checklist_template_upd BEFORE UPDATE OF {of} ON checklist_template "
        f"WHEN OLD.uuid IS NOT NULL AND OLD.row_version > 0 AND {GUARD} {base}",
        f"CREATE TRIGGER vn_base_checklist_template_del BEFORE DELETE ON checklist_template "
        f"WHEN OLD.uuid IS NOT NULL AND OLD.row_version > 0 AND {GUARD} {base}",
        # the sync applies the server's deletion of an item ticked here: keep the item, send it back
        "CREATE TRIGGER vn_keep_ticked_template BEFORE DELETE ON checklist_template "
        "WHEN OLD.uuid IS NOT NULL AND EXISTS (SELECT 1 FROM setting WHERE key = 'sync.applying') "
        "AND EXISTS (SELECT 1 FROM checklist_state WHERE code = OLD.code AND done) "
        f"BEGIN {outbox}OLD.uuid, 0); SELECT RAISE(IGNORE); END",
    ]


TRIGGERS = ('vn_outbox_checklist_template_ins', 'vn_outbox_checklist_template_upd',
            'vn_outbox_checklist_template_del', 'vn_base_checklist_template_upd', 'vn_base_checklist_template_del',
            'vn_keep_ticked_template')


def upgrade() -> None:
    with op.batch_alter_table('checklist_template') as batch:
        batch.add_column(sa.Column('uuid', sa.String(length=36), nullable=True))
        batch.add_column(sa.Column('updated_by', sa.String(length=200), nullable=False, server_default=''))
        batch.add_column(sa.Column('row_version', sa.BigInteger(), nullable=False, server_default='0'))
    op.create_index('ix_checklist_template_uuid', 'checklist_template', ['uuid'], unique=True)
    op.create_index('ix_checklist_template_row_version', 'checklist_template', ['row_version'], unique=False)
    with op.batch_alter_table('sync_tombstone') as batch:
        batch.add_column(sa.Column('specialist_login', sa.String(length=63), nullable=True))
        batch.add_column(sa.Column('manager_login', sa.String(length=63), nullable=True))
    bind = op.get_bind()
    # tombstones written before their logins were kept stay readable by every member, as they were
    bind.execute(sa.text("UPDATE sync_tombstone SET specialist_login = '*'"))
    seeded = _seeded()
    added = [(row_id, code) for row_id, code in bind.execute(sa.text("SELECT id, code FROM checklist_template"))
             if code not in seeded]
    for row_id, code in added:
        bind.execute(sa.text("UPDATE checklist_template SET uuid = :u WHERE id = :i"),
                     {"u": str(uuid.uuid5(TEMPLATE_NAMESPACE, code)), "i": row_id})
    if bind.dialect.name != 'sqlite':
        return
    for sql in trigger_sql():
        op.execute(sql)
    in_team = bind.execute(sa.text("SELECT value FROM setting WHERE key = 'team.login'")).scalar()
    if in_team:
        op.execute("INSERT OR IGNORE INTO sync_outbox(table_name, record_uuid, deleted) "
                   "SELECT 'checklist_template', uuid, 0 FROM checklist_template WHERE uuid IS NOT NULL")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DELETE FROM sync_outbox WHERE table_name = 'checklist_template'")
        op.execute("DELETE FROM sync_base WHERE table_name = 'checklist_template'")
    with op.batch_alter_table('sync_tombstone') as batch:
        batch.drop_column('manager_login')
        batch.drop_column('specialist_login')
    op.drop_index('ix_checklist_template_row_version', table_name='checklist_template')
    op.drop_index('ix_checklist_template_uuid', table_name='checklist_template')
    with op.batch_alter_table('checklist_template') as batch:
        batch.drop_column('row_version')
        batch.drop_column('updated_by')
        batch.drop_column('uuid')
