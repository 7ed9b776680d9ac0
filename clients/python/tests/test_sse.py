"""The SSE decoder against the WHATWG rules, and frame validation by the generated models (no server)."""

import json

import pytest

from noetl_gateway_client import InvalidFrameError, parse_frame
from noetl_gateway_client.generated.models import PlaybookResultFrame
from noetl_gateway_client.sse import SseDecoder, SseEvent


def decode(text: str) -> tuple[list[SseEvent], SseDecoder]:
    decoder = SseDecoder()
    events = [event for line in text.split("\n") if (event := decoder.feed(line)) is not None]
    return events, decoder


def test_decodes_the_gateway_framing() -> None:
    events, decoder = decode(
        "retry: 3000\n\n"
        'id: c1:0\nevent: message\ndata: {"a":1}\n\n'
        ": ping\n\n"
        'id: c1:1\nevent: playbook/result\ndata: {"b":2}\n\n'
    )
    assert decoder.retry_ms == 3000
    assert events == [
        SseEvent(event="message", data='{"a":1}', id="c1:0"),
        SseEvent(event="playbook/result", data='{"b":2}', id="c1:1"),
    ]


def test_follows_the_spec_edge_cases() -> None:
    events, decoder = decode(
        "\ufeffdata:first\ndata:  second\n\n"  # BOM skipped; only one leading space is removed
        "id: keep\nevent: x\n\n"  # no data: nothing dispatched, but the id stays in force
        "data\n\n"  # a field without a colon has an empty value
        "retry: soon\nid: bad\0id\n\n"  # non-digit retry and an id with NUL are ignored
    )
    assert [(e.event, e.data, e.id) for e in events] == [
        ("message", "first\n second", None),
        ("message", "", "keep"),
    ]
    assert decoder.retry_ms is None
    assert decoder.last_event_id == "keep"


def test_validates_frames_by_event_name() -> None:
    result = {
        "jsonrpc": "2.0",
        "method": "playbook/result",
        "params": {"data": {"x": 1}, "executionId": "7", "requestId": "r", "status": "COMPLETED"},
    }
    frame = parse_frame(SseEvent("playbook/result", json.dumps(result), "c:3"))
    assert frame is not None
    assert isinstance(frame.model, PlaybookResultFrame)
    assert frame.model.params.request_id == "r"
    assert frame.seq == 3
    assert parse_frame(SseEvent("some/new-event", "{}", "c:4")) is None

    broken = {**result, "params": {"executionId": "7"}}
    with pytest.raises(InvalidFrameError, match="playbook/result frame does not match the contract"):
        parse_frame(SseEvent("playbook/result", json.dumps(broken), "c:5"))
    with pytest.raises(InvalidFrameError, match="not JSON"):
        parse_frame(SseEvent("ping", "{", "c:5"))
