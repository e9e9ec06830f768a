"""Errors the CLI reports as a one-line message and a non-zero exit."""


class HarnessError(Exception):
    """Bad input or configuration: the message names the file, line or id."""

    exit_code = 2


class DataError(HarnessError):
    """Input data that cannot be loaded as given."""
