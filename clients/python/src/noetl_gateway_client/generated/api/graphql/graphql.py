from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.graphql_body_type_0 import GraphqlBodyType0
from ...models.graphql_body_type_1_item import GraphqlBodyType1Item
from ...models.graphql_response_200_type_0 import GraphqlResponse200Type0
from ...models.graphql_response_200_type_1_item import GraphqlResponse200Type1Item
from ...types import Response


def _get_kwargs(
    *,
    body: GraphqlBodyType0 | list[GraphqlBodyType1Item],
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/graphql",
    }

    if isinstance(body, GraphqlBodyType0):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = []
        for body_type_1_item_data in body:
            body_type_1_item = body_type_1_item_data.to_dict()
            _kwargs["json"].append(body_type_1_item)

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | GraphqlResponse200Type0 | list[GraphqlResponse200Type1Item] | None:
    if response.status_code == 200:

        def _parse_response_200(
            data: object,
        ) -> GraphqlResponse200Type0 | list[GraphqlResponse200Type1Item]:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_0 = GraphqlResponse200Type0.from_dict(data)

                return response_200_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, list):
                raise TypeError()
            response_200_type_1 = []
            _response_200_type_1 = data
            for response_200_type_1_item_data in _response_200_type_1:
                response_200_type_1_item = GraphqlResponse200Type1Item.from_dict(
                    response_200_type_1_item_data
                )

                response_200_type_1.append(response_200_type_1_item)

            return response_200_type_1

        response_200 = _parse_response_200(response.json())

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
) -> Response[ErrorBody | GraphqlResponse200Type0 | list[GraphqlResponse200Type1Item]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: GraphqlBodyType0 | list[GraphqlBodyType1Item],
) -> Response[ErrorBody | GraphqlResponse200Type0 | list[GraphqlResponse200Type1Item]]:
    """Legacy GraphQL endpoint (executePlaybook, rerunExecution, proxyRequest, health, version)

     Execution errors are in `errors` with `extensions.code` from the same vocabulary as ErrorBody.code.
    Documents are limited in mutations, depth, aliases and batch size (see README, Security).

    Args:
        body (GraphqlBodyType0 | list[GraphqlBodyType1Item]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | GraphqlResponse200Type0 | list[GraphqlResponse200Type1Item]]
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
    body: GraphqlBodyType0 | list[GraphqlBodyType1Item],
) -> ErrorBody | GraphqlResponse200Type0 | list[GraphqlResponse200Type1Item] | None:
    """Legacy GraphQL endpoint (executePlaybook, rerunExecution, proxyRequest, health, version)

     Execution errors are in `errors` with `extensions.code` from the same vocabulary as ErrorBody.code.
    Documents are limited in mutations, depth, aliases and batch size (see README, Security).

    Args:
        body (GraphqlBodyType0 | list[GraphqlBodyType1Item]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | GraphqlResponse200Type0 | list[GraphqlResponse200Type1Item]
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: GraphqlBodyType0 | list[GraphqlBodyType1Item],
) -> Response[ErrorBody | GraphqlResponse200Type0 | list[GraphqlResponse200Type1Item]]:
    """Legacy GraphQL endpoint (executePlaybook, rerunExecution, proxyRequest, health, version)

     Execution errors are in `errors` with `extensions.code` from the same vocabulary as ErrorBody.code.
    Documents are limited in mutations, depth, aliases and batch size (see README, Security).

    Args:
        body (GraphqlBodyType0 | list[GraphqlBodyType1Item]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | GraphqlResponse200Type0 | list[GraphqlResponse200Type1Item]]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: GraphqlBodyType0 | list[GraphqlBodyType1Item],
) -> ErrorBody | GraphqlResponse200Type0 | list[GraphqlResponse200Type1Item] | None:
    """Legacy GraphQL endpoint (executePlaybook, rerunExecution, proxyRequest, health, version)

     Execution errors are in `errors` with `extensions.code` from the same vocabulary as ErrorBody.code.
    Documents are limited in mutations, depth, aliases and batch size (see README, Security).

    Args:
        body (GraphqlBodyType0 | list[GraphqlBodyType1Item]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | GraphqlResponse200Type0 | list[GraphqlResponse200Type1Item]
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
