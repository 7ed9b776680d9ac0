from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="AuthCallbackResponse")


@_attrs_define
class AuthCallbackResponse:
    """
    Attributes:
        delivered (bool):
        message (str):
    """

    delivered: bool
    message: str

    def to_dict(self) -> dict[str, Any]:
        delivered = self.delivered

        message = self.message

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "delivered": delivered,
                "message": message,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        delivered = d.pop("delivered")

        message = d.pop("message")

        auth_callback_response = cls(
            delivered=delivered,
            message=message,
        )

        return auth_callback_response
