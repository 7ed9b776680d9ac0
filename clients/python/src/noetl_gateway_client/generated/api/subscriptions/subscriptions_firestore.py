from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.firestore_subscribe_request import FirestoreSubscribeRequest
from ...models.firestore_subscribe_response import FirestoreSubscribeResponse
from ...types import Response


def _get_kwargs(
    *,
    body: FirestoreSubscribeRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/subscriptions/firestore",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | FirestoreSubscribeResponse | None:
    if response.status_code == 200:
        response_200 = FirestoreSubscribeResponse.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = ErrorBody.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = ErrorBody.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = ErrorBody.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = ErrorBody.from_dict(response.json())

        return response_422

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
) -> Response[ErrorBody | FirestoreSubscribeResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: FirestoreSubscribeRequest,
) -> Response[ErrorBody | FirestoreSubscribeResponse]:
    """Watch a Firestore collection; its changes arrive as subscription/event frames

     The existing documents arrive first as `added`, then every `added` / `modified` / `removed` change,
    as `subscription/event` frames `{subscription_id, doc_id, op, data}` on the SSE client. Document
    fields as JSON. timestamp: RFC 3339 UTC string with 0, 3, 6 or 9 fractional digits (proto3 JSON),
    e.g. "2024-05-01T09:30:00.250Z"; integer: a JSON number; beyond ±2^53 its exact decimal string;
    double: a JSON number; NaN, Infinity and -Infinity as the strings "NaN", "Infinity", "-Infinity";
    geoPoint: {"latitude": number, "longitude": number}; reference: the document path relative to the
    database, e.g. "users/alice"; bytes: standard base64 string; vector: array of numbers. A listener
    fault arrives as an `error` frame (code -32010) whose `data` is SubscriptionErrorData. The
    subscription stops on DELETE, when the client has been disconnected longer than the resume window,
    and at shutdown.

    Args:
        body (FirestoreSubscribeRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | FirestoreSubscribeResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: FirestoreSubscribeRequest,
) -> ErrorBody | FirestoreSubscribeResponse | None:
    """Watch a Firestore collection; its changes arrive as subscription/event frames

     The existing documents arrive first as `added`, then every `added` / `modified` / `removed` change,
    as `subscription/event` frames `{subscription_id, doc_id, op, data}` on the SSE client. Document
    fields as JSON. timestamp: RFC 3339 UTC string with 0, 3, 6 or 9 fractional digits (proto3 JSON),
    e.g. "2024-05-01T09:30:00.250Z"; integer: a JSON number; beyond ±2^53 its exact decimal string;
    double: a JSON number; NaN, Infinity and -Infinity as the strings "NaN", "Infinity", "-Infinity";
    geoPoint: {"latitude": number, "longitude": number}; reference: the document path relative to the
    database, e.g. "users/alice"; bytes: standard base64 string; vector: array of numbers. A listener
    fault arrives as an `error` frame (code -32010) whose `data` is SubscriptionErrorData. The
    subscription stops on DELETE, when the client has been disconnected longer than the resume window,
    and at shutdown.

    Args:
        body (FirestoreSubscribeRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | FirestoreSubscribeResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: FirestoreSubscribeRequest,
) -> Response[ErrorBody | FirestoreSubscribeResponse]:
    """Watch a Firestore collection; its changes arrive as subscription/event frames

     The existing documents arrive first as `added`, then every `added` / `modified` / `removed` change,
    as `subscription/event` frames `{subscription_id, doc_id, op, data}` on the SSE client. Document
    fields as JSON. timestamp: RFC 3339 UTC string with 0, 3, 6 or 9 fractional digits (proto3 JSON),
    e.g. "2024-05-01T09:30:00.250Z"; integer: a JSON number; beyond ±2^53 its exact decimal string;
    double: a JSON number; NaN, Infinity and -Infinity as the strings "NaN", "Infinity", "-Infinity";
    geoPoint: {"latitude": number, "longitude": number}; reference: the document path relative to the
    database, e.g. "users/alice"; bytes: standard base64 string; vector: array of numbers. A listener
    fault arrives as an `error` frame (code -32010) whose `data` is SubscriptionErrorData. The
    subscription stops on DELETE, when the client has been disconnected longer than the resume window,
    and at shutdown.

    Args:
        body (FirestoreSubscribeRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | FirestoreSubscribeResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: FirestoreSubscribeRequest,
) -> ErrorBody | FirestoreSubscribeResponse | None:
    """Watch a Firestore collection; its changes arrive as subscription/event frames

     The existing documents arrive first as `added`, then every `added` / `modified` / `removed` change,
    as `subscription/event` frames `{subscription_id, doc_id, op, data}` on the SSE client. Document
    fields as JSON. timestamp: RFC 3339 UTC string with 0, 3, 6 or 9 fractional digits (proto3 JSON),
    e.g. "2024-05-01T09:30:00.250Z"; integer: a JSON number; beyond ±2^53 its exact decimal string;
    double: a JSON number; NaN, Infinity and -Infinity as the strings "NaN", "Infinity", "-Infinity";
    geoPoint: {"latitude": number, "longitude": number}; reference: the document path relative to the
    database, e.g. "users/alice"; bytes: standard base64 string; vector: array of numbers. A listener
    fault arrives as an `error` frame (code -32010) whose `data` is SubscriptionErrorData. The
    subscription stops on DELETE, when the client has been disconnected longer than the resume window,
    and at shutdown.

    Args:
        body (FirestoreSubscribeRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | FirestoreSubscribeResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
