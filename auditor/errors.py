"""Errors the user can fix: printed as one line, exit code 2."""


class UserError(Exception):
    """A problem with the command line, configuration or input files."""
