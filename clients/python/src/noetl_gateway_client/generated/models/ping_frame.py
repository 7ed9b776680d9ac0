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
    from ..models.ping_frame_params import PingFrameParams


T = TypeVar("T", bound="PingFrame")


@_attrs_define
class PingFrame:
    """event: ping — heartbeat

    Attributes:
        jsonrpc (Literal['2.0']):
        method (Literal['ping']):
        params (PingFrameParams):
    """

    jsonrpc: Literal["2.0"]
    method: Literal["ping"]
    params: PingFrameParams

    def to_dict(self) -> dict[str, Any]:
        jsonrpc = self.jsonrpc

        method = self.method

        params = self.params.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "jsonrpc": jsonrpc,
                "method": method,
                "params": params,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.ping_frame_params import PingFrameParams

        d = dict(src_dict)
        jsonrpc = cast(Literal["2.0"], d.pop("jsonrpc"))
        if jsonrpc != "2.0":
            raise ValueError(f"jsonrpc must match const '2.0', got '{jsonrpc}'")

        method = cast(Literal["ping"], d.pop("method"))
        if method != "ping":
            raise ValueError(f"method must match const 'ping', got '{method}'")

        params = PingFrameParams.from_dict(d.pop("params"))

        ping_frame = cls(
            jsonrpc=jsonrpc,
            method=method,
            params=params,
        )

        return ping_frame
