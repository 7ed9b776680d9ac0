from __future__ import annotations

from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.error_frame_error import ErrorFrameError


T = TypeVar("T", bound="ErrorFrame")


@_attrs_define
class ErrorFrame:
    """event: error

    Attributes:
        jsonrpc (Literal['2.0']):
        error (ErrorFrameError):
    """

    jsonrpc: Literal["2.0"]
    error: ErrorFrameError

    def to_dict(self) -> dict[str, Any]:
        jsonrpc = self.jsonrpc

        error = self.error.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "jsonrpc": jsonrpc,
                "error": error,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.error_frame_error import ErrorFrameError

        d = dict(src_dict)
        jsonrpc = cast(Literal["2.0"], d.pop("jsonrpc"))
        if jsonrpc != "2.0":
            raise ValueError(f"jsonrpc must match const '2.0', got '{jsonrpc}'")

        error = ErrorFrameError.from_dict(d.pop("error"))

        error_frame = cls(
            jsonrpc=jsonrpc,
            error=error,
        )

        return error_frame
