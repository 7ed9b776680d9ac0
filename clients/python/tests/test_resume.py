"""Resume with Last-Event-ID: after the connection is cut, and in a new stream from a saved id.
Nothing is lost, nothing arrives twice."""

import asyncio

from conftest import Stack, Worker
from cut_proxy import CutProxy

from noetl_gateway_client import EventStream, Frame, GatewayClient
from noetl_gateway_client.generated.api.playbooks import playbooks_execute
from noetl_gateway_client.generated.models import (
    ExecuteRequest,
    ExecuteResponse,
    InitFrame,
    PlaybookProgressFrame,
    PlaybookResultFrame,
)


def routed(frames: list[Frame]) -> list[Frame]:
    """Frames from the client's log (results, states, progress): each has its own sequence number."""
    return [frame for frame in frames if not isinstance(frame.model, InitFrame) and frame.event != "ping"]


def messages(frames: list[Frame]) -> list[str | None]:
    return [f.model.params.message for f in frames if isinstance(f.model, PlaybookProgressFrame)]


def test_stream_cut_mid_execution_resumes_with_last_event_id(silent: Stack, worker: Worker) -> None:
    async def scenario() -> None:
        frames: list[Frame] = []
        three_before_cut = asyncio.Event()

        def record(frame: Frame) -> None:
            frames.append(frame)
            if len(messages(frames)) == 3:
                three_before_cut.set()

        async with CutProxy(silent.url) as proxy, GatewayClient(proxy.url) as gateway:
            gateway.on_frame(record)
            await gateway.login("valid-eve")
            execution = await gateway.execute("demo/resume")
            assert gateway.stream is not None
            for n in (1, 2, 3):
                await worker.progress(execution.request_id, execution.execution_id, f"before-{n}")
            await asyncio.wait_for(three_before_cut.wait(), 10)
            last_before_cut = gateway.stream.last_event_id

            proxy.cut()
            head = await asyncio.wait_for(proxy.next_held(), 10)  # the client is reconnecting
            assert head.startswith("GET /events?client_id=")
            assert f"last-event-id: {last_before_cut}\r\n" in head.lower()

            # Sent while the client has no connection: the gateway keeps them in the client's log.
            for n in (4, 5, 6):
                await worker.progress(execution.request_id, execution.execution_id, f"during-{n}")
            await worker.result(
                execution.request_id, execution.execution_id, status="COMPLETED", data={"answer": 42}
            )
            proxy.release()

            result = await gateway.wait_for_result(execution.request_id, timeout=10)
            assert result.data == {"answer": 42}
            assert gateway.stream.connections == 2

        assert messages(frames) == ["before-1", "before-2", "before-3", "during-4", "during-5", "during-6"]
        assert sum(isinstance(f.model, PlaybookResultFrame) for f in frames) == 1
        seqs = [frame.seq or 0 for frame in routed(frames)]
        assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), seqs  # every frame once: no gap, no repeat

    asyncio.run(scenario())


def test_silent_connection_is_replaced_and_resumed(silent: Stack, worker: Worker) -> None:
    async def scenario() -> None:
        frames: list[Frame] = []
        first_seen = asyncio.Event()

        def record(frame: Frame) -> None:
            frames.append(frame)
            if messages(frames) == ["before"]:
                first_seen.set()

        # The silent stack pings every second: two silent seconds mean a dead connection.
        async with CutProxy(silent.url) as proxy, GatewayClient(proxy.url, heartbeat_tolerance=2) as gateway:
            gateway.on_frame(record)
            await gateway.login("valid-gus")
            execution = await gateway.execute("demo/frozen")
            assert gateway.stream is not None
            await worker.progress(execution.request_id, execution.execution_id, "before")
            await asyncio.wait_for(first_seen.wait(), 10)
            last_before_freeze = gateway.stream.last_event_id

            proxy.freeze()  # the connection stays open, but nothing gets through any more
            head = await asyncio.wait_for(proxy.next_held(), 10)
            assert f"last-event-id: {last_before_freeze}\r\n" in head.lower()

            await worker.progress(execution.request_id, execution.execution_id, "after")
            await worker.result(execution.request_id, execution.execution_id, data={"ok": True})
            proxy.release()
            result = await gateway.wait_for_result(execution.request_id, timeout=10)
            assert result.data == {"ok": True}

        assert messages(frames) == ["before", "after"]
        assert sum(isinstance(f.model, PlaybookResultFrame) for f in frames) == 1

    asyncio.run(scenario())


def test_new_stream_resumes_from_a_saved_last_event_id(silent: Stack, worker: Worker) -> None:
    async def scenario() -> None:
        async with GatewayClient(silent.url) as gateway:
            await gateway.login("valid-fay")
            token = gateway.session_token
            assert token is not None

            first = EventStream(silent.url, token)
            frames = aiter(first)
            init = await anext(frames)
            assert isinstance(init.model, InitFrame)
            client_id = init.model.result.client_id
            started = await playbooks_execute.asyncio(
                client=gateway.rest, body=ExecuteRequest(path="demo/saved", client_id=client_id)
            )
            assert isinstance(started, ExecuteResponse) and started.request_id
            for n in (1, 2, 3):
                await worker.progress(started.request_id, started.execution_id, f"p{n}")

            received: list[Frame] = []
            saved = None
            while len(messages(received)) < 3:
                frame = await asyncio.wait_for(anext(frames), 10)
                received.append(frame)
                if messages(received) == ["p1"] and saved is None:
                    saved = first.last_event_id  # the application stored its progress after p1 ...
            await first.aclose()  # ... and went away after the gateway had delivered p2 and p3

            # Another process: a fresh stream from the saved id gets p2 and p3 again, and not p1.
            replayed: list[Frame] = []
            async with asyncio.timeout(10), EventStream(silent.url, token, last_event_id=saved) as second:
                async for frame in second:
                    replayed.append(frame)
                    if len(messages(replayed)) == 2:
                        break
            assert isinstance(replayed[0].model, InitFrame)
            assert replayed[0].model.result.client_id == client_id
            assert messages(replayed) == ["p2", "p3"]

    asyncio.run(scenario())
