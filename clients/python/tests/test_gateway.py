"""GatewayClient against a live gateway in front of the NoETL double: login, validate, execute_and_wait,
and the typed errors (bad tokens, the gateway's error codes, failed playbooks, deadlines)."""

import asyncio

import pytest
from conftest import Stack, Worker

from noetl_gateway_client import (
    GatewayClient,
    GatewayHttpError,
    PlaybookFailedError,
    SessionExpiredError,
    WaitTimeoutError,
)
from noetl_gateway_client.generated.api.system import index
from noetl_gateway_client.generated.models import GatewayIndex, PlaybookProgressFrameParams


def test_login_validate_and_check_access(completing: Stack) -> None:
    async def scenario() -> None:
        async with GatewayClient(completing.url) as gateway:
            login = await gateway.login("valid-ann")
            assert login.status == "authenticated"
            assert login.user.email == "ann@example.com"
            assert gateway.session_token == login.session_token

            validation = await gateway.validate()
            assert validation.valid is True
            assert validation.user is not None and validation.user.email == "ann@example.com"

            assert (await gateway.check_access("demo/hello")).allowed is True
            assert (await gateway.check_access("forbidden/secret")).allowed is False

            # Any generated operation runs on the client's connections.
            root = await index.asyncio(client=gateway.rest)
            assert isinstance(root, GatewayIndex) and root.name

    asyncio.run(scenario())


def test_execute_and_wait_returns_the_result_of_that_execution(completing: Stack) -> None:
    async def scenario() -> None:
        progress: list[PlaybookProgressFrameParams] = []
        async with GatewayClient(completing.url) as gateway:
            await gateway.login("valid-bob")
            first, second = await asyncio.gather(
                gateway.execute_and_wait("demo/first", {"n": 1}, on_progress=progress.append, timeout=10),
                gateway.execute_and_wait("demo/second", {"n": 2}, timeout=10),
            )
        assert first.status == "COMPLETED"
        assert first.data["summary"] == "Playbook demo/first completed"
        assert first.data["workload"]["n"] == 1
        assert first.data["workload"]["request_id"] == first.request_id
        assert second.data["summary"] == "Playbook demo/second completed"
        assert first.execution_id != second.execution_id
        # Only the progress of the first execution reached its callback.
        assert [(p.request_id, p.message, p.progress) for p in progress] == [
            (first.request_id, "Halfway there", 50)
        ]

    asyncio.run(scenario())


def test_rejected_login_is_a_clear_http_error(completing: Stack) -> None:
    async def scenario() -> None:
        async with GatewayClient(completing.url) as gateway:
            with pytest.raises(GatewayHttpError) as caught:
                await gateway.login("reject")
            assert caught.value.status == 401
            assert caught.value.code == "UNAUTHORIZED"
            assert "Invalid token signature" in caught.value.message
            assert gateway.session_token is None

    asyncio.run(scenario())


def test_bogus_session_token_raises_session_expired(completing: Stack) -> None:
    async def scenario() -> None:
        async with GatewayClient(completing.url, session_token="not-a-session") as gateway:
            with pytest.raises(SessionExpiredError, match="Invalid or expired session"):
                await gateway.execute_and_wait("demo/hello", timeout=10)
            assert gateway.session_token is None  # dropped: the caller must log in again
            with pytest.raises(SessionExpiredError, match="Not logged in"):
                await gateway.execute("demo/hello")

        async with GatewayClient(completing.url, session_token="not-a-session") as gateway:
            validation = await gateway.validate()
            assert validation.valid is False
            assert gateway.session_token is None

    asyncio.run(scenario())


def test_http_errors_carry_the_gateway_error_code(completing: Stack) -> None:
    async def scenario() -> None:
        async with GatewayClient(completing.url) as gateway:
            await gateway.login("valid-cy")
            with pytest.raises(GatewayHttpError) as invalid:
                await gateway.execute_and_wait("", timeout=10)
            assert invalid.value.status == 422
            assert invalid.value.code == "UNPROCESSABLE_CONTENT"
            assert [issue["path"] for issue in invalid.value.issues] == [["path"]]

            with pytest.raises(GatewayHttpError) as missing:
                await gateway.execute_and_wait("missing/playbook", timeout=10)
            assert missing.value.status == 404
            assert missing.value.code == "NOT_FOUND"
            assert "Playbook not found: missing/playbook" in missing.value.message

    asyncio.run(scenario())


def test_failed_playbook_and_deadline(silent: Stack, worker: Worker) -> None:
    async def scenario() -> None:
        async with GatewayClient(silent.url) as gateway:
            await gateway.login("valid-dee")
            execution = await gateway.execute("demo/doomed")
            await worker.result(
                execution.request_id,
                execution.execution_id,
                status="FAILED",
                error={"code": -32042, "message": "disk full", "data": {"step": "load"}},
            )
            with pytest.raises(PlaybookFailedError) as failed:
                await gateway.wait_for_result(execution.request_id, timeout=10)
            assert failed.value.args[0] == "disk full"
            assert failed.value.code == -32042
            assert failed.value.data == {"step": "load"}
            assert failed.value.execution_id == execution.execution_id

            # Nobody completes this one.
            with pytest.raises(WaitTimeoutError) as late:
                await gateway.execute_and_wait("demo/forever", timeout=0.3)
            assert late.value.request_id and late.value.execution_id

    asyncio.run(scenario())
