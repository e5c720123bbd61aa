"""Dialogs of the main window: move guard, new client, settings."""
