"""Dialogs of the plan: planning an event and marking it done."""
