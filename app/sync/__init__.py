"""Offline-first sync of a laptop's SQLite file with the team server (issue 17): see docs/sync.md."""
