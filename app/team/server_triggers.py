"""The triggers that keep issued documents and billed work as they were on the team server (SQL for init_server)."""

from __future__ import annotations

# what an issued document keeps as it was issued (columns); once voided, its voiding too. Bundles keep the same
# (app/exchange/document_fixed.py keep_fixed), so that a USB stick never carries what the server would refuse.
DOCUMENT_KEPT = ("uuid", "series", "client_id", "kind", "year", "number", "issued_on", "stage", "period_from",
                 "period_to", "total", "content")
DOCUMENT_VOIDING = ("voided_on", "void_reason")


def _row(prefix: str, columns: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"{prefix}.{c}" for c in columns) + ")"


def kept_sql(schema: str, team_role: str) -> list[str]:
    """The functions and BEFORE triggers (``vn_kept``) that refuse, for every member but an administrator, a change
    the app never makes to an issued document or to a work-log entry billed by an act in force, and the deletion of
    a client that has issued documents (whose cascade would pass the others: it runs as the owner) (SQLSTATE 42501;
    the messages' first words are what app/team/pg_refusals.py recognises). ``schema`` is the quoted schema name,
    ``team_role`` the members' group role. Idempotent statements (CREATE OR REPLACE), PostgreSQL ≥ 14; the rule:
    docs/sync.md «People and rights», tests/team/test_server_immutability.py."""
    functions = f"""
-- an act still in force (not voided) with this id; security definer: looked up past the caller's policies
CREATE OR REPLACE FUNCTION vn_act_in_force(doc_id int) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = {schema}, pg_temp AS $$
  SELECT EXISTS (SELECT 1 FROM {schema}.document WHERE id = doc_id AND voided_on IS NULL)
$$;
REVOKE ALL ON FUNCTION vn_act_in_force(int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vn_act_in_force(int) TO {team_role};

-- an issued document is kept as it was issued: never deleted; after issue only what the app changes is
-- written (voiding: voided_on, void_reason, once; the signed copy's return; bookkeeping) — for every member
-- but an administrator (app/services/documents/register.py; tests/team/test_server_immutability.py)
CREATE OR REPLACE FUNCTION vn_document_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF vn_app_role() IS NULL OR vn_app_role() = 'admin' THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'an issued document is never deleted (void it instead)' USING ERRCODE = '42501',
      DETAIL = format('document %s %s/%s', OLD.kind, OLD.number, OLD.year);
  END IF;
  IF {_row("NEW", DOCUMENT_KEPT)}
     IS DISTINCT FROM {_row("OLD", DOCUMENT_KEPT)}
     OR (OLD.voided_on IS NOT NULL AND {_row("NEW", DOCUMENT_VOIDING)}
         IS DISTINCT FROM {_row("OLD", DOCUMENT_VOIDING)}) THEN
    RAISE EXCEPTION 'an issued document keeps what it was issued with (only voiding and the return of its '
      'signed copy are recorded)' USING ERRCODE = '42501',
      DETAIL = format('document %s %s/%s', OLD.kind, OLD.number, OLD.year);
  END IF;
  RETURN NEW;
END $$;

-- a work-log entry billed by an act in force keeps what the act billed: not deleted, its figures and its act
-- unchanged (the note is not printed: it may change); once the act is voided it is an ordinary entry again
-- (the void and the cleared mark arrive in one push, the document first: app/sync/pushing.py push order)
CREATE OR REPLACE FUNCTION vn_billed_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF vn_app_role() IS NULL OR vn_app_role() = 'admin' OR OLD.billed_by_document_id IS NULL
     OR NOT vn_act_in_force(OLD.billed_by_document_id) THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'a billed work-log entry is not deleted: void its act first' USING ERRCODE = '42501';
  END IF;
  IF (NEW.uuid, NEW.client_id, NEW.on_date, NEW.kind, NEW.minutes, NEW.days, NEW.amount, NEW.stage,
      NEW.deleted, NEW.billed_by_document_id)
     IS DISTINCT FROM (OLD.uuid, OLD.client_id, OLD.on_date, OLD.kind, OLD.minutes, OLD.days, OLD.amount,
      OLD.stage, OLD.deleted, OLD.billed_by_document_id) THEN
    RAISE EXCEPTION 'a billed work-log entry keeps what its act billed: void the act first'
      USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;

-- a client with issued documents (in force or voided: neither is ever deleted) is not deleted by a member but an
-- administrator: the foreign keys' cascade to its documents and billed work runs as the tables' owner, past the
-- triggers above (the role is the caller's; its documents are counted past the caller's policies)
CREATE OR REPLACE FUNCTION vn_has_documents(cid int) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = {schema}, pg_temp AS $$
  SELECT EXISTS (SELECT 1 FROM {schema}.document WHERE client_id = cid)
$$;
REVOKE ALL ON FUNCTION vn_has_documents(int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vn_has_documents(int) TO {team_role};

CREATE OR REPLACE FUNCTION vn_client_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF vn_app_role() IS NULL OR vn_app_role() = 'admin' OR NOT vn_has_documents(OLD.id) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'a client with issued documents is not deleted (only an administrator deletes it)'
    USING ERRCODE = '42501', DETAIL = format('client %s', OLD.inn);
END $$;
"""
    return [
        functions,
        # issued documents and billed work as they were (triggers named to run before vn_version)
        "CREATE OR REPLACE TRIGGER vn_kept BEFORE UPDATE OR DELETE ON document "
        "FOR EACH ROW EXECUTE FUNCTION vn_document_kept();",
        "CREATE OR REPLACE TRIGGER vn_kept BEFORE UPDATE OR DELETE ON work_log "
        "FOR EACH ROW EXECUTE FUNCTION vn_billed_kept();",
        "CREATE OR REPLACE TRIGGER vn_kept BEFORE DELETE ON client "
        "FOR EACH ROW EXECUTE FUNCTION vn_client_kept();",
    ]


HANDED = "client_handed"  # sync_tombstone.table_name of a client handed to other people (app/sync/handover.py)


def handover_sql(schema: str) -> list[str]:
    """The trigger that tells the people a client was taken from: when a client's specialist or manager changes,
    a ``sync_tombstone`` row (``HANDED``, the client's UUID) under the *old* logins, so row-level security shows it
    to them only; their laptops drop the client at the next pull unless they still see it (app/sync/handover.py).
    Security definer: members never write tombstones. Idempotent (CREATE OR REPLACE), PostgreSQL ≥ 14."""
    return [f"""
CREATE OR REPLACE FUNCTION vn_client_handed() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = {schema}, pg_temp AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7417222);
  INSERT INTO {schema}.sync_tombstone(table_name, record_uuid, row_version, specialist_login, manager_login)
    VALUES ('{HANDED}', OLD.uuid, nextval('{schema}.vn_row_version'), OLD.specialist_login, OLD.manager_login);
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION vn_client_handed() FROM PUBLIC;""",
            "CREATE OR REPLACE TRIGGER vn_handed AFTER UPDATE OF specialist_login, manager_login ON client "
            "FOR EACH ROW WHEN ((OLD.specialist_login IS DISTINCT FROM NEW.specialist_login "
            "OR OLD.manager_login IS DISTINCT FROM NEW.manager_login) "
            # a client nobody had (made by the owner in psql, not yet assigned): nobody to tell
            "AND (COALESCE(OLD.specialist_login, '') <> '' OR COALESCE(OLD.manager_login, '') <> '')) "
            "EXECUTE FUNCTION vn_client_handed();"]


def inn_free_sql(schema: str, team_role: str) -> list[str]:
    """``vn_inn_free(inn)``: whether no client of the server has this ИНН, asked by a laptop that holds a client
    whose ИНН was a hidden colleague's (app/sync/refused_lift.py ``inn_free``): once that client is deleted, the
    laptop's is sent as new instead of waiting for ever (the trial of 2026-12-01). Security definer, one boolean:
    no more than the unique ИНН's own refusal tells. Idempotent, PostgreSQL ≥ 14."""
    return [f"""
CREATE OR REPLACE FUNCTION vn_inn_free(wanted text) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = {schema}, pg_temp AS $$
  SELECT NOT EXISTS (SELECT 1 FROM {schema}.client WHERE inn = wanted)
$$;
REVOKE ALL ON FUNCTION vn_inn_free(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vn_inn_free(text) TO {team_role};"""]
