"""A trainee seat's connection: hello, commands, and the latest view state.

The asyncio client runs in a background thread so the pygame window (or a
test) can use it from a plain loop: `command()` returns the server's reply,
`state` is the latest view state received.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from sim.errors import JmsimError
from viz.seats.protocol import decode, encode

#: Longest message line accepted: a `hazard` message carries whole fields.
MAX_LINE_BYTES = 64 * 1024 * 1024


class SeatClient:
    """One seat connected to a trainer's `SeatServer`."""

    def __init__(self, host: str, port: int, token: str, role: str) -> None:
        self.host, self.port, self.token, self.role = host, port, token, role
        self.welcome: dict[str, Any] = {}
        self.state: dict[str, Any] = {}
        self.states_seen = 0
        self.hazard: dict[str, Any] | None = None  # the latest `hazard` message
        self.hazards_seen = 0
        self.residents: dict[str, Any] | None = None  # the latest `residents` message
        self.residents_seen = 0
        self.results: list[dict[str, Any]] = []
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._writer: asyncio.StreamWriter | None = None
        self._replies: asyncio.Queue | None = None
        self._run(self._connect(), timeout=10)

    def _run(self, coro, timeout: float = 30):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    async def _connect(self) -> None:
        try:
            reader, writer = await asyncio.open_connection(
                self.host, self.port, limit=MAX_LINE_BYTES
            )
        except OSError as e:
            raise JmsimError(f"--join {self.host}:{self.port}: cannot connect ({e})") from None
        writer.write(encode({"type": "hello", "token": self.token, "role": self.role}))
        await writer.drain()
        msg = decode(await reader.readline())
        if msg["type"] != "welcome":
            writer.close()
            raise JmsimError(f"--join {self.host}:{self.port}: {msg.get('message', msg)}")
        self.welcome = msg
        self._writer = writer
        self._replies = asyncio.Queue()
        asyncio.ensure_future(self._read(reader))

    async def _read(self, reader: asyncio.StreamReader) -> None:
        while line := await reader.readline():
            msg = decode(line)
            if msg["type"] == "state":
                self.state = msg
                self.states_seen += 1
            elif msg["type"] == "residents":
                self.residents = msg
                self.residents_seen += 1
            elif msg["type"] == "hazard":
                self.hazard = msg
                self.hazards_seen += 1
            elif msg["type"] == "result":
                self.results.append(msg)
                await self._replies.put(msg)

    async def _command(self, kind: str, params: dict, answers: str) -> dict:
        self._writer.write(
            encode({"type": "command", "kind": kind, "params": params, "answers": answers})
        )
        await self._writer.drain()
        return await self._replies.get()

    def command(self, kind: str, params: dict | None = None, answers: str = "", timeout=30) -> dict:
        """Send a command; wait for the server's result (the trainer's loop must be pumping)."""
        return self._run(self._command(kind, params or {}, answers), timeout)

    def command_async(self, kind: str, params: dict | None = None, answers: str = ""):
        """Send a command; a concurrent Future of the result."""
        return asyncio.run_coroutine_threadsafe(
            self._command(kind, params or {}, answers), self._loop
        )

    def close(self) -> None:
        """Say bye and stop."""

        async def bye() -> None:
            if self._writer is not None:
                self._writer.write(encode({"type": "bye"}))
                await self._writer.drain()
                self._writer.close()

        try:
            self._run(bye(), timeout=5)
        except Exception:  # the server may be gone already
            pass
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
