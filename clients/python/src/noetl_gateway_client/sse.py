"""Server-Sent-Events decoding, as the WHATWG HTML standard's "interpret an event stream" says: fed one
line at a time (without its terminator), it returns each event once its blank line arrives.

Only the parsing; the connection, reconnects and ``Last-Event-ID`` live in ``events.py``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SseEvent:
    """One dispatched event. ``id`` is the last event id in force when it was dispatched (the spec keeps
    it across events until an ``id:`` line changes it); None until the stream sent one."""

    event: str
    data: str
    id: str | None


class SseDecoder:
    """Line-by-line SSE parser. ``retry_ms`` holds the latest ``retry:`` the server sent (None before)."""

    def __init__(self) -> None:
        self.retry_ms: int | None = None
        self.last_event_id: str | None = None
        self._event = ""
        self._data: list[str] = []
        self._first = True

    def feed(self, line: str) -> SseEvent | None:
        if self._first:
            self._first = False
            line = line.removeprefix("\ufeff")
        if line == "":
            return self._dispatch()
        if line.startswith(":"):
            return None  # a comment: the gateway's keep-alive `: ping`
        field, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if field == "event":
            self._event = value
        elif field == "data":
            self._data.append(value)
        elif field == "id":
            if "\0" not in value:
                self.last_event_id = value or None
        elif field == "retry" and value.isascii() and value.isdigit():
            self.retry_ms = int(value)
        return None

    def _dispatch(self) -> SseEvent | None:
        data, event = self._data, self._event
        self._data, self._event = [], ""
        if not data:
            return None
        return SseEvent(event=event or "message", data="\n".join(data), id=self.last_event_id)
