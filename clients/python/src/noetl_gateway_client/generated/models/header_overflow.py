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

T = TypeVar("T", bound="HeaderOverflow")


@_attrs_define
class HeaderOverflow:
    """
    Attributes:
        error (str):
        message (str):
        status_code (Literal[431]):
    """

    error: str
    message: str
    status_code: Literal[431]

    def to_dict(self) -> dict[str, Any]:
        error = self.error

        message = self.message

        status_code = self.status_code

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "error": error,
                "message": message,
                "statusCode": status_code,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        error = d.pop("error")

        message = d.pop("message")

        status_code = cast(Literal[431], d.pop("statusCode"))
        if status_code != 431:
            raise ValueError(f"statusCode must match const 431, got '{status_code}'")

        header_overflow = cls(
            error=error,
            message=message,
            status_code=status_code,
        )

        return header_overflow
