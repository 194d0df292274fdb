"""Errors raised by the world layer."""


class WorldError(RuntimeError):
    """A world could not be built, loaded or queried (bad file, unreachable route, ...)."""
