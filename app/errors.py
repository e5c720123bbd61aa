"""Errors the user caused: they carry one clear, already translated message."""


class UserError(Exception):
    """Refused input or a refused action; the message is shown to the user as is."""

    def __init__(self, message: str, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []

    def full_text(self) -> str:
        return "\n".join([self.message, *self.details])


class NotFoundError(UserError):
    """The named client, item or document does not exist."""
