"""A TCP relay in front of the gateway whose connections a test can cut, like a network that drops.

``cut()`` aborts every relayed connection (both sides); ``freeze()`` keeps them open but stops relaying
bytes (a dead network path: no FIN, no RST, just silence). Either way new connections are held: accepted
and their request head read, but nothing is forwarded until ``release()``. ``next_held()`` waits for such a
connection, so a test knows the client noticed the cut and is reconnecting; ``heads`` records the request
head of every connection (where ``Last-Event-ID`` travels): the first request's, on a keep-alive one.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Self


class CutProxy:
    def __init__(self, upstream_url: str) -> None:
        host, _, port = upstream_url.removeprefix("http://").partition(":")
        self._upstream = (host, int(port))
        self._server: asyncio.Server | None = None
        self._open = asyncio.Event()
        self._open.set()
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._held: asyncio.Queue[str] = asyncio.Queue()
        self._live: set[asyncio.StreamWriter] = set()
        self._relays: set[asyncio.Task[None]] = set()
        self.heads: list[str] = []
        self.url = ""

    async def __aenter__(self) -> Self:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._server is not None:
            self._server.close()
        self._abort_all()
        for relay in self._relays:
            relay.cancel()
        await asyncio.gather(*self._relays, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    def cut(self) -> None:
        """Drops every live connection and holds new ones until ``release()``."""
        self._open.clear()
        self._abort_all()

    def freeze(self) -> None:
        """Stops relaying on live connections (they stay open) and holds new ones until ``release()``."""
        self._open.clear()
        self._flowing.clear()

    def release(self) -> None:
        self._open.set()
        self._flowing.set()

    async def next_held(self) -> str:
        """The request head of the next connection held by a cut (waits for one)."""
        return await self._held.get()

    def _abort_all(self) -> None:
        for writer in list(self._live):
            writer.transport.abort()
        self._live.clear()

    async def _relay(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        upstream_writer: asyncio.StreamWriter | None = None
        relay = asyncio.current_task()
        assert relay is not None
        self._relays.add(relay)
        try:
            head = await client_reader.readuntil(b"\r\n\r\n")
            self.heads.append(head.decode("latin-1"))
            if not self._open.is_set():
                self._held.put_nowait(head.decode("latin-1"))
                await self._open.wait()
            upstream_reader, upstream_writer = await asyncio.open_connection(*self._upstream)
            self._live.update((client_writer, upstream_writer))
            upstream_writer.write(head)
            await asyncio.gather(
                self._pipe(client_reader, upstream_writer), self._pipe(upstream_reader, client_writer)
            )
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        except asyncio.CancelledError:
            # Cancelled by __aexit__: end normally (asyncio 3.11's server callback cannot take a cancelled task).
            pass
        finally:
            self._relays.discard(relay)
            for writer in (client_writer, upstream_writer):
                if writer is not None:
                    self._live.discard(writer)
                    writer.transport.abort()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError):
            while chunk := await reader.read(65536):
                await self._flowing.wait()
                writer.write(chunk)
                await writer.drain()
        # One side ended: end the other, so neither waits on a half-open relay.
        writer.transport.abort()
