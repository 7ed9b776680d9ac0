from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.async_callback_request import AsyncCallbackRequest
from ...models.async_callback_response_type_0 import AsyncCallbackResponseType0
from ...models.async_callback_response_type_1 import AsyncCallbackResponseType1
from ...models.error_body import ErrorBody
from ...types import Response


def _get_kwargs(
    *,
    body: AsyncCallbackRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/internal/callback/async",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AsyncCallbackResponseType0 | AsyncCallbackResponseType1 | ErrorBody | None:
    if response.status_code == 200:

        def _parse_response_200(
            data: object,
        ) -> AsyncCallbackResponseType0 | AsyncCallbackResponseType1:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_async_callback_response_type_0 = (
                    AsyncCallbackResponseType0.from_dict(data)
                )

                return componentsschemas_async_callback_response_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_async_callback_response_type_1 = (
                AsyncCallbackResponseType1.from_dict(data)
            )

            return componentsschemas_async_callback_response_type_1

        response_200 = _parse_response_200(response.json())

        return response_200

    if response.status_code == 202:

        def _parse_response_202(
            data: object,
        ) -> AsyncCallbackResponseType0 | AsyncCallbackResponseType1:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_async_callback_response_type_0 = (
                    AsyncCallbackResponseType0.from_dict(data)
                )

                return componentsschemas_async_callback_response_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_async_callback_response_type_1 = (
                AsyncCallbackResponseType1.from_dict(data)
            )

            return componentsschemas_async_callback_response_type_1

        response_202 = _parse_response_202(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())

        return response_404

    if response.status_code == 413:
        response_413 = ErrorBody.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = ErrorBody.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = ErrorBody.from_dict(response.json())

        return response_422

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
) -> Response[AsyncCallbackResponseType0 | AsyncCallbackResponseType1 | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: AsyncCallbackRequest,
) -> Response[AsyncCallbackResponseType0 | AsyncCallbackResponseType1 | ErrorBody]:
    """Result of a playbook started with a `client_id`: pushed as playbook/state then playbook/result

     200 when the client is connected; 202 when it is not (the frames are replayed on reconnect).

    Args:
        body (AsyncCallbackRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AsyncCallbackResponseType0 | AsyncCallbackResponseType1 | ErrorBody]
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
    body: AsyncCallbackRequest,
) -> AsyncCallbackResponseType0 | AsyncCallbackResponseType1 | ErrorBody | None:
    """Result of a playbook started with a `client_id`: pushed as playbook/state then playbook/result

     200 when the client is connected; 202 when it is not (the frames are replayed on reconnect).

    Args:
        body (AsyncCallbackRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AsyncCallbackResponseType0 | AsyncCallbackResponseType1 | ErrorBody
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: AsyncCallbackRequest,
) -> Response[AsyncCallbackResponseType0 | AsyncCallbackResponseType1 | ErrorBody]:
    """Result of a playbook started with a `client_id`: pushed as playbook/state then playbook/result

     200 when the client is connected; 202 when it is not (the frames are replayed on reconnect).

    Args:
        body (AsyncCallbackRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AsyncCallbackResponseType0 | AsyncCallbackResponseType1 | ErrorBody]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: AsyncCallbackRequest,
) -> AsyncCallbackResponseType0 | AsyncCallbackResponseType1 | ErrorBody | None:
    """Result of a playbook started with a `client_id`: pushed as playbook/state then playbook/result

     200 when the client is connected; 202 when it is not (the frames are replayed on reconnect).

    Args:
        body (AsyncCallbackRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AsyncCallbackResponseType0 | AsyncCallbackResponseType1 | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
