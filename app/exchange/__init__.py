"""Field-safe data: SQLite backups, export/import bundles (changesets with merge), encryption."""
