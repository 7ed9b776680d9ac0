from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...types import Response


def _get_kwargs(
    path: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/noetl/{path}".format(
            path=quote(str(path), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ErrorBody | None:
    if response.status_code == 400:

        def _parse_response_400(data: object) -> Any | ErrorBody:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_400_type_0 = ErrorBody.from_dict(data)

                return response_400_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Any | ErrorBody, data)

        response_400 = _parse_response_400(response.json())

        return response_400

    if response.status_code == 401:

        def _parse_response_401(data: object) -> Any | ErrorBody:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_401_type_0 = ErrorBody.from_dict(data)

                return response_401_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Any | ErrorBody, data)

        response_401 = _parse_response_401(response.json())

        return response_401

    if response.status_code == 403:

        def _parse_response_403(data: object) -> Any | ErrorBody:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_403_type_0 = ErrorBody.from_dict(data)

                return response_403_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Any | ErrorBody, data)

        response_403 = _parse_response_403(response.json())

        return response_403

    if response.status_code == 404:

        def _parse_response_404(data: object) -> Any | ErrorBody:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_404_type_0 = ErrorBody.from_dict(data)

                return response_404_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Any | ErrorBody, data)

        response_404 = _parse_response_404(response.json())

        return response_404

    if response.status_code == 413:

        def _parse_response_413(data: object) -> Any | ErrorBody:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_413_type_0 = ErrorBody.from_dict(data)

                return response_413_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Any | ErrorBody, data)

        response_413 = _parse_response_413(response.json())

        return response_413

    if response.status_code == 429:

        def _parse_response_429(data: object) -> Any | ErrorBody:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_429_type_0 = ErrorBody.from_dict(data)

                return response_429_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Any | ErrorBody, data)

        response_429 = _parse_response_429(response.json())

        return response_429

    if response.status_code == 431:
        response_431 = ErrorBody.from_dict(response.json())

        return response_431

    if response.status_code == 502:

        def _parse_response_502(data: object) -> Any | ErrorBody:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_502_type_0 = ErrorBody.from_dict(data)

                return response_502_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Any | ErrorBody, data)

        response_502 = _parse_response_502(response.json())

        return response_502

    if response.status_code == 503:

        def _parse_response_503(data: object) -> Any | ErrorBody:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_503_type_0 = ErrorBody.from_dict(data)

                return response_503_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Any | ErrorBody, data)

        response_503 = _parse_response_503(response.json())

        return response_503

    if response.status_code == 504:

        def _parse_response_504(data: object) -> Any | ErrorBody:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_504_type_0 = ErrorBody.from_dict(data)

                return response_504_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Any | ErrorBody, data)

        response_504 = _parse_response_504(response.json())

        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    path: str,
    *,
    client: AuthenticatedClient,
) -> Response[Any | ErrorBody]:
    """Forwarded to NoETL `/api/{path}` with the caller’s identity (any method, streamed both ways)

     The answer is NoETL’s, relayed as it comes (status, end-to-end headers, body). The gateway answers
    itself only for the errors below. Identity headers `x-user-id`, `x-user-email`, `x-user-roles` and
    `X-Forwarded-*` are set by the gateway.

    Args:
        path (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody | ErrorBody]
    """

    kwargs = _get_kwargs(
        path=path,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    path: str,
    *,
    client: AuthenticatedClient,
) -> Any | ErrorBody | None:
    """Forwarded to NoETL `/api/{path}` with the caller’s identity (any method, streamed both ways)

     The answer is NoETL’s, relayed as it comes (status, end-to-end headers, body). The gateway answers
    itself only for the errors below. Identity headers `x-user-id`, `x-user-email`, `x-user-roles` and
    `X-Forwarded-*` are set by the gateway.

    Args:
        path (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody | ErrorBody
    """

    return sync_detailed(
        path=path,
        client=client,
    ).parsed


async def asyncio_detailed(
    path: str,
    *,
    client: AuthenticatedClient,
) -> Response[Any | ErrorBody]:
    """Forwarded to NoETL `/api/{path}` with the caller’s identity (any method, streamed both ways)

     The answer is NoETL’s, relayed as it comes (status, end-to-end headers, body). The gateway answers
    itself only for the errors below. Identity headers `x-user-id`, `x-user-email`, `x-user-roles` and
    `X-Forwarded-*` are set by the gateway.

    Args:
        path (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody | ErrorBody]
    """

    kwargs = _get_kwargs(
        path=path,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    path: str,
    *,
    client: AuthenticatedClient,
) -> Any | ErrorBody | None:
    """Forwarded to NoETL `/api/{path}` with the caller’s identity (any method, streamed both ways)

     The answer is NoETL’s, relayed as it comes (status, end-to-end headers, body). The gateway answers
    itself only for the errors below. Identity headers `x-user-id`, `x-user-email`, `x-user-roles` and
    `X-Forwarded-*` are set by the gateway.

    Args:
        path (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody | ErrorBody
    """

    return (
        await asyncio_detailed(
            path=path,
            client=client,
        )
    ).parsed
