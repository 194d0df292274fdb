"""Seats: a trainer console serving trainee windows over loopback (asyncio JSON lines).

See docs/seats.md for the message schema.
"""
