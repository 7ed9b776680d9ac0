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
    from ..models.playbook_result_frame_params_type_0 import (
        PlaybookResultFrameParamsType0,
    )
    from ..models.playbook_result_frame_params_type_1 import (
        PlaybookResultFrameParamsType1,
    )


T = TypeVar("T", bound="PlaybookResultFrame")


@_attrs_define
class PlaybookResultFrame:
    """event: playbook/result

    Attributes:
        jsonrpc (Literal['2.0']):
        method (Literal['playbook/result']):
        params (PlaybookResultFrameParamsType0 | PlaybookResultFrameParamsType1):
    """

    jsonrpc: Literal["2.0"]
    method: Literal["playbook/result"]
    params: PlaybookResultFrameParamsType0 | PlaybookResultFrameParamsType1

    def to_dict(self) -> dict[str, Any]:
        from ..models.playbook_result_frame_params_type_0 import (
            PlaybookResultFrameParamsType0,
        )

        jsonrpc = self.jsonrpc

        method = self.method

        params: dict[str, Any]
        if isinstance(self.params, PlaybookResultFrameParamsType0):
            params = self.params.to_dict()
        else:
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
        from ..models.playbook_result_frame_params_type_0 import (
            PlaybookResultFrameParamsType0,
        )
        from ..models.playbook_result_frame_params_type_1 import (
            PlaybookResultFrameParamsType1,
        )

        d = dict(src_dict)
        jsonrpc = cast(Literal["2.0"], d.pop("jsonrpc"))
        if jsonrpc != "2.0":
            raise ValueError(f"jsonrpc must match const '2.0', got '{jsonrpc}'")

        method = cast(Literal["playbook/result"], d.pop("method"))
        if method != "playbook/result":
            raise ValueError(
                f"method must match const 'playbook/result', got '{method}'"
            )

        def _parse_params(
            data: object,
        ) -> PlaybookResultFrameParamsType0 | PlaybookResultFrameParamsType1:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                params_type_0 = PlaybookResultFrameParamsType0.from_dict(data)

                return params_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            params_type_1 = PlaybookResultFrameParamsType1.from_dict(data)

            return params_type_1

        params = _parse_params(d.pop("params"))

        playbook_result_frame = cls(
            jsonrpc=jsonrpc,
            method=method,
            params=params,
        )

        return playbook_result_frame
