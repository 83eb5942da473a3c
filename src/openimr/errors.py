"""One exception type for bad input at any entry point: the CLI prints its message and exits 2."""


class InputError(Exception):
    """Input that cannot be used, with a message that names the problem."""
