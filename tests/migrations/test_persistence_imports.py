"""db -> migrate and db -> seed only: the persistence modules form no import cycle."""

from __future__ import annotations

import grimp


def test_migrate_and_seed_do_not_import_db():
    graph = grimp.build_graph("app")
    for module in ("app.persistence.migrate", "app.persistence.seed"):
        assert not graph.chain_exists(importer=module, imported="app.persistence.db"), module
        assert not graph.chain_exists(importer=module, imported="app.exchange"), module


def test_the_pre_migration_backup_is_a_parameter_not_a_hook_list():
    from app.persistence import migrate

    assert not hasattr(migrate, "before_migration_hooks")
