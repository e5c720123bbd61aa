"""Pure domain rules: stages, checklists, validation, pricing — no database, no Qt."""
