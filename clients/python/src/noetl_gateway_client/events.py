"""The consumer of ``GET /events``: an async iterator of validated frames that survives lost connections.

What it adds to reading the stream once (it mirrors ``client/src/events/eventStream.ts``):

- every frame is validated by the generated model of its SSE event name (``InitFrame``,
  ``PlaybookResultFrame``, ...); one that fails is logged and skipped, never delivered;
- resume: the id of the last frame delivered (``<client_id>:<seq>``) is sent as ``Last-Event-ID`` on every
  reconnect, so the gateway replays exactly the frames after it: nothing lost, nothing twice. It is the id
  of the last frame *handed to the caller*, so a frame read from the socket but not consumed yet is sent
  again; save ``last_event_id`` to resume in another process;
- reconnects after the server's ``retry:`` delay when the connection ends or fails, with backoff up to
  ``reconnect_delay[1]`` while attempts keep failing, and when nothing (not even the gateway's keep-alive
  comment) arrives for ``heartbeat_tolerance`` heartbeat intervals;
- stops for good, raising, on what retrying cannot fix: 401 or the invalid-session frame (-32002) →
  ``SessionExpiredError``; 400, 403, 404 → ``StreamConnectionError``.

The session travels as ``Authorization: Bearer`` (a Python client is not an EventSource: the token stays
out of URLs and access logs).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass
from typing import Any, Self
from urllib.parse import urlencode

import httpx

from .errors import InvalidFrameError, SessionExpiredError, StreamConnectionError
from .generated.models import (
    ErrorFrame,
    InitFrame,
    InitFrameResult,
    PingFrame,
    PlaybookProgressFrame,
    PlaybookResultFrame,
    PlaybookStateFrame,
    SubscriptionEventFrame,
)
from .generated.types import Unset
from .sse import SseDecoder, SseEvent

logger = logging.getLogger("noetl_gateway_client")

FrameModel = (
    InitFrame
    | PingFrame
    | PlaybookResultFrame
    | PlaybookStateFrame
    | PlaybookProgressFrame
    | SubscriptionEventFrame
    | ErrorFrame
)

#: The contract's frames by SSE event name (the frame's ``method``; ``message`` for the init frame).
FRAME_MODELS: dict[str, type[FrameModel]] = {
    "message": InitFrame,
    "ping": PingFrame,
    "playbook/result": PlaybookResultFrame,
    "playbook/state": PlaybookStateFrame,
    "playbook/progress": PlaybookProgressFrame,
    "subscription/event": SubscriptionEventFrame,
    "error": ErrorFrame,
}

#: JSON-RPC code of the gateway's invalid-session frame.
INVALID_SESSION = -32002

#: The gateway's default heartbeat, until an init frame announces the real one.
DEFAULT_HEARTBEAT_S = 30.0

#: Answers on which asking again cannot help.
TERMINAL_STATUSES = frozenset({400, 403, 404})


@dataclass(frozen=True)
class Frame:
    """One validated frame: its SSE event name and id, the generated model, and the JSON as sent."""

    event: str
    id: str | None
    model: FrameModel
    json: dict[str, Any]

    @property
    def seq(self) -> int | None:
        """The frame's position in its client's log (the part of ``id`` after the last ``:``)."""
        if self.id is None:
            return None
        _, _, seq = self.id.rpartition(":")
        return int(seq) if seq.isdigit() else None


def parse_frame(event: SseEvent) -> Frame | None:
    """The frame of one SSE event; None for an event name the contract does not know (a newer gateway).

    Raises ``InvalidFrameError`` when the data is not JSON or does not fit the event's model.
    """
    model = FRAME_MODELS.get(event.event)
    if model is None:
        return None
    try:
        data = json.loads(event.data)
    except ValueError as error:
        raise InvalidFrameError(
            f"{event.event} frame is not JSON: {error}", event.event, event.data
        ) from error
    if not isinstance(data, dict):
        raise InvalidFrameError(f"{event.event} frame is not a JSON object", event.event, event.data)
    try:
        parsed = model.from_dict(data)
    except (KeyError, ValueError, TypeError, AttributeError) as error:
        reason = f"missing {error}" if isinstance(error, KeyError) else str(error)
        raise InvalidFrameError(
            f"{event.event} frame does not match the contract: {reason}", event.event, event.data
        ) from error
    return Frame(event=event.event, id=event.id, model=parsed, json=data)


class _Retry(Exception):
    """This attempt failed in a way another attempt may not; ``delay_s`` is the server's Retry-After."""

    def __init__(self, reason: str, delay_s: float | None = None) -> None:
        super().__init__(reason)
        self.delay_s = delay_s


class EventStream:
    """``async for frame in stream``: the frames of one SSE client id, across reconnects.

    One consumer at a time. Use it as an async context manager (or call ``aclose()``) to release the
    connection; a consumer running in another task is stopped by cancelling that task.
    """

    def __init__(
        self,
        base_url: str,
        session_token: str,
        *,
        client_id: str | None = None,
        last_event_id: str | None = None,
        http: httpx.AsyncClient | None = None,
        heartbeat_tolerance: float = 3,
        reconnect_delay: tuple[float, float] = (1.0, 30.0),
        connect_timeout: float = 10.0,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._session_token = session_token
        self._client_id = client_id
        self._last_event_id = last_event_id
        self._own_http = http is None
        self._http = http if http is not None else httpx.AsyncClient()
        self._heartbeat_s = DEFAULT_HEARTBEAT_S
        self._heartbeat_tolerance = heartbeat_tolerance
        self._reconnect_delay = reconnect_delay
        self._connect_timeout = connect_timeout
        self._retry_s: float | None = None
        self._init: InitFrameResult | None = None
        self._connections = 0
        self._iterator: AsyncGenerator[Frame, None] | None = None
        self._closed = False

    @property
    def client_id(self) -> str | None:
        """The SSE client id, from the latest init frame (or the one asked for)."""
        return self._client_id

    @property
    def last_event_id(self) -> str | None:
        """The id of the last frame delivered: where a reconnect resumes."""
        return self._last_event_id

    @property
    def init(self) -> InitFrameResult | None:
        """The latest init frame's result (client id, capabilities, pending requests)."""
        return self._init

    @property
    def connections(self) -> int:
        """How many connections have delivered an init frame (1 + successful reconnects)."""
        return self._connections

    def __aiter__(self) -> AsyncIterator[Frame]:
        if self._iterator is None:
            self._iterator = self._frames()
        return self._iterator

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Stops the stream and releases its connection (and its HTTP client, if it made its own)."""
        self._closed = True
        if self._iterator is not None:
            await self._iterator.aclose()
        if self._own_http:
            await self._http.aclose()

    def _url(self) -> str:
        query = f"?{urlencode({'client_id': self._client_id})}" if self._client_id else ""
        return f"{self._base_url}/events{query}"

    def _headers(self) -> dict[str, str]:
        headers = {
            "accept": "text/event-stream",
            "cache-control": "no-cache",
            "authorization": f"Bearer {self._session_token}",
        }
        if self._last_event_id:
            headers["last-event-id"] = self._last_event_id
        return headers

    async def _frames(self) -> AsyncGenerator[Frame, None]:
        failures = 0  # consecutive attempts that delivered no init frame
        while not self._closed:
            retry_after: float | None = None
            try:
                async with contextlib.aclosing(self._connection()) as frames:
                    async for frame in frames:
                        if isinstance(frame.model, InitFrame):
                            failures = 0
                        yield frame
                logger.info("GET /events ended; reconnecting")
            except _Retry as retry:
                retry_after = retry.delay_s
                logger.warning("GET /events: %s; retrying", retry)
            except (httpx.TransportError, TimeoutError) as error:
                # Refused, reset, cut mid-stream, or silent past the limit.
                logger.warning("GET /events failed: %r; reconnecting", error)
            if self._closed:
                return
            base = self._retry_s if self._retry_s is not None else self._reconnect_delay[0]
            delay = min(self._reconnect_delay[1], base * 2**failures)
            failures += 1
            await asyncio.sleep(max(delay, retry_after or 0.0))

    def _silence_limit_s(self) -> float:
        """How long a connection may stay silent: the gateway pings every heartbeat (and sends keep-alive
        comments in between), so silence past the tolerance is a dead connection."""
        return self._heartbeat_s * self._heartbeat_tolerance

    async def _connection(self) -> AsyncGenerator[Frame, None]:
        """One connection's frames; returns when the server ends the stream, raises ``TimeoutError`` when
        it stays silent past the limit (re-read before every line: an init frame retimes it at once)."""
        timeout = httpx.Timeout(self._connect_timeout, read=None)
        async with contextlib.AsyncExitStack() as connection:
            async with asyncio.timeout(self._silence_limit_s()):
                response = await connection.enter_async_context(
                    self._http.stream("GET", self._url(), headers=self._headers(), timeout=timeout)
                )
                await self._check(response)
            decoder = SseDecoder()
            lines = response.aiter_lines()
            while True:
                # Only the read is under the deadline, never the caller's time between frames.
                try:
                    async with asyncio.timeout(self._silence_limit_s()):
                        line = await anext(lines)
                except StopAsyncIteration:
                    return
                event = decoder.feed(line)
                if decoder.retry_ms is not None:
                    self._retry_s = decoder.retry_ms / 1000
                if event is None:
                    continue
                frame = self._accept(event)
                if frame is not None:
                    yield frame

    async def _check(self, response: httpx.Response) -> None:
        if response.status_code == 200:
            content_type = response.headers.get("content-type", "")
            if content_type.startswith("text/event-stream"):
                return
            raise _Retry(f"answered 200 with content type {content_type!r}, not an event stream")
        await response.aread()
        body = _json_or_text(response)
        code = body.get("code") if isinstance(body, dict) else None
        message = body.get("error") if isinstance(body, dict) else None
        description = f"GET /events answered {response.status_code}: {message or response.reason_phrase}"
        if response.status_code == 401:
            raise SessionExpiredError(description, status=401, code=code)
        if response.status_code in TERMINAL_STATUSES:
            raise StreamConnectionError(description, response.status_code, code)
        raise _Retry(description, _retry_after(response))

    def _accept(self, event: SseEvent) -> Frame | None:
        """Validates one event and advances the resume point; None for a frame not to deliver."""
        try:
            frame = parse_frame(event)
        except InvalidFrameError as error:
            # Past it anyway: replaying it on every reconnect would not make it valid.
            self._advance(event.id)
            logger.warning("%s", error)
            return None
        self._advance(event.id)
        if frame is None:
            logger.debug("ignoring unknown event %r", event.event)
            return None
        model = frame.model
        if isinstance(model, InitFrame):
            self._init = model.result
            self._client_id = model.result.client_id
            self._connections += 1
            if not isinstance(model.result.heartbeat_interval_ms, Unset):
                self._heartbeat_s = model.result.heartbeat_interval_ms / 1000
        elif isinstance(model, ErrorFrame) and model.error.code == INVALID_SESSION:
            # The gateway ends the stream after it; reconnecting would get the same answer forever.
            self._closed = True
            raise SessionExpiredError(f"GET /events: {model.error.message} (code {model.error.code})")
        return frame

    def _advance(self, event_id: str | None) -> None:
        if event_id:
            self._last_event_id = event_id


def _json_or_text(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    return float(value) if value.isdigit() else None


__all__ = ["FRAME_MODELS", "EventStream", "Frame", "FrameModel", "parse_frame"]
