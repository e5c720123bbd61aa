"""The refusal of a file's contents."""

from __future__ import annotations

from app.errors import UserError


class BundleError(UserError):
    """The file's contents are refused; nothing was changed."""
