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
    from ..models.playbook_progress_frame_params import PlaybookProgressFrameParams


T = TypeVar("T", bound="PlaybookProgressFrame")


@_attrs_define
class PlaybookProgressFrame:
    """event: playbook/progress

    Attributes:
        jsonrpc (Literal['2.0']):
        method (Literal['playbook/progress']):
        params (PlaybookProgressFrameParams):
    """

    jsonrpc: Literal["2.0"]
    method: Literal["playbook/progress"]
    params: PlaybookProgressFrameParams

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
        from ..models.playbook_progress_frame_params import PlaybookProgressFrameParams

        d = dict(src_dict)
        jsonrpc = cast(Literal["2.0"], d.pop("jsonrpc"))
        if jsonrpc != "2.0":
            raise ValueError(f"jsonrpc must match const '2.0', got '{jsonrpc}'")

        method = cast(Literal["playbook/progress"], d.pop("method"))
        if method != "playbook/progress":
            raise ValueError(
                f"method must match const 'playbook/progress', got '{method}'"
            )

        params = PlaybookProgressFrameParams.from_dict(d.pop("params"))

        playbook_progress_frame = cls(
            jsonrpc=jsonrpc,
            method=method,
            params=params,
        )

        return playbook_progress_frame
