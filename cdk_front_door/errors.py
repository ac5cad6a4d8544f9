"""The one exception type that every bad configuration raises at synth time."""

from __future__ import annotations

from constructs import IConstruct


class FrontDoorValidationError(ValueError):
    """An invalid or contradictory configuration, found before anything is created.

    The message names the bad value and what is allowed, and ends with the path of the
    construct that rejected it, so that it can be found in a large app.
    """

    def __init__(self, scope: IConstruct, message: str) -> None:
        self.construct_path = scope.node.path
        self.detail = message
        super().__init__(f"{message} (at {self.construct_path})")
