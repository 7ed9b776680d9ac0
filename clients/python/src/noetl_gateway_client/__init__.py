"""Python client of the NoETL Gateway.

- ``GatewayClient``: login, one event stream, ``execute_and_wait`` (asyncio).
- ``EventStream``: the ``GET /events`` consumer alone (validated frames, ``Last-Event-ID`` resume).
- ``noetl_gateway_client.generated``: every REST operation and model, generated from the gateway's OpenAPI
  document by openapi-python-client (do not edit; ``python clients/python/generate.py``).
"""

from .errors import (
    ClientClosedError,
    GatewayClientError,
    GatewayHttpError,
    InvalidFrameError,
    PlaybookFailedError,
    SessionExpiredError,
    StreamConnectionError,
    WaitTimeoutError,
)
from .events import FRAME_MODELS, EventStream, Frame, parse_frame
from .gateway import Execution, GatewayClient, PlaybookResult

__all__ = [
    "FRAME_MODELS",
    "ClientClosedError",
    "EventStream",
    "Execution",
    "Frame",
    "GatewayClient",
    "GatewayClientError",
    "GatewayHttpError",
    "InvalidFrameError",
    "PlaybookFailedError",
    "PlaybookResult",
    "SessionExpiredError",
    "StreamConnectionError",
    "WaitTimeoutError",
    "parse_frame",
]
