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
    from ..models.playbook_state_frame_params import PlaybookStateFrameParams


T = TypeVar("T", bound="PlaybookStateFrame")


@_attrs_define
class PlaybookStateFrame:
    """event: playbook/state — lifecycle of an execution

    Attributes:
        jsonrpc (Literal['2.0']):
        method (Literal['playbook/state']):
        params (PlaybookStateFrameParams):
    """

    jsonrpc: Literal["2.0"]
    method: Literal["playbook/state"]
    params: PlaybookStateFrameParams

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
        from ..models.playbook_state_frame_params import PlaybookStateFrameParams

        d = dict(src_dict)
        jsonrpc = cast(Literal["2.0"], d.pop("jsonrpc"))
        if jsonrpc != "2.0":
            raise ValueError(f"jsonrpc must match const '2.0', got '{jsonrpc}'")

        method = cast(Literal["playbook/state"], d.pop("method"))
        if method != "playbook/state":
            raise ValueError(
                f"method must match const 'playbook/state', got '{method}'"
            )

        params = PlaybookStateFrameParams.from_dict(d.pop("params"))

        playbook_state_frame = cls(
            jsonrpc=jsonrpc,
            method=method,
            params=params,
        )

        return playbook_state_frame
