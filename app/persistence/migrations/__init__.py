"""Alembic migrations of the schema (env.py, versions/); HEAD: the revision they end at, known without reading them.

The window's first screen compares a file's revision with HEAD before anything of Alembic's is imported or the
version files are read (app.services.first_screen: its import and first read 28.7 → 24.6 ms, no
importlib.resources, no ast, no 17 files read).
A new version file moves HEAD with it: tests/unit/test_schema_head.py fails until it does."""

HEAD = "0017"
