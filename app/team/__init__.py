"""The team server (issue 17): people and rights in PostgreSQL, authorship and the audit trail."""
