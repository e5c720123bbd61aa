"""Dialogs of the questions log: a new or edited question, closing one with the time it took."""
