"""Errors a user can act on. Their messages are shown as they are, so they speak plainly."""

from __future__ import annotations


class UserError(Exception):
    """Bad input: the command exits 2, the window shows the message, nothing is changed."""


class NotFoundError(UserError):
    pass


class ValidationError(UserError):
    """Field-level problems; `errors` maps field name to message for display next to fields."""

    def __init__(self, message: str, errors: dict[str, str]) -> None:
        super().__init__(message)
        self.errors = errors
