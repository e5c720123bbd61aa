"""Dialogs of this area."""
