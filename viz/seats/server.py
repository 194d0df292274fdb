"""The trainer's seat server: trainees join over asyncio streams, commands run in the drill.

The server's asyncio loop runs in a background thread; the drill model is
only touched by the trainer's frame loop, which calls `pump()` to apply the
commands trainees sent (attributed to their role, checked against what the
role may do) and to push each seat its view state. Binds to 127.0.0.1
unless another address is given explicitly.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import math
import queue
import secrets
import threading
import time
import zlib
from dataclasses import dataclass, field
from typing import Any

from sim.commands import Command
from sim.errors import JmsimError
from viz.seats.protocol import (
    PROTOCOL,
    decode,
    encode,
    encode_layers,
    encode_residents,
    trainee_view,
    zones_view,
)
from viz.seats.roles import refuse, roles_of


@dataclass
class _Seat:
    role: str
    writer: asyncio.StreamWriter
    commands: int = 0


@dataclass
class _Request:
    role: str
    msg: dict[str, Any]
    reply: concurrent.futures.Future = field(default_factory=concurrent.futures.Future)


def parse_address(text: str | None, default_port: int = 8765) -> tuple[str, int]:
    """`HOST:PORT`, `:PORT` or `HOST` → (host, port); loopback unless a host is given."""
    if not text:
        return "127.0.0.1", default_port
    host, _, port = text.rpartition(":") if ":" in text else (text, "", str(default_port))
    try:
        p = int(port)
    except ValueError:
        raise JmsimError(f"--serve/--join {text!r}: port {port!r} is not a number") from None
    if not 0 <= p <= 65535:
        raise JmsimError(f"--serve/--join {text!r}: port {p}; expected 0..65535")
    return host or "127.0.0.1", p


class SeatServer:
    """Accepts trainee seats and relays their commands to the drill (see module doc)."""

    def __init__(self, scenario, host: str = "127.0.0.1", port: int = 0, token: str | None = None):
        self.roles = roles_of(scenario)
        self.world_pack = scenario.world.pack
        self.scenario_title = scenario.scenario.title
        self.host, self.port = host, port
        self.token = token or secrets.token_urlsafe(12)
        self.inbox: queue.Queue[_Request] = queue.Queue()
        self.seats: list[_Seat] = []
        self.log: list[str] = []  # what the trainer console shows about seats
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.AbstractServer | None = None
        self._thread: threading.Thread | None = None
        self._seq = 0
        self.push_every_s = 0.2  # view states at most 5 per second (plus one after each command)
        self._last_push = -math.inf
        self._zones: tuple[tuple[int, int], list] = ((0, -1), [])
        self._hazard_msg: bytes | None = None  # the latest `hazard` message, for late joiners
        self._hazard_key: object = None
        self.residents_every_s = 1.0  # resident positions/states at most once a second
        self._res_at = -math.inf
        self._res_digest: int | None = None
        self._res_msg: bytes | None = None

    # -- life cycle (trainer thread) --------------------------------------------------
    def start(self) -> tuple[str, int]:
        """Bind and serve in a background thread; returns the bound (host, port)."""
        ready = threading.Event()
        err: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                self._server = loop.run_until_complete(
                    asyncio.start_server(self._client, self.host, self.port)
                )
            except OSError as e:
                err.append(e)
                ready.set()
                return
            self.port = self._server.sockets[0].getsockname()[1]
            ready.set()
            loop.run_forever()
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

        self._thread = threading.Thread(target=run, name="jmsim-seats", daemon=True)
        self._thread.start()
        ready.wait(10)
        if err:
            raise JmsimError(f"--serve {self.host}:{self.port}: cannot bind ({err[0]})")
        return self.host, self.port

    def stop(self) -> None:
        """Close every seat and the listening socket."""
        loop = self._loop
        if loop is None:
            return

        async def close() -> None:
            for s in self.seats:
                s.writer.close()
            if self._server is not None:
                self._server.close()
            loop.stop()

        asyncio.run_coroutine_threadsafe(close(), loop)
        if self._thread is not None:
            self._thread.join(5)
        self._loop = None

    # -- network (server thread) ------------------------------------------------------
    async def _send(self, writer: asyncio.StreamWriter, msg: dict) -> None:
        writer.write(encode(msg))
        await writer.drain()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seat = None
        try:
            hello = decode(await reader.readline())
            role = str(hello.get("role", ""))
            if hello.get("type") != "hello" or not secrets.compare_digest(
                str(hello.get("token", "")), self.token
            ):
                await self._send(writer, {"type": "error", "message": "bad token"})
                return
            if role not in self.roles:
                await self._send(
                    writer,
                    {
                        "type": "error",
                        "message": f"unknown role {role!r}; roles: {sorted(self.roles)}",
                    },
                )
                return
            seat = _Seat(role, writer)
            r = self.roles[role]
            await self._send(
                writer,
                {
                    "type": "welcome",
                    "protocol": PROTOCOL,
                    "role": role,
                    "commands": list(r.commands),
                    "units": list(r.units),
                    "world_pack": self.world_pack,
                    "title": self.scenario_title,
                },
            )
            for msg in (self._hazard_msg, self._res_msg):  # the current picture, before states
                if msg is not None:
                    writer.write(msg)
            self.seats.append(seat)
            while line := await reader.readline():
                msg = decode(line)
                if msg["type"] == "command":
                    req = _Request(role, msg)
                    self.inbox.put(req)
                    ok, text, cid = await asyncio.wrap_future(req.reply)
                    await self._send(writer, {"type": "result", "ok": ok, "id": cid, "text": text})
                elif msg["type"] == "bye":
                    break
        except (ValueError, ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            if seat is not None and seat in self.seats:
                self.seats.remove(seat)
            writer.close()

    # -- the drill (trainer thread) -----------------------------------------------------
    def pump(self, session, hazard_box=None, overlay=None) -> list[str]:
        """Apply queued seat commands to `session`, push view states; lines for the trainer.

        `overlay` (the console's `HazardOverlay`): its layers go to every seat
        whenever it was refreshed since the last push.
        """
        if overlay is not None:
            self.share_hazard(overlay, session.now)
        self.share_residents(session)
        lines = []
        while True:
            try:
                req = self.inbox.get_nowait()
            except queue.Empty:
                break
            ok, text, cid = self._apply(session, req)
            line = f"[{req.role}] {text}"
            lines.append(line)
            self.log.append(line)
            req.reply.set_result((ok, text, cid))
        now = time.monotonic()
        if lines or now - self._last_push >= self.push_every_s:
            self._last_push = now
            self.broadcast(session, hazard_box)
        return lines

    def _apply(self, session, req: _Request) -> tuple[bool, str, str]:
        m = req.msg
        self._seq += 1
        cid = f"{req.role[:12]}-{self._seq:03d}"
        try:
            cmd = Command(
                id=cid,
                at_min=session.now,
                kind=m.get("kind"),
                params=dict(m.get("params") or {}),
                by=req.role,
                answers=str(m.get("answers", "")),
            )
        except Exception as e:  # pydantic: unknown kind or bad field
            return False, f"! command refused: {str(e).splitlines()[0]}", cid
        why = refuse(req.role, self.roles[req.role], cmd, session.model.teams)
        if why:
            return False, f"! {why}", cid
        try:
            session.submit(cmd)
        except ValueError as e:
            return False, f"! {e}", cid
        return True, session.last_result, cid

    def share_hazard(self, overlay, t_min: float) -> None:
        """Send the overlay's layers to every seat if they changed (and keep them for joiners)."""
        key = (id(overlay), overlay.refreshes)
        if key == self._hazard_key:
            return
        self._hazard_key = key
        self._hazard_msg = encode(encode_layers([lay for lay, _ in overlay.layers], t_min))
        loop = self._loop
        if loop is None:
            return
        for seat in list(self.seats):
            loop.call_soon_threadsafe(seat.writer.write, self._hazard_msg)

    def share_residents(self, session) -> None:
        """Send resident groups to every seat when they changed (at most once a second)."""
        res = session.model.residents
        now = time.monotonic()
        if res is None or now - self._res_at < self.residents_every_s:
            return
        self._res_at = now
        digest = zlib.crc32(res.state.tobytes() + res.x.tobytes() + res.y.tobytes())
        if digest == self._res_digest:
            return
        self._res_digest = digest
        self._res_msg = encode(encode_residents(res, session.now))
        loop = self._loop
        if loop is None:
            return
        for seat in list(self.seats):
            loop.call_soon_threadsafe(seat.writer.write, self._res_msg)

    def broadcast(self, session, hazard_box=None) -> None:
        """Send each seat its view state (thread-safe); `hazard_box` (UTM x0, x1, y0, y1)."""
        loop = self._loop
        if loop is None:
            return
        log = session.model.log
        key = (id(log), len(log))
        if self._zones[0] != key:
            self._zones = (key, zones_view(log))
        for seat in list(self.seats):
            view = trainee_view(session, seat.role, self.roles[seat.role], zones=self._zones[1])
            view["hazard_box"] = hazard_box
            loop.call_soon_threadsafe(seat.writer.write, encode(view))
