"""Every failure the client reports is one of these classes, so callers branch on ``except`` clauses
instead of parsing messages. They mirror the TypeScript client's errors (``client/src/errors.ts``)."""

from __future__ import annotations

from typing import Any


class GatewayClientError(Exception):
    """Base class: everything this package raises."""


class GatewayHttpError(GatewayClientError):
    """A REST call answered with a non-2xx status.

    ``code`` is the machine-readable code of the gateway's error body (``{"error", "code", "issues"?}``:
    ``UNAUTHORIZED``, ``UNPROCESSABLE_CONTENT``, ``NOT_FOUND``, ...), ``body`` the decoded body (a dict
    when it was JSON, else the text).
    """

    def __init__(self, status: int, message: str, code: str | None, body: Any) -> None:
        super().__init__(f"HTTP {status}{f' {code}' if code else ''}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.body = body

    @property
    def issues(self) -> list[dict[str, Any]]:
        """The offending fields of a 400/422 answer (empty otherwise)."""
        issues = self.body.get("issues") if isinstance(self.body, dict) else None
        return issues if isinstance(issues, list) else []


class SessionExpiredError(GatewayClientError):
    """The session token is missing, invalid or expired: a request that carried it was answered 401
    (``status`` 401, ``code`` ``UNAUTHORIZED``), or ``/events`` sent its invalid-session frame (-32002)."""

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class PlaybookFailedError(GatewayClientError):
    """The playbook reported a failure: a ``playbook/result`` with status ``FAILED`` or an ``error``."""

    def __init__(
        self,
        message: str,
        *,
        execution_id: str,
        request_id: str | None,
        code: int | None = None,
        data: Any = None,
    ) -> None:
        super().__init__(message)
        self.execution_id = execution_id
        self.request_id = request_id
        self.code = code
        self.data = data


class WaitTimeoutError(GatewayClientError, TimeoutError):
    """Nothing arrived before the deadline. The execution may still finish: look it up by its id."""

    def __init__(
        self, message: str, *, execution_id: str | None = None, request_id: str | None = None
    ) -> None:
        super().__init__(message)
        self.execution_id = execution_id
        self.request_id = request_id


class ClientClosedError(GatewayClientError):
    """The client (or its event stream) was closed while something was still waiting."""


class StreamConnectionError(GatewayClientError):
    """``GET /events`` answered a status that retrying cannot change (400, 403, 404) or not an event
    stream. ``status`` is None when the answer was not an HTTP error."""

    def __init__(self, message: str, status: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class InvalidFrameError(GatewayClientError):
    """A frame on ``/events`` that is not JSON or does not match the contract of its event name."""

    def __init__(self, message: str, event: str, data: str) -> None:
        super().__init__(message)
        self.event = event
        self.data = data
