"""Alembic migrations of the schema (env.py, versions/); HEAD: the revision they end at, known without reading them.

The window's first screen compares a file's revision with HEAD before anything of Alembic's is imported or the
version files are read (app.services.first_screen: ~15 ms of the start's Python, importlib.resources and ast).
A new version file moves HEAD with it: tests/unit/test_schema_head.py fails until it does."""

HEAD = "0017"
