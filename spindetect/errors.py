"""Errors raised by more than one stage, kept apart so that those stages need not import each other."""


class ReadError(ValueError):
    """An input could not be turned into text; the message names it and why."""
