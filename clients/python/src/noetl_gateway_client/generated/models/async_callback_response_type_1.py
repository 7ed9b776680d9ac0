from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define

T = TypeVar("T", bound="AsyncCallbackResponseType1")


@_attrs_define
class AsyncCallbackResponseType1:
    """
    Attributes:
        client_disconnected (bool):
        status (Literal['queued']): The client is not connected; the frames are kept and replayed when it reconnects
    """

    client_disconnected: bool
    status: Literal["queued"]

    def to_dict(self) -> dict[str, Any]:
        client_disconnected = self.client_disconnected

        status = self.status

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "clientDisconnected": client_disconnected,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        client_disconnected = d.pop("clientDisconnected")

        status = cast(Literal["queued"], d.pop("status"))
        if status != "queued":
            raise ValueError(f"status must match const 'queued', got '{status}'")

        async_callback_response_type_1 = cls(
            client_disconnected=client_disconnected,
            status=status,
        )

        return async_callback_response_type_1
