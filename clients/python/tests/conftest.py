"""Live gateways for the tests: ``scripts/serve-for-tests.ts`` (run by the repository's tsx on its Node)
starts two gateways in front of the NoETL test double and prints their URLs on one JSON line.

- ``completing``: the double plays the worker (progress, then the result, ~200 ms after execute);
- ``silent``: nothing completes; the test plays the worker with ``Worker``.
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

REPO = Path(__file__).resolve().parents[3]
START_TIMEOUT_S = 60


@dataclass(frozen=True)
class Stack:
    url: str
    internal_token: str


class Worker:
    """What a NoETL worker does for a playbook started with a ``request_id``: posts progress and the
    result to the gateway's internal routes."""

    def __init__(self, stack: Stack) -> None:
        self._stack = stack

    async def _post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        async with httpx.AsyncClient(base_url=self._stack.url) as http:
            response = await http.post(
                path, json=body, headers={"authorization": f"Bearer {self._stack.internal_token}"}
            )
        assert response.status_code < 300, response.text
        return response

    async def progress(self, request_id: str, execution_id: str, message: str) -> httpx.Response:
        body = {"request_id": request_id, "execution_id": execution_id, "message": message, "step": "run"}
        return await self._post("/api/internal/progress", body)

    async def result(self, request_id: str, execution_id: str, **fields: Any) -> httpx.Response:
        body = {"request_id": request_id, "execution_id": execution_id, **fields}
        return await self._post("/api/internal/callback/async", body)


def _read_line(process: subprocess.Popen[str]) -> str:
    """The launcher's first stdout line, waiting on the pipe (not on a clock) up to START_TIMEOUT_S."""
    assert process.stdout is not None
    deadline = time.monotonic() + START_TIMEOUT_S
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if selector.select(deadline - time.monotonic()):
                line = process.stdout.readline()
                if line:
                    return line
                break  # EOF: the launcher died
    raise RuntimeError(f"serve-for-tests.ts printed no URLs (exit code {process.poll()})")


@pytest.fixture(scope="session")
def stacks() -> Iterator[dict[str, Stack]]:
    tools = REPO / "node_modules" / ".bin"
    if not (tools / "tsx").exists():
        pytest.fail(f"{tools / 'tsx'} is missing: run `npm ci` in {REPO}")
    # node_modules/.bin first: tsx runs on the project's Node (the `node` devDependency), as npx would.
    env = {**os.environ, "PATH": f"{tools}{os.pathsep}{os.environ.get('PATH', '')}"}
    process = subprocess.Popen(
        ["tsx", "scripts/serve-for-tests.ts"],
        cwd=REPO,
        env=env,
        stdin=subprocess.PIPE,  # closing it stops the launcher, even if this process is killed
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        urls = json.loads(_read_line(process))
        yield {name: Stack(value["url"], value["internalToken"]) for name, value in urls.items()}
    finally:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.close()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


@pytest.fixture
def completing(stacks: dict[str, Stack]) -> Stack:
    return stacks["completing"]


@pytest.fixture
def silent(stacks: dict[str, Stack]) -> Stack:
    return stacks["silent"]


@pytest.fixture
def worker(silent: Stack) -> Worker:
    return Worker(silent)
