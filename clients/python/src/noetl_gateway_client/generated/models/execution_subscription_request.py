from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ExecutionSubscriptionRequest")


@_attrs_define
class ExecutionSubscriptionRequest:
    """
    Attributes:
        execution_id (int | str): A string or an integer; always normalised to a string Example: 635758340626186455.
        client_id (str): SSE client id (from the init frame of GET /events) Example:
            0b6c2f0e-2c1d-4e7a-9f3b-1d2e3f4a5b6c.
    """

    execution_id: int | str
    client_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        execution_id: int | str
        execution_id = self.execution_id

        client_id = self.client_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "execution_id": execution_id,
                "client_id": client_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_execution_id(data: object) -> int | str:
            return cast(int | str, data)

        execution_id = _parse_execution_id(d.pop("execution_id"))

        client_id = d.pop("client_id")

        execution_subscription_request = cls(
            execution_id=execution_id,
            client_id=client_id,
        )

        execution_subscription_request.additional_properties = d
        return execution_subscription_request

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
