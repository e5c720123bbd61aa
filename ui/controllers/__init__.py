"""Controllers: the window-level logic of user actions that span several views (no widgets of their own)."""
