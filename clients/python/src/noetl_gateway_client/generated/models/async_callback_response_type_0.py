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

T = TypeVar("T", bound="AsyncCallbackResponseType0")


@_attrs_define
class AsyncCallbackResponseType0:
    """
    Attributes:
        status (Literal['delivered']):
    """

    status: Literal["delivered"]

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        status = cast(Literal["delivered"], d.pop("status"))
        if status != "delivered":
            raise ValueError(f"status must match const 'delivered', got '{status}'")

        async_callback_response_type_0 = cls(
            status=status,
        )

        return async_callback_response_type_0
