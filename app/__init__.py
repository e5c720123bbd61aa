"""Внедрение: the non-Qt core (domain rules, persistence, services, reports, CLI)."""

__version__ = "0.1.0"
