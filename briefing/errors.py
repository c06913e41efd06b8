"""Errors that end a build."""


class BuildError(Exception):
    """A build that cannot go on; `exit_code` 2 for bad input or usage, 1 for a failure while writing."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class NothingReadable(BuildError):
    """A seeds folder with no article to read; `skipped` (briefing.model.Skipped) says what was there."""

    def __init__(self, message: str, skipped: tuple[object, ...] = ()) -> None:
        super().__init__(message)
        self.skipped = skipped
