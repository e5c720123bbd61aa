"""Widgets of the main window: client list, kanban, client card, checklists, empty state."""
