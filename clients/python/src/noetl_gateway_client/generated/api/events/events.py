from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.error_frame import ErrorFrame
from ...models.init_frame import InitFrame
from ...models.ping_frame import PingFrame
from ...models.playbook_progress_frame import PlaybookProgressFrame
from ...models.playbook_result_frame import PlaybookResultFrame
from ...models.playbook_state_frame import PlaybookStateFrame
from ...models.subscription_event_frame import SubscriptionEventFrame
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    session_token: str | Unset = UNSET,
    client_id: str | Unset = UNSET,
    last_event_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(last_event_id, Unset):
        headers["last-event-id"] = last_event_id

    params: dict[str, Any] = {}

    params["session_token"] = session_token

    params["client_id"] = client_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/events",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    ErrorBody
    | ErrorFrame
    | InitFrame
    | PingFrame
    | PlaybookProgressFrame
    | PlaybookResultFrame
    | PlaybookStateFrame
    | SubscriptionEventFrame
    | None
):
    if response.status_code == 200:

        def _parse_response_200(
            data: object,
        ) -> (
            ErrorFrame
            | InitFrame
            | PingFrame
            | PlaybookProgressFrame
            | PlaybookResultFrame
            | PlaybookStateFrame
            | SubscriptionEventFrame
        ):
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_0 = InitFrame.from_dict(data)

                return response_200_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_1 = PingFrame.from_dict(data)

                return response_200_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_2 = PlaybookResultFrame.from_dict(data)

                return response_200_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_3 = PlaybookStateFrame.from_dict(data)

                return response_200_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_4 = PlaybookProgressFrame.from_dict(data)

                return response_200_type_4
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_5 = SubscriptionEventFrame.from_dict(data)

                return response_200_type_5
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_200_type_6 = ErrorFrame.from_dict(data)

            return response_200_type_6

        response_200 = _parse_response_200(response.text)

        return response_200

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 429:
        response_429 = ErrorBody.from_dict(response.json())

        return response_429

    if response.status_code == 431:
        response_431 = ErrorBody.from_dict(response.json())

        return response_431

    if response.status_code == 503:
        response_503 = ErrorBody.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    ErrorBody
    | ErrorFrame
    | InitFrame
    | PingFrame
    | PlaybookProgressFrame
    | PlaybookResultFrame
    | PlaybookStateFrame
    | SubscriptionEventFrame
]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    session_token: str | Unset = UNSET,
    client_id: str | Unset = UNSET,
    last_event_id: str | Unset = UNSET,
) -> Response[
    ErrorBody
    | ErrorFrame
    | InitFrame
    | PingFrame
    | PlaybookProgressFrame
    | PlaybookResultFrame
    | PlaybookStateFrame
    | SubscriptionEventFrame
]:
    """Server-Sent-Events stream of JSON-RPC frames (one per browser tab)

     The SSE event name is the frame method (`message` for the init frame, `error` for an error frame).
    Every frame has an `id: <client_id>:<seq>`; reconnecting with `Last-Event-ID` (or `client_id`)
    replays the frames missed within the retention window. An invalid session yields a 200 stream with a
    single `error` frame (code -32002), as the reference gateway.

    Args:
        session_token (str | Unset): Session token (EventSource cannot send headers)
        client_id (str | Unset): Reuse a client id this session owns Example:
            0b6c2f0e-2c1d-4e7a-9f3b-1d2e3f4a5b6c.
        last_event_id (str | Unset): `<client_id>:<seq>` to resume after

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorFrame | InitFrame | PingFrame | PlaybookProgressFrame | PlaybookResultFrame | PlaybookStateFrame | SubscriptionEventFrame]
    """

    kwargs = _get_kwargs(
        session_token=session_token,
        client_id=client_id,
        last_event_id=last_event_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    session_token: str | Unset = UNSET,
    client_id: str | Unset = UNSET,
    last_event_id: str | Unset = UNSET,
) -> (
    ErrorBody
    | ErrorFrame
    | InitFrame
    | PingFrame
    | PlaybookProgressFrame
    | PlaybookResultFrame
    | PlaybookStateFrame
    | SubscriptionEventFrame
    | None
):
    """Server-Sent-Events stream of JSON-RPC frames (one per browser tab)

     The SSE event name is the frame method (`message` for the init frame, `error` for an error frame).
    Every frame has an `id: <client_id>:<seq>`; reconnecting with `Last-Event-ID` (or `client_id`)
    replays the frames missed within the retention window. An invalid session yields a 200 stream with a
    single `error` frame (code -32002), as the reference gateway.

    Args:
        session_token (str | Unset): Session token (EventSource cannot send headers)
        client_id (str | Unset): Reuse a client id this session owns Example:
            0b6c2f0e-2c1d-4e7a-9f3b-1d2e3f4a5b6c.
        last_event_id (str | Unset): `<client_id>:<seq>` to resume after

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorFrame | InitFrame | PingFrame | PlaybookProgressFrame | PlaybookResultFrame | PlaybookStateFrame | SubscriptionEventFrame
    """

    return sync_detailed(
        client=client,
        session_token=session_token,
        client_id=client_id,
        last_event_id=last_event_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    session_token: str | Unset = UNSET,
    client_id: str | Unset = UNSET,
    last_event_id: str | Unset = UNSET,
) -> Response[
    ErrorBody
    | ErrorFrame
    | InitFrame
    | PingFrame
    | PlaybookProgressFrame
    | PlaybookResultFrame
    | PlaybookStateFrame
    | SubscriptionEventFrame
]:
    """Server-Sent-Events stream of JSON-RPC frames (one per browser tab)

     The SSE event name is the frame method (`message` for the init frame, `error` for an error frame).
    Every frame has an `id: <client_id>:<seq>`; reconnecting with `Last-Event-ID` (or `client_id`)
    replays the frames missed within the retention window. An invalid session yields a 200 stream with a
    single `error` frame (code -32002), as the reference gateway.

    Args:
        session_token (str | Unset): Session token (EventSource cannot send headers)
        client_id (str | Unset): Reuse a client id this session owns Example:
            0b6c2f0e-2c1d-4e7a-9f3b-1d2e3f4a5b6c.
        last_event_id (str | Unset): `<client_id>:<seq>` to resume after

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorFrame | InitFrame | PingFrame | PlaybookProgressFrame | PlaybookResultFrame | PlaybookStateFrame | SubscriptionEventFrame]
    """

    kwargs = _get_kwargs(
        session_token=session_token,
        client_id=client_id,
        last_event_id=last_event_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    session_token: str | Unset = UNSET,
    client_id: str | Unset = UNSET,
    last_event_id: str | Unset = UNSET,
) -> (
    ErrorBody
    | ErrorFrame
    | InitFrame
    | PingFrame
    | PlaybookProgressFrame
    | PlaybookResultFrame
    | PlaybookStateFrame
    | SubscriptionEventFrame
    | None
):
    """Server-Sent-Events stream of JSON-RPC frames (one per browser tab)

     The SSE event name is the frame method (`message` for the init frame, `error` for an error frame).
    Every frame has an `id: <client_id>:<seq>`; reconnecting with `Last-Event-ID` (or `client_id`)
    replays the frames missed within the retention window. An invalid session yields a 200 stream with a
    single `error` frame (code -32002), as the reference gateway.

    Args:
        session_token (str | Unset): Session token (EventSource cannot send headers)
        client_id (str | Unset): Reuse a client id this session owns Example:
            0b6c2f0e-2c1d-4e7a-9f3b-1d2e3f4a5b6c.
        last_event_id (str | Unset): `<client_id>:<seq>` to resume after

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorFrame | InitFrame | PingFrame | PlaybookProgressFrame | PlaybookResultFrame | PlaybookStateFrame | SubscriptionEventFrame
    """

    return (
        await asyncio_detailed(
            client=client,
            session_token=session_token,
            client_id=client_id,
            last_event_id=last_event_id,
        )
    ).parsed
