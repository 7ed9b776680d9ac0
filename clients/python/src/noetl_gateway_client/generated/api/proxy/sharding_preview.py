from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.sharding_preview_response import ShardingPreviewResponse
from ...types import UNSET, Response


def _get_kwargs(
    *,
    execution_id: str,
    shard_count: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["execution_id"] = execution_id

    params["shard_count"] = shard_count

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/sharding/preview",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | ShardingPreviewResponse | None:
    if response.status_code == 200:
        response_200 = ShardingPreviewResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 431:
        response_431 = ErrorBody.from_dict(response.json())

        return response_431

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorBody | ShardingPreviewResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    execution_id: str,
    shard_count: str,
) -> Response[ErrorBody | ShardingPreviewResponse]:
    """Which shard an execution id maps to for a shard count

    Args:
        execution_id (str): An i64 in decimal Example: 635758340626186455.
        shard_count (str): Number of shards, 1..1024 Example: 4.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ShardingPreviewResponse]
    """

    kwargs = _get_kwargs(
        execution_id=execution_id,
        shard_count=shard_count,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    execution_id: str,
    shard_count: str,
) -> ErrorBody | ShardingPreviewResponse | None:
    """Which shard an execution id maps to for a shard count

    Args:
        execution_id (str): An i64 in decimal Example: 635758340626186455.
        shard_count (str): Number of shards, 1..1024 Example: 4.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ShardingPreviewResponse
    """

    return sync_detailed(
        client=client,
        execution_id=execution_id,
        shard_count=shard_count,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    execution_id: str,
    shard_count: str,
) -> Response[ErrorBody | ShardingPreviewResponse]:
    """Which shard an execution id maps to for a shard count

    Args:
        execution_id (str): An i64 in decimal Example: 635758340626186455.
        shard_count (str): Number of shards, 1..1024 Example: 4.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ShardingPreviewResponse]
    """

    kwargs = _get_kwargs(
        execution_id=execution_id,
        shard_count=shard_count,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    execution_id: str,
    shard_count: str,
) -> ErrorBody | ShardingPreviewResponse | None:
    """Which shard an execution id maps to for a shard count

    Args:
        execution_id (str): An i64 in decimal Example: 635758340626186455.
        shard_count (str): Number of shards, 1..1024 Example: 4.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ShardingPreviewResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            execution_id=execution_id,
            shard_count=shard_count,
        )
    ).parsed
