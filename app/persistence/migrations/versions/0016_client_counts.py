"""client_counts: each client's two list counters, kept exact by SQLite triggers

The client list and the kanban show, per client, the checklist items ticked at the client's current stage and
the active lessons the company has done. Counting them on every full reload took ~50 of the ~110 ms of CPU of
``app.services.client_list.summaries`` at 5 000 clients; ``client_counts`` keeps them instead, one row per client:

* ``done_at_stage``: checklist_state rows of the client with ``done`` whose code is a checklist_template item of
  the client's current stage;
* ``lessons_done``: lesson_progress rows of the client with ``employee_uuid = ''`` and ``done`` whose lesson
  code is an active lesson.

Triggers (SQLite only) add or take one for each tick or lesson mark inserted, changed or deleted, count a
client's row again after its insert or a change of its stage, and the rows of the clients concerned after a
change of the template or the lesson catalogue: whoever writes — the services, the CSV import, a bundle, the sync engine's raw statements, a hand
``UPDATE`` — the counters follow, and a restored older backup gets them filled here. The table is this
laptop's own: it does not travel (not in app/sync/rows.py TABLES, not Synced) and the team server leaves it
empty (PostgreSQL counts live). A later migration that rebuilds client, checklist_state, lesson_progress,
lesson or checklist_template (``batch_alter_table`` on SQLite copies the table and drops its triggers) must
create these triggers again (``trigger_sql()``).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 21:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def done_sql(client: str) -> str:
    """SQL: the ticked items at the current stage of the client whose id is the expression ``client``."""
    return ("(SELECT count(*) FROM checklist_state s JOIN client k ON k.id = s.client_id "
            "JOIN checklist_template t ON t.code = s.code AND t.stage = k.stage "
            f"WHERE s.client_id = {client} AND s.done IS 1)")


def lessons_sql(client: str) -> str:
    """SQL: the active lessons done by the company of the client whose id is the expression ``client``."""
    return ("(SELECT count(*) FROM lesson_progress p JOIN lesson l ON l.code = p.lesson_code "
            f"WHERE p.client_id = {client} AND p.employee_uuid = '' AND p.done IS 1 AND l.active IS 1)")


def refresh_sql(clients: str) -> str:
    """SQL: recompute both counters of the clients whose ids are the list of expressions ``clients``. Delete,
    then insert: a statement's conflict clause (``INSERT OR IGNORE`` …) overrides those of the triggers it fires,
    so an ``INSERT OR REPLACE`` here would become an ``OR IGNORE`` under an ``INSERT OR IGNORE`` of a tick."""
    return (f"DELETE FROM client_counts WHERE client_id IN ({clients}); "
            "INSERT INTO client_counts(client_id, done_at_stage, lessons_done) "
            f"SELECT c.id, {done_sql('c.id')}, {lessons_sql('c.id')} FROM client c WHERE c.id IN ({clients});")


def _recount(column: str, count: str, child: str, code_column: str, codes: str) -> str:
    """SQL: recompute ``column`` of the clients having a ``child`` row whose code is one of ``codes``."""
    return (f"UPDATE client_counts SET {column} = {count} WHERE client_id IN "
            f"(SELECT client_id FROM {child} WHERE {code_column} IN ({codes}));")


# whether the row ``r`` (NEW or OLD) of checklist_state / lesson_progress counts, the rest of the row aside
TICK_COUNTS = ("EXISTS (SELECT 1 FROM checklist_template t JOIN client k ON k.stage = t.stage "
               "WHERE t.code = {r}.code AND k.id = {r}.client_id)")
MARK_COUNTS = "EXISTS (SELECT 1 FROM lesson l WHERE l.code = {r}.lesson_code AND l.active IS 1)"


def _step(column: str, sign: str, r: str, counts: str) -> str:
    """SQL: add ``sign``1 to ``column`` of the client of row ``r`` when ``r`` counts."""
    return (f"UPDATE client_counts SET {column} = {column} {sign} 1 "
            f"WHERE client_id = {r}.client_id AND {counts.format(r=r)};")


def trigger_sql() -> list[str]:
    """The SQLite triggers that keep client_counts equal to the live counts. A tick or a lesson mark adds or
    takes one (lookups by key: a bulk write of 90 000 ticks and marks takes ~10 % longer, against ~40 % when
    each recounted its client); a client's insert or move, a template or catalogue change count again."""
    done = done_sql('client_counts.client_id')
    lessons = lessons_sql('client_counts.client_id')
    sql = [
        f"CREATE TRIGGER vn_counts_client_ins AFTER INSERT ON client BEGIN {refresh_sql('NEW.id')} END",
        "CREATE TRIGGER vn_counts_client_upd AFTER UPDATE OF id, stage ON client "
        "WHEN OLD.id IS NOT NEW.id OR OLD.stage IS NOT NEW.stage "
        f"BEGIN {refresh_sql('OLD.id, NEW.id')} END",
        "CREATE TRIGGER vn_counts_client_del AFTER DELETE ON client "
        "BEGIN DELETE FROM client_counts WHERE client_id = OLD.id; END",
    ]
    for child, columns, column, counts, extra in (
            ('checklist_state', 'client_id, code, done', 'done_at_stage', TICK_COUNTS, ''),
            ('lesson_progress', 'client_id, lesson_code, employee_uuid, done', 'lessons_done', MARK_COUNTS,
             " AND {r}.employee_uuid = ''")):
        new, old = 'NEW.done IS 1' + extra.format(r='NEW'), 'OLD.done IS 1' + extra.format(r='OLD')
        sql += [
            f"CREATE TRIGGER vn_counts_{child}_ins AFTER INSERT ON {child} WHEN {new} "
            f"BEGIN {_step(column, '+', 'NEW', counts)} END",
            f"CREATE TRIGGER vn_counts_{child}_upd AFTER UPDATE OF {columns} ON {child} WHEN ({old}) OR ({new}) "
            f"BEGIN {_step(column, '-', 'OLD', f'{counts} AND {old}')} "
            f"{_step(column, '+', 'NEW', f'{counts} AND {new}')} END",
            f"CREATE TRIGGER vn_counts_{child}_del AFTER DELETE ON {child} WHEN {old} "
            f"BEGIN {_step(column, '-', 'OLD', counts)} END",
        ]
    for parent, child, code_column, column, count, changed in (
            ('checklist_template', 'checklist_state', 'code', 'done_at_stage', done, 'stage'),
            ('lesson', 'lesson_progress', 'lesson_code', 'lessons_done', lessons, 'active')):
        sql += [
            f"CREATE TRIGGER vn_counts_{parent}_ins AFTER INSERT ON {parent} "
            f"BEGIN {_recount(column, count, child, code_column, 'NEW.code')} END",
            f"CREATE TRIGGER vn_counts_{parent}_upd AFTER UPDATE OF code, {changed} ON {parent} "
            f"WHEN OLD.code IS NOT NEW.code OR OLD.{changed} IS NOT NEW.{changed} "
            f"BEGIN {_recount(column, count, child, code_column, 'OLD.code, NEW.code')} END",
            f"CREATE TRIGGER vn_counts_{parent}_del AFTER DELETE ON {parent} "
            f"BEGIN {_recount(column, count, child, code_column, 'OLD.code')} END",
        ]
    return sql


TRIGGERS = tuple(f"vn_counts_{table}_{event}"
                 for table in ('client', 'checklist_state', 'lesson_progress', 'checklist_template', 'lesson')
                 for event in ('ins', 'upd', 'del'))


def upgrade() -> None:
    op.create_table('client_counts',
                    sa.Column('client_id', sa.Integer(), autoincrement=False, nullable=False),
                    sa.Column('done_at_stage', sa.Integer(), server_default='0', nullable=False),
                    sa.Column('lessons_done', sa.Integer(), server_default='0', nullable=False),
                    sa.PrimaryKeyConstraint('client_id'))
    if op.get_bind().dialect.name != 'sqlite':
        return  # PostgreSQL (a team server) counts live: app.services.client_list
    op.execute(f"INSERT INTO client_counts(client_id, done_at_stage, lessons_done) "
               f"SELECT c.id, {done_sql('c.id')}, {lessons_sql('c.id')} FROM client c")
    for sql in trigger_sql():
        op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table('client_counts')
