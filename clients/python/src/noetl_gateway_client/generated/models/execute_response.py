from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="ExecuteResponse")


@_attrs_define
class ExecuteResponse:
    """
    Attributes:
        execution_id (str):
        request_id (None | str): Set when `client_id` was given
        name (None | str):
        status (None | str):
    """

    execution_id: str
    request_id: None | str
    name: None | str
    status: None | str

    def to_dict(self) -> dict[str, Any]:
        execution_id = self.execution_id

        request_id: None | str
        request_id = self.request_id

        name: None | str
        name = self.name

        status: None | str
        status = self.status

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "execution_id": execution_id,
                "request_id": request_id,
                "name": name,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        execution_id = d.pop("execution_id")

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))

        def _parse_status(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        status = _parse_status(d.pop("status"))

        execute_response = cls(
            execution_id=execution_id,
            request_id=request_id,
            name=name,
            status=status,
        )

        return execute_response
