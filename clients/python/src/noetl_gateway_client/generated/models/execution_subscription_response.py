from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ExecutionSubscriptionResponse")


@_attrs_define
class ExecutionSubscriptionResponse:
    """
    Attributes:
        execution_id (str):
        client_id (str):
        subscribed (bool): Whether the client now receives playbook/state frames of the execution
    """

    execution_id: str
    client_id: str
    subscribed: bool

    def to_dict(self) -> dict[str, Any]:
        execution_id = self.execution_id

        client_id = self.client_id

        subscribed = self.subscribed

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "execution_id": execution_id,
                "client_id": client_id,
                "subscribed": subscribed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        execution_id = d.pop("execution_id")

        client_id = d.pop("client_id")

        subscribed = d.pop("subscribed")

        execution_subscription_response = cls(
            execution_id=execution_id,
            client_id=client_id,
            subscribed=subscribed,
        )

        return execution_subscription_response
