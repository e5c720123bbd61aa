"""Prepare a PostgreSQL database as the team server: schema, the team role, row-level security, versions.

``init_server(url)`` is idempotent (safe to run again after an upgrade). It runs the same Alembic
migrations as every open, then applies :data:`SERVER_SQL`: a group role ``vnedrenie_team`` that every
team member's login belongs to, grants, row-level security on the client and everything a client owns
(a specialist sees the clients whose ``specialist_login`` is theirs; a manager those of their own and of
their specialists; an admin everything), a trigger that stamps ``row_version`` from one sequence and
``updated_by`` with the connected login, a trigger that keeps the audit trail append-only for
everyone but admins, and triggers that keep issued documents and work billed by an act in force as they were
(every member but an admin; docs/sync.md «People and rights»). The connection of ``init_server`` is the database owner (not subject to RLS)."""

from __future__ import annotations

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from app.errors import UserError
from app.i18n import _
from app.persistence.db import Database, open_database
from app.team.server_triggers import handover_sql, inn_free_sql, kept_sql

TEAM_ROLE = "vnedrenie_team"

# Tables whose rows belong to one client through ``client_id`` (RLS follows the client's visibility).
CLIENT_OWNED = ("contact", "employee", "stage_event", "checklist_state", "lesson_progress", "work_log",
                "estimate", "document", "planned_event", "question")
SYNCED = ("client", *CLIENT_OWNED)
# team-wide data: read by every member, written by admins (user-added checklist items: by members too)
TEAM_WIDE = ("tariff", "exchange_rate", "executor", "vat_rate", "setting", "stage", "checklist_template", "lesson")
# the laptop's own bookkeeping tables: no member right on the server
LAPTOP_ONLY = ("sync_outbox", "sync_base", "sync_conflict", "exchange_base", "client_counts",
               "client_stamp")

# The connected member's app role, read once per statement: a scalar subquery becomes an InitPlan, where a bare
# vn_app_role() in a policy ran its query for every row the policy looked at (6 000 clients: ~100 ms a statement)
ROLE = "(SELECT vn_app_role())"


def sees_sql(spec: str, mgr: str, schema: str = "") -> str:
    """SQL: whether the connected member sees a client whose specialist and manager logins are the expressions
    ``spec`` and ``mgr`` (README «Team»: a specialist their own clients, a manager theirs and their specialists',
    an admin all). The role is read once per statement (``ROLE``) and a manager's specialists are one hashed list,
    so a policy built on it costs a few comparisons a row; ``vn_sees`` is the same expression as a function."""
    users = f"{schema}.team_user" if schema else "team_user"
    me = "current_user::text"
    return (f"({ROLE} = 'admin' OR ({ROLE} = 'specialist' AND {spec} = {me}) OR ({ROLE} = 'manager' AND "
            f"({mgr} = {me} OR {spec} = {me} OR {spec} IN (SELECT u.login FROM {users} u WHERE u.manager_login = {me}))))")


def _functions_sql(schema: str) -> str:
    """Roles, the version sequence and the functions of policies and triggers.

    Every table and sequence is named with its schema: these functions run with the caller's search path,
    and a session's temporary schema is searched first for tables — a member's ``CREATE TEMP TABLE
    team_user`` would otherwise make them an admin in the policies, and a temporary ``vn_row_version`` or
    ``sync_tombstone`` would corrupt versions and deletions (tests/team/test_server_hardening.py)."""
    return f"""
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{TEAM_ROLE}') THEN
    CREATE ROLE {TEAM_ROLE} NOLOGIN;
  END IF;
END $$;

CREATE SEQUENCE IF NOT EXISTS {schema}.vn_row_version;

CREATE OR REPLACE FUNCTION vn_app_role() RETURNS text LANGUAGE sql STABLE AS
$$ SELECT role FROM {schema}.team_user WHERE login = current_user::text AND active $$;

CREATE OR REPLACE FUNCTION vn_sees(spec text, mgr text) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT {sees_sql("spec", "mgr", schema)}
$$;

CREATE OR REPLACE FUNCTION vn_stamp_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- writers in version order: a pull reads up to the sequence value it saw under the shared lock
  PERFORM pg_advisory_xact_lock(7417222);
  NEW.row_version := nextval('{schema}.vn_row_version');
  -- the author is the connected member; but a document arrives with its issuer (whose name its snapshot
  -- prints as the signer), also when another member carried it here from a bundle: that stays
  IF vn_app_role() IS NOT NULL AND NOT (TG_OP = 'INSERT' AND TG_TABLE_NAME = 'document'
                                         AND COALESCE(NEW.updated_by, '') <> '') THEN
    NEW.updated_by := current_user::text;
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION vn_stamp_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7417222);
  NEW.row_version := nextval('{schema}.vn_row_version');
  RETURN NEW;
END $$;

-- a client's deletion stashes its logins for the transaction: its records' tombstones, written by the cascade
-- once the client row is gone, name the same people (else no member could read them: row-level security).
-- Set before the row goes, so it overwrites whatever the deleting member set in their session beforehand.
CREATE OR REPLACE FUNCTION vn_client_stash() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('vn.client_' || OLD.id, json_build_array(OLD.specialist_login, OLD.manager_login)::text, true);
  RETURN OLD;
END $$;

-- security definer: members read tombstones (row-level security by whose client the record was) but never
-- write them; the client's logins are looked up past the deleter's policies, or, when a cascade has removed
-- the client, taken from its deletion's stash (vn_client_stash)
CREATE OR REPLACE FUNCTION vn_tombstone() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = {schema}, pg_temp AS $$
DECLARE spec text; mgr text; stash text;
BEGIN
  PERFORM pg_advisory_xact_lock(7417222);
  IF TG_TABLE_NAME = 'client' THEN
    spec := OLD.specialist_login;
    mgr := OLD.manager_login;
  ELSIF TG_TABLE_NAME <> 'checklist_template' THEN
    SELECT c.specialist_login, c.manager_login INTO spec, mgr FROM {schema}.client c WHERE c.id = OLD.client_id;
    IF NOT FOUND THEN
      stash := current_setting('vn.client_' || OLD.client_id, true);
      IF COALESCE(stash, '') <> '' THEN
        spec := stash::json ->> 0;
        mgr := stash::json ->> 1;
      END IF;
    END IF;
  END IF;
  INSERT INTO {schema}.sync_tombstone(table_name, record_uuid, row_version, specialist_login, manager_login)
    VALUES (TG_TABLE_NAME, OLD.uuid, nextval('{schema}.vn_row_version'), spec, mgr);
  RETURN OLD;
END $$;
REVOKE ALL ON FUNCTION vn_tombstone() FROM PUBLIC;

-- a user-added checklist item is deleted only while nobody in the team has ticked it and no item requires
-- it (the laptop checked only its own clients): otherwise the deletion is skipped and the item gets a new
-- version, so the laptop that deleted it gets it back at its next pull
CREATE OR REPLACE FUNCTION vn_template_delete() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = {schema}, pg_temp AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM {schema}.checklist_state WHERE code = OLD.code AND done)
     OR EXISTS (SELECT 1 FROM {schema}.checklist_template WHERE requires = OLD.code) THEN
    UPDATE {schema}.checklist_template SET updated_by = updated_by WHERE id = OLD.id;
    RETURN NULL;
  END IF;
  RETURN OLD;
END $$;
REVOKE ALL ON FUNCTION vn_template_delete() FROM PUBLIC;

-- a user-added item's code is what ticks and documents name, and its UUID is derived from it: neither changes
CREATE OR REPLACE FUNCTION vn_template_code() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.uuid IS DISTINCT FROM OLD.uuid OR (OLD.uuid IS NOT NULL AND NEW.code <> OLD.code) THEN
    RAISE EXCEPTION 'a checklist item keeps its code' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION vn_client_defaults() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.specialist_login = '' AND vn_app_role() = 'specialist' THEN
    NEW.specialist_login := current_user::text;
    IF NEW.manager_login = '' THEN
      NEW.manager_login := COALESCE((SELECT manager_login FROM {schema}.team_user
                                     WHERE login = current_user::text), '');
    END IF;
  ELSIF NEW.manager_login = '' AND vn_app_role() = 'manager' THEN
    NEW.manager_login := current_user::text;
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION vn_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF vn_app_role() IS NOT NULL AND vn_app_role() <> 'admin' THEN
    RAISE EXCEPTION 'the audit trail is append-only' USING ERRCODE = '42501';
  END IF;
  RETURN OLD;
END $$;
"""


# what one call of vn_reserve_numbers may take (the program asks for app/sync/numbers.py's BLOCK = 20), and how
# many blocks of a kind and year one login may hold with no document numbered from them (a laptop holds one or two)
BLOCK_CAP = 100
UNUSED_BLOCKS_CAP = 20
INT_MAX = 2147483647  # document.number and number_block.last are PostgreSQL integers


def _numbers_sql(schema: str) -> str:
    """Document numbers across the team: security-definer functions that see every document and block.

    ``vn_reserve_numbers(kind, year, n)`` refuses, for anyone calling it (a member in psql too): ``n`` outside
    1..BLOCK_CAP, a kind that is not one of the program's, a year outside 2000..next year (SQLSTATE 22023,
    «a reservation of document numbers …»); a block past the integer range (22003, «no document numbers are
    left …») and a login's UNUSED_BLOCKS_CAP-th unused block of a kind and year (54000, «too many unused
    blocks …»). app/team/pg_refusals.py and app/sync/numbers.py word them; nothing is inserted then."""
    from app.sync.numbers import KINDS

    kinds = ", ".join(f"'{k}'" for k in KINDS)
    highest = ("GREATEST(COALESCE((SELECT max(number) FROM document WHERE series = '' AND kind = k AND year = y), 0),"
               " COALESCE((SELECT max(last) FROM number_block WHERE kind = k AND year = y), 0))")
    return f"""
CREATE OR REPLACE FUNCTION vn_next_number(k text, y int) RETURNS int LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = {schema}, pg_temp AS $$ SELECT {highest} + 1 $$;

CREATE OR REPLACE FUNCTION vn_reserve_numbers(k text, y int, n int) RETURNS int LANGUAGE plpgsql
SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
DECLARE first_number bigint;
BEGIN
  IF n IS NULL OR n < 1 OR n > {BLOCK_CAP} THEN
    RAISE EXCEPTION 'a reservation of document numbers takes 1 to {BLOCK_CAP} numbers' USING ERRCODE = '22023',
      DETAIL = format('asked for %s', n);
  END IF;
  IF k IS NULL OR k NOT IN ({kinds}) THEN
    RAISE EXCEPTION 'a reservation of document numbers takes a kind of document: {', '.join(KINDS)}'
      USING ERRCODE = '22023', DETAIL = format('asked for %L', k);
  END IF;
  IF y IS NULL OR y < 2000 OR y > extract(year FROM current_date)::int + 1 THEN
    RAISE EXCEPTION 'a reservation of document numbers takes a year from 2000 to next year'
      USING ERRCODE = '22023', DETAIL = format('asked for %s', y);
  END IF;
  PERFORM pg_advisory_xact_lock(7417223);
  IF (SELECT count(*) FROM number_block b WHERE b.login = session_user AND b.kind = k AND b.year = y
      AND NOT EXISTS (SELECT 1 FROM document d WHERE d.series = '' AND d.kind = k AND d.year = y
                      AND d.number BETWEEN b.first AND b.last)) >= {UNUSED_BLOCKS_CAP} THEN
    RAISE EXCEPTION 'too many unused blocks of document numbers' USING ERRCODE = '54000',
      DETAIL = format('%s %s %s', session_user, k, y);
  END IF;
  first_number := {highest}::bigint + 1;
  IF first_number + n - 1 > {INT_MAX} THEN
    RAISE EXCEPTION 'no document numbers are left for this kind and year' USING ERRCODE = '22003',
      DETAIL = format('%s %s', k, y);
  END IF;
  INSERT INTO number_block(kind, year, first, last, next, login)
    VALUES (k, y, first_number, first_number + n - 1, first_number, session_user);
  RETURN first_number;
END $$;
REVOKE ALL ON FUNCTION vn_reserve_numbers(text, int, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vn_reserve_numbers(text, int, int) TO {TEAM_ROLE};
"""


def _server_sql(schema: str) -> str:
    """The idempotent DDL applied by :func:`init_server` (PostgreSQL ≥ 14: CREATE OR REPLACE TRIGGER)."""
    from app.sync.witness import SERVER_SQL as WITNESS_SQL

    parts = [_functions_sql(schema), _numbers_sql(schema), WITNESS_SQL.format(schema=schema),
             # PostgreSQL 15 made this the default; on 14 every role may create objects in public, e.g. an
             # operator or function that a policy or trigger run by someone else would pick
             f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC;",
             f"GRANT USAGE ON SCHEMA {schema} TO {TEAM_ROLE};",
             f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {TEAM_ROLE};",
             f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO {TEAM_ROLE};",
             f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {TEAM_ROLE};",
             # the laptop's own bookkeeping, unused on the server (conflicts are recorded on the laptop that
             # met them): no member reads or writes it; RLS on too, with no policy, should a grant come back
             *(f"REVOKE ALL ON {t} FROM {TEAM_ROLE}; ALTER TABLE {t} ENABLE ROW LEVEL SECURITY;"
               for t in LAPTOP_ONLY),
             # tombstones are written by the security-definer trigger only
             f"REVOKE INSERT, UPDATE, DELETE ON sync_tombstone FROM {TEAM_ROLE};",
             ]
    for table in SYNCED:
        parts.append(f"CREATE OR REPLACE TRIGGER vn_version BEFORE INSERT OR UPDATE ON {table} "
                     f"FOR EACH ROW EXECUTE FUNCTION vn_stamp_version();")
        parts.append(f"CREATE OR REPLACE TRIGGER vn_tombstone AFTER DELETE ON {table} "
                     f"FOR EACH ROW EXECUTE FUNCTION vn_tombstone();")
        parts.append(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;")
        parts.append(f"DROP POLICY IF EXISTS vn_access ON {table};")
    # user-added checklist items travel (uuid set); the shipped ones (uuid NULL) never get a version
    parts += [
        "CREATE OR REPLACE TRIGGER vn_version BEFORE INSERT OR UPDATE ON checklist_template "
        "FOR EACH ROW WHEN (NEW.uuid IS NOT NULL) EXECUTE FUNCTION vn_stamp_version();",
        "CREATE OR REPLACE TRIGGER vn_tombstone AFTER DELETE ON checklist_template "
        "FOR EACH ROW WHEN (OLD.uuid IS NOT NULL) EXECUTE FUNCTION vn_tombstone();",
        "CREATE OR REPLACE TRIGGER vn_in_use BEFORE DELETE ON checklist_template "
        "FOR EACH ROW WHEN (OLD.uuid IS NOT NULL) EXECUTE FUNCTION vn_template_delete();",
        "CREATE OR REPLACE TRIGGER vn_code BEFORE UPDATE ON checklist_template "
        "FOR EACH ROW EXECUTE FUNCTION vn_template_code();",
        # items added on the server before migration 0015 gave them a UUID: a version, so every laptop pulls them
        "UPDATE checklist_template SET updated_by = updated_by WHERE uuid IS NOT NULL AND row_version = 0;",
        # tombstones of a deleted client's records written before the deletion stashed its logins (vn_client_stash)
        # name nobody, so no member ever read them and those records stayed on laptops: readable by all, as the
        # tombstones from before the rule are ('*'); they hold a table name and a UUID, nothing of the record
        "UPDATE sync_tombstone SET specialist_login = '*' WHERE specialist_login IS NULL AND manager_login IS NULL "
        "AND table_name NOT IN ('checklist_template', 'client', 'client_handed');",
    ]
    sees = sees_sql("specialist_login", "manager_login", schema)
    parts.append(f"CREATE POLICY vn_access ON client USING {sees} WITH CHECK {sees};")
    parts.append("CREATE OR REPLACE TRIGGER vn_client_defaults BEFORE INSERT ON client "
                 "FOR EACH ROW EXECUTE FUNCTION vn_client_defaults();")
    parts.append("CREATE OR REPLACE TRIGGER vn_stash BEFORE DELETE ON client "
                 "FOR EACH ROW EXECUTE FUNCTION vn_client_stash();")
    for table in CLIENT_OWNED:
        parts.append(f"CREATE POLICY vn_access ON {table} USING (client_id IN (SELECT id FROM client)) "
                     f"WITH CHECK (client_id IN (SELECT id FROM client));")
    parts += kept_sql(schema, TEAM_ROLE)
    parts += handover_sql(schema) + inn_free_sql(schema, TEAM_ROLE)
    parts += [
        "CREATE OR REPLACE TRIGGER vn_version BEFORE INSERT ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION vn_stamp_audit();",
        "CREATE OR REPLACE TRIGGER vn_append_only BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION vn_audit_append_only();",
        "ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;",
        "DROP POLICY IF EXISTS vn_read ON audit_log;",
        "DROP POLICY IF EXISTS vn_write ON audit_log;",
        "DROP POLICY IF EXISTS vn_admin ON audit_log;",
        "DROP POLICY IF EXISTS vn_admin_delete ON audit_log;",
        f"CREATE POLICY vn_read ON audit_log FOR SELECT USING (client_uuid = '' OR {ROLE} = 'admin' "
        "OR client_uuid IN (SELECT uuid FROM client));",
        # under one's own login; lines written on a laptop before it joined: «login (local name)»; a line of
        # team-wide data (no client) only from an administrator, who alone may make that change (a refused
        # change must leave no trace in the trail: app/sync/team_data.py)
        "CREATE POLICY vn_write ON audit_log FOR INSERT WITH CHECK ((author = current_user::text "
        f"OR starts_with(author, current_user::text || ' (')) AND (client_uuid <> '' OR {ROLE} = 'admin' "
        f"OR (table_name = 'checklist_template' AND {ROLE} IS NOT NULL)));",
        f"CREATE POLICY vn_admin ON audit_log FOR UPDATE USING ({ROLE} = 'admin');",
        f"CREATE POLICY vn_admin_delete ON audit_log FOR DELETE USING ({ROLE} = 'admin');",
        "ALTER TABLE team_user ENABLE ROW LEVEL SECURITY;",
        "DROP POLICY IF EXISTS vn_read ON team_user;",
        "DROP POLICY IF EXISTS vn_admin ON team_user;",
        "CREATE POLICY vn_read ON team_user FOR SELECT USING (true);",
        f"CREATE POLICY vn_admin ON team_user USING ({ROLE} = 'admin') "
        f"WITH CHECK ({ROLE} = 'admin');",
    ]
    # team-wide data (tariffs, executor requisites, VAT, settings, reference lists): everyone reads, admins
    # write. Nothing a sync does writes them on the server (a laptop's copy is replaced from the server's,
    # app/sync/team_copy.py _copy_team_data): they are changed by an admin working on the server.
    for table in TEAM_WIDE:
        parts += [f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;",
                  f"DROP POLICY IF EXISTS vn_read ON {table};",
                  f"DROP POLICY IF EXISTS vn_admin ON {table};",
                  f"CREATE POLICY vn_read ON {table} FOR SELECT USING (true);",
                  f"CREATE POLICY vn_admin ON {table} USING ({ROLE} = 'admin') "
                  f"WITH CHECK ({ROLE} = 'admin');"]
    parts += _member_sql()
    return "\n".join(parts)


def _member_sql() -> list[str]:
    """Policies beyond «read by all, changed by admins»: user-added checklist items, tombstones, number blocks."""
    parts = [
        # any member adds, renames and deletes a user-added item (uuid set); the shipped ones stay the admins'
        "DROP POLICY IF EXISTS vn_member ON checklist_template;",
        f"CREATE POLICY vn_member ON checklist_template USING (uuid IS NOT NULL AND {ROLE} IS NOT NULL) "
        f"WITH CHECK (uuid IS NOT NULL AND {ROLE} IS NOT NULL);",
        # a tombstone is read by those who saw the record when it was deleted: its client's specialist and
        # manager (vn_sees), everyone for a team-wide item; '*' marks tombstones from before this rule
        "ALTER TABLE sync_tombstone ENABLE ROW LEVEL SECURITY;",
        "DROP POLICY IF EXISTS vn_read ON sync_tombstone;",
        "CREATE POLICY vn_read ON sync_tombstone FOR SELECT USING (table_name = 'checklist_template' "
        f"OR specialist_login = '*' OR {sees_sql('specialist_login', 'manager_login')});",
        # a bundle's tombstones (written by the app on a delete, read by an export) follow their client
        "ALTER TABLE tombstone ENABLE ROW LEVEL SECURITY;",
        "DROP POLICY IF EXISTS vn_access ON tombstone;",
        "DROP POLICY IF EXISTS vn_write ON tombstone;",
        f"CREATE POLICY vn_access ON tombstone USING ({ROLE} = 'admin' OR client_uuid = '' "
        "OR client_uuid IN (SELECT uuid FROM client)) "
        f"WITH CHECK ({ROLE} = 'admin' OR client_uuid IN (SELECT uuid FROM client));",
        # number blocks: a member reads its own and reserves only through vn_reserve_numbers (security
        # definer: the next free numbers, under the caller's login) — a block typed by hand could take numbers
        # far ahead of everyone's series; only an admin inserts, changes or deletes one directly
        "ALTER TABLE number_block ENABLE ROW LEVEL SECURITY;",
        "DROP POLICY IF EXISTS vn_own ON number_block;",
        "DROP POLICY IF EXISTS vn_admin ON number_block;",
        "CREATE POLICY vn_own ON number_block FOR SELECT USING (login = current_user::text "
        f"OR {ROLE} = 'admin');",
        f"CREATE POLICY vn_admin ON number_block USING ({ROLE} = 'admin') "
        f"WITH CHECK ({ROLE} = 'admin');",
    ]
    return parts


def is_postgres(url: str) -> bool:
    """Whether ``url`` is a PostgreSQL address (any driver); an address that does not parse is not."""
    try:
        return make_url(url).get_backend_name() == "postgresql"
    except Exception:
        return False


def require_postgres(url: str) -> None:
    """Refuse (UserError) a URL that is not PostgreSQL: the team server needs roles and row-level security."""
    if not is_postgres(url):
        raise UserError(_("The team server must be a PostgreSQL database (a URL such as "
                          "postgresql+psycopg://owner@host/dbname); nothing was changed."))
    require_psycopg(url)


def require_psycopg(url: str) -> None:
    """Refuse (UserError) a PostgreSQL URL of a driver the program does not ship («postgresql://» means
    psycopg2 to SQLAlchemy; asyncpg, pg8000 …): only psycopg (3) is installed — the trial 17f saw «Внутренняя
    ошибка: ModuleNotFoundError: psycopg2», exit 1."""
    if make_url(url).drivername != "postgresql+psycopg":
        raise UserError(_("Write the team server's address with the driver this program uses: "
                          "postgresql+psycopg://LOGIN@host/dbname (not «{scheme}://»); nothing was changed.").format(
            scheme=make_url(url).drivername))


MIN_VERSION = 140000  # server_version_num of PostgreSQL 14: CREATE OR REPLACE TRIGGER


def check_version(version_num: int) -> None:
    """Refuse (UserError) a PostgreSQL older than 14, naming the version found (``version_num`` as in
    ``SHOW server_version_num``, e.g. 130011 for 13.11)."""
    if version_num < MIN_VERSION:
        found = f"{version_num // 10000}.{version_num % 10000}" if version_num >= 100000 else str(version_num)
        raise UserError(_("The team server needs PostgreSQL 14 or newer; this server runs PostgreSQL {version}. "
                          "Nothing was changed.").format(version=found))


def server_version(url: str) -> int:
    """``server_version_num`` of the PostgreSQL at ``url``."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.exec_driver_sql("SHOW server_version_num").scalar() or 0)
    finally:
        engine.dispose()


def init_server(url: str) -> Database:
    """Bring ``url`` (PostgreSQL ≥ 14, connected as the database owner) to the team schema; returns it open.

    Raises UserError for a non-PostgreSQL URL, an older PostgreSQL (before anything is changed), a schema in
    which every role may create objects and whose owner is someone else (PostgreSQL 14's default for
    public), or a database that cannot be opened."""
    require_postgres(url)
    check_version(server_version(url))
    db = open_database(url)
    try:
        apply_server_sql(db)
    except BaseException:
        db.dispose()
        raise
    return db


def apply_server_sql(db: Database) -> None:
    """Apply roles, grants, triggers and policies in one transaction (idempotent)."""
    with db.engine.begin() as conn:
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7417221)")
        schema = conn.exec_driver_sql("SELECT current_schema()").scalar() or "public"
        driver = conn.connection.driver_connection
        assert driver is not None
        driver.execute(_server_sql(f'"{schema}"'))
        if driver.execute("SELECT has_schema_privilege(%s, %s, 'CREATE')", (TEAM_ROLE, schema)).fetchone()[0]:
            raise UserError(_("Every role may create objects in the schema «{schema}» (PostgreSQL 14 makes it so "
                              "for public), and this login cannot change that: let the schema's owner run "
                              "«REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC», then run «server init» "
                              "again.").format(schema=schema))
