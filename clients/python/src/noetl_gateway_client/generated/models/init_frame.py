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
    from ..models.init_frame_result import InitFrameResult


T = TypeVar("T", bound="InitFrame")


@_attrs_define
class InitFrame:
    """event: message — first frame of every connection

    Attributes:
        jsonrpc (Literal['2.0']):
        id (Literal[1]):
        result (InitFrameResult):
    """

    jsonrpc: Literal["2.0"]
    id: Literal[1]
    result: InitFrameResult

    def to_dict(self) -> dict[str, Any]:
        jsonrpc = self.jsonrpc

        id = self.id

        result = self.result.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "jsonrpc": jsonrpc,
                "id": id,
                "result": result,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.init_frame_result import InitFrameResult

        d = dict(src_dict)
        jsonrpc = cast(Literal["2.0"], d.pop("jsonrpc"))
        if jsonrpc != "2.0":
            raise ValueError(f"jsonrpc must match const '2.0', got '{jsonrpc}'")

        id = cast(Literal[1], d.pop("id"))
        if id != 1:
            raise ValueError(f"id must match const 1, got '{id}'")

        result = InitFrameResult.from_dict(d.pop("result"))

        init_frame = cls(
            jsonrpc=jsonrpc,
            id=id,
            result=result,
        )

        return init_frame
