"""``GatewayClient``: log in, open the event stream once, then ``execute_and_wait`` returns the
``playbook/result`` of that execution or raises a typed error. The asyncio counterpart of the TypeScript
``GatewayClient`` (``client/src/gatewayClient.ts``).

REST calls go through the generated client (``client.rest`` works with any function of
``noetl_gateway_client.generated.api``); results come on the stream. A result may arrive before the HTTP
answer that names its request id, so results nobody waits for yet are kept until asked for.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass
from typing import Any, Self, TypeVar

import httpx

from .errors import (
    ClientClosedError,
    GatewayClientError,
    GatewayHttpError,
    PlaybookFailedError,
    SessionExpiredError,
    WaitTimeoutError,
)
from .events import EventStream, Frame
from .generated.api.auth import auth_check_access, auth_login, auth_validate
from .generated.api.playbooks import playbooks_execute
from .generated.client import AuthenticatedClient
from .generated.models import (
    CheckAccessRequest,
    CheckAccessResponse,
    ExecuteRequest,
    ExecuteResponse,
    InitFrame,
    InitFrameResult,
    LoginRequest,
    LoginResponse,
    PlaybookProgressFrame,
    PlaybookProgressFrameParams,
    PlaybookResultFrame,
    ResourceKind,
    User,
    ValidateRequest,
    ValidateResponse,
)
from .generated.models import PlaybookResultFrameParamsType0 as PlaybookResultFailure
from .generated.models import PlaybookResultFrameParamsType1 as PlaybookResultSuccess
from .generated.types import UNSET, Response

logger = logging.getLogger("noetl_gateway_client")

T = TypeVar("T")

#: Results that arrived before anyone waited for them, kept this many (oldest dropped first).
MAX_UNCLAIMED_RESULTS = 1000


@dataclass(frozen=True)
class Execution:
    """The answer of ``execute``: the ids to wait on or look the execution up by."""

    execution_id: str
    request_id: str
    name: str | None
    status: str | None


@dataclass(frozen=True)
class PlaybookResult:
    """A successful ``playbook/result``."""

    execution_id: str
    request_id: str
    status: str
    data: Any


class _SessionAuth(httpx.Auth):
    """Presents the client's current session as ``Authorization: Bearer`` on every request except
    ``/api/auth/*``: those are public and take tokens in the body, and a stale bearer there would make a
    failed login look like an expired session. Read per request, so a login takes effect at once."""

    def __init__(self, token: Callable[[], str | None]) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self._token()
        if token and "/api/auth/" not in request.url.path and "authorization" not in request.headers:
            request.headers["authorization"] = f"Bearer {token}"
        yield request


class GatewayClient:
    """An asyncio client of one gateway, for one session at a time.

    ``async with GatewayClient("http://localhost:8090") as gateway:`` then ``await gateway.login(token)``
    and ``await gateway.execute_and_wait("path/to/playbook", {...})``.
    """

    def __init__(
        self,
        base_url: str,
        *,
        session_token: str | None = None,
        auth0_domain: str | None = None,
        wait_timeout: float | None = 120.0,
        connect_timeout: float = 10.0,
        request_timeout: float = 30.0,
        heartbeat_tolerance: float = 3,
        reconnect_delay: tuple[float, float] = (1.0, 30.0),
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = session_token
        self._auth0_domain = auth0_domain
        self._wait_timeout = wait_timeout
        self._connect_timeout = connect_timeout
        self._heartbeat_tolerance = heartbeat_tolerance
        self._reconnect_delay = reconnect_delay
        auth = _SessionAuth(lambda: self._token)
        self._http = httpx.AsyncClient(base_url=self.base_url, auth=auth, timeout=request_timeout)
        self._sync_http = httpx.Client(base_url=self.base_url, auth=auth, timeout=request_timeout)
        #: The generated client, sharing this client's connections and session. Its ``token`` is unused:
        #: the session is added per request.
        self.rest = (
            AuthenticatedClient(base_url=self.base_url, token="")
            .set_async_httpx_client(self._http)
            .set_httpx_client(self._sync_http)
        )
        #: The logged-in user (from ``login`` or a valid ``validate``).
        self.user: User | None = None
        self._stream: EventStream | None = None
        self._reader: asyncio.Task[None] | None = None
        self._ready: asyncio.Future[InitFrameResult] | None = None
        self._waiters: dict[str, asyncio.Future[PlaybookResultFailure | PlaybookResultSuccess]] = {}
        self._unclaimed: OrderedDict[str, PlaybookResultFailure | PlaybookResultSuccess] = OrderedDict()
        self._listeners: list[Callable[[Frame], None]] = []
        self._closed = False

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    @property
    def session_token(self) -> str | None:
        return self._token

    @property
    def client_id(self) -> str | None:
        """The SSE client id, once connected."""
        return self._stream.client_id if self._stream else None

    @property
    def stream(self) -> EventStream | None:
        """The event stream of the current session (None before ``connect()``)."""
        return self._stream

    def on_frame(self, listener: Callable[[Frame], None]) -> Callable[[], None]:
        """Calls ``listener`` with every frame of the stream, in order, across reconnects; returns the remover."""
        self._listeners.append(listener)

        def remove() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return remove

    async def login(
        self, id_token: str, *, auth0_domain: str | None = None, session_duration_hours: int | None = None
    ) -> LoginResponse:
        """Exchanges an Auth0 ID token for a gateway session (``POST /api/auth/login``)."""
        self._assert_open()
        domain = auth0_domain or self._auth0_domain
        body = LoginRequest(
            auth0_token=id_token,
            auth0_domain=domain if domain else UNSET,
            session_duration_hours=session_duration_hours if session_duration_hours else UNSET,
        )
        answer = self._unwrap(
            await self._call(auth_login.asyncio_detailed(client=self.rest, body=body)), LoginResponse
        )
        if self._token != answer.session_token:
            await self._stop_stream()  # a stream belongs to the session that claimed its client id
        self._token = answer.session_token
        self.user = answer.user
        return answer

    async def validate(self) -> ValidateResponse:
        """Asks whether the session is still valid; an invalid one is dropped."""
        token = self._require_session()
        body = ValidateRequest(session_token=token)
        answer = self._unwrap(
            await self._call(auth_validate.asyncio_detailed(client=self.rest, body=body)), ValidateResponse
        )
        if self._token != token:
            return answer  # a login happened meanwhile
        if answer.valid:
            self.user = answer.user
        else:
            await self._expire(SessionExpiredError(answer.message))
        return answer

    async def check_access(self, playbook_path: str, permission: str = "execute") -> CheckAccessResponse:
        """``POST /api/auth/check-access`` for a playbook path (the gateway fails closed)."""
        body = CheckAccessRequest(
            session_token=self._require_session(), playbook_path=playbook_path, permission_type=permission
        )
        return self._unwrap(
            await self._call(auth_check_access.asyncio_detailed(client=self.rest, body=body)),
            CheckAccessResponse,
        )

    async def connect(self) -> InitFrameResult:
        """Opens the event stream (once) and returns its init frame's result."""
        token = self._require_session()
        if self._reader is None:
            self._stream = EventStream(
                self.base_url,
                token,
                http=self._http,
                heartbeat_tolerance=self._heartbeat_tolerance,
                reconnect_delay=self._reconnect_delay,
                connect_timeout=self._connect_timeout,
            )
            self._ready = asyncio.get_running_loop().create_future()
            self._reader = asyncio.create_task(self._read(self._stream, self._ready))
        assert self._ready is not None
        try:
            return await asyncio.wait_for(asyncio.shield(self._ready), self._connect_timeout)
        except TimeoutError:
            raise WaitTimeoutError(
                f"No init frame from {self.base_url}/events within {self._connect_timeout} s"
            ) from None

    async def execute(
        self, path: str, workload: Any = None, *, resource_kind: str | None = None
    ) -> Execution:
        """Starts a playbook whose result is pushed to this client's stream (connecting first if needed)."""
        init = await self.connect()
        body = ExecuteRequest(
            path=path,
            workload=workload if workload is not None else UNSET,
            client_id=init.client_id,
            resource_kind=ResourceKind(resource_kind) if resource_kind else UNSET,
        )
        try:
            answer = self._unwrap(
                await self._call(playbooks_execute.asyncio_detailed(client=self.rest, body=body)),
                ExecuteResponse,
                carries_session=True,
            )
        except SessionExpiredError as error:
            await self._expire(error)
            raise
        if answer.request_id is None:
            raise GatewayClientError(
                f"The gateway started execution {answer.execution_id} but returned no request_id to wait on"
            )
        return Execution(answer.execution_id, answer.request_id, answer.name, answer.status)

    async def wait_for_result(
        self, request_id: str, *, timeout: float | None = None, execution_id: str | None = None
    ) -> PlaybookResult:
        """Waits for the ``playbook/result`` of a request started by ``execute``. A result that arrived
        before this call is answered from what was kept. ``timeout`` (seconds) defaults to the client's
        ``wait_timeout``; ``math.inf`` waits without a deadline."""
        await self.connect()
        kept = self._unclaimed.pop(request_id, None)
        params = kept if kept is not None else await self._wait(request_id, timeout, execution_id)
        return _to_result(params)

    async def execute_and_wait(
        self,
        path: str,
        workload: Any = None,
        *,
        timeout: float | None = None,
        on_progress: Callable[[PlaybookProgressFrameParams], None] | None = None,
        resource_kind: str | None = None,
    ) -> PlaybookResult:
        """Starts a playbook and returns its ``playbook/result``. Raises ``PlaybookFailedError`` when it
        fails, ``WaitTimeoutError`` after the deadline (the execution may still finish), ``GatewayHttpError``
        when the gateway refuses to start it, ``SessionExpiredError`` when the session is gone."""
        request_id: str | None = None
        early: list[PlaybookProgressFrameParams] = []

        def progress(frame: Frame) -> None:
            if on_progress is None or not isinstance(frame.model, PlaybookProgressFrame):
                return
            if request_id is None:
                early.append(frame.model.params)  # before execute() answered: not known to be ours yet
            elif frame.model.params.request_id == request_id:
                on_progress(frame.model.params)

        remove = self.on_frame(progress)
        try:
            execution = await self.execute(path, workload, resource_kind=resource_kind)
            request_id = execution.request_id
            for params in early:
                if params.request_id == request_id and on_progress is not None:
                    on_progress(params)
            return await self.wait_for_result(
                execution.request_id, timeout=timeout, execution_id=execution.execution_id
            )
        finally:
            remove()

    async def _wait(
        self, request_id: str, timeout: float | None, execution_id: str | None
    ) -> PlaybookResultFailure | PlaybookResultSuccess:
        future = self._waiters.get(request_id) or asyncio.get_running_loop().create_future()
        self._waiters[request_id] = future
        deadline = timeout if timeout is not None else self._wait_timeout
        try:
            return await asyncio.wait_for(asyncio.shield(future), None if deadline == math.inf else deadline)
        except TimeoutError:
            raise WaitTimeoutError(
                f"No playbook/result for request {request_id} within {deadline} s",
                execution_id=execution_id,
                request_id=request_id,
            ) from None
        finally:
            if self._waiters.get(request_id) is future:
                del self._waiters[request_id]

    async def aclose(self) -> None:
        """Closes the stream and the connections; everything still waiting raises ``ClientClosedError``."""
        if self._closed:
            return
        self._closed = True
        await self._stop_stream(ClientClosedError("The gateway client was closed"))
        await self._http.aclose()
        self._sync_http.close()

    async def _read(self, stream: EventStream, ready: asyncio.Future[InitFrameResult]) -> None:
        try:
            async for frame in stream:
                if isinstance(frame.model, InitFrame) and not ready.done():
                    ready.set_result(frame.model.result)
                self._route(frame)
        except Exception as error:  # noqa: BLE001 -- a bug must still fail the waiters, not strand them
            failure = (
                error
                if isinstance(error, GatewayClientError)
                else GatewayClientError(f"Event stream failed: {error!r}")
            )
            if self._reader is asyncio.current_task():
                self._reader, self._stream = None, None  # the next connect() opens a new stream
            if not ready.done():
                ready.set_exception(failure)
            if isinstance(failure, SessionExpiredError):
                await self._expire(failure)
            else:
                self._reject_all(failure)

    def _route(self, frame: Frame) -> None:
        if isinstance(frame.model, PlaybookResultFrame):
            params = frame.model.params
            waiter = self._waiters.get(params.request_id)
            if waiter is not None and not waiter.done():
                waiter.set_result(params)
            else:
                self._unclaimed[params.request_id] = params
                while len(self._unclaimed) > MAX_UNCLAIMED_RESULTS:
                    self._unclaimed.popitem(last=False)
        for listener in list(self._listeners):
            try:
                listener(frame)
            except Exception:
                logger.exception("frame listener failed")

    async def _call(self, call: Awaitable[Response[T]]) -> Response[T]:
        """Awaits a generated call; an answer that does not fit the OpenAPI document is a client error."""
        try:
            return await call
        except (ValueError, KeyError, TypeError) as error:
            raise GatewayClientError(
                f"The gateway's answer does not match its OpenAPI document: {error!r}"
            ) from error

    def _unwrap(self, response: Response[Any], expected: type[T], *, carries_session: bool = False) -> T:
        """The parsed answer, or the typed error of a non-2xx one (carrying the gateway's error body)."""
        status = int(response.status_code)
        if 200 <= status < 300:
            if isinstance(response.parsed, expected):
                return response.parsed
            raise GatewayClientError(f"Unexpected {status} answer: {response.content[:300]!r}")
        body = _decode(response.content)
        code = body.get("code") if isinstance(body, dict) and isinstance(body.get("code"), str) else None
        message = _error_message(body, status)
        if status == 401 and carries_session:
            raise SessionExpiredError(message, status=status, code=code)
        raise GatewayHttpError(status, message, code, body)

    async def _expire(self, error: SessionExpiredError) -> None:
        self._token = None
        self.user = None
        await self._stop_stream(error)

    async def _stop_stream(self, reason: GatewayClientError | None = None) -> None:
        reader, stream = self._reader, self._stream
        self._reader, self._stream, self._ready = None, None, None
        if reader is not None and reader is not asyncio.current_task():
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader
        if stream is not None:
            await stream.aclose()
        self._reject_all(reason or ClientClosedError("The event stream was closed"))

    def _reject_all(self, error: GatewayClientError) -> None:
        for waiter in self._waiters.values():
            if not waiter.done():
                waiter.set_exception(error)

    def _require_session(self) -> str:
        self._assert_open()
        if not self._token:
            raise SessionExpiredError("Not logged in: call login() first")
        return self._token

    def _assert_open(self) -> None:
        if self._closed:
            raise ClientClosedError("The gateway client was closed")


def _to_result(params: PlaybookResultFailure | PlaybookResultSuccess) -> PlaybookResult:
    if isinstance(params, PlaybookResultFailure):
        raise PlaybookFailedError(
            params.error.message,
            execution_id=params.execution_id,
            request_id=params.request_id,
            code=params.error.code,
            data=params.error.data,
        )
    # A worker may report FAILED without an error object; the SPAs treated either as a failure.
    if params.status.upper() == "FAILED":
        raise PlaybookFailedError(
            "Playbook execution failed",
            execution_id=params.execution_id,
            request_id=params.request_id,
            data=params.data,
        )
    return PlaybookResult(params.execution_id, params.request_id, params.status, params.data)


def _decode(content: bytes) -> Any:
    try:
        return json.loads(content)
    except ValueError:
        return content.decode("utf-8", errors="replace")


def _error_message(body: Any, status: int) -> str:
    """The message of a gateway error body: ``error`` (the compatibility field), else ``message``."""
    if isinstance(body, dict):
        for key in ("error", "message"):
            if isinstance(body.get(key), str) and body[key]:
                return str(body[key])
    if isinstance(body, str) and body:
        return body[:300]
    return f"HTTP {status}"
