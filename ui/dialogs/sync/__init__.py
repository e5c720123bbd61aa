"""Dialogs of the team sync: the conflicts to look at."""
