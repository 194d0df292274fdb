"""Errors raised by the world layer."""

from sim.errors import JmsimError


class WorldError(JmsimError, RuntimeError):
    """A world could not be built, loaded or queried (bad file, unreachable route, ...).

    A `JmsimError`, so the CLI reports it in one line without importing the world.
    """
