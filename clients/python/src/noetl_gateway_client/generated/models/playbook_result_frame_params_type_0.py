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
    from ..models.playbook_result_frame_params_type_0_error import (
        PlaybookResultFrameParamsType0Error,
    )


T = TypeVar("T", bound="PlaybookResultFrameParamsType0")


@_attrs_define
class PlaybookResultFrameParamsType0:
    """
    Attributes:
        error (PlaybookResultFrameParamsType0Error):
        execution_id (str):
        request_id (str):
        status (Literal['FAILED']):
    """

    error: PlaybookResultFrameParamsType0Error
    execution_id: str
    request_id: str
    status: Literal["FAILED"]

    def to_dict(self) -> dict[str, Any]:
        error = self.error.to_dict()

        execution_id = self.execution_id

        request_id = self.request_id

        status = self.status

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "error": error,
                "executionId": execution_id,
                "requestId": request_id,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.playbook_result_frame_params_type_0_error import (
            PlaybookResultFrameParamsType0Error,
        )

        d = dict(src_dict)
        error = PlaybookResultFrameParamsType0Error.from_dict(d.pop("error"))

        execution_id = d.pop("executionId")

        request_id = d.pop("requestId")

        status = cast(Literal["FAILED"], d.pop("status"))
        if status != "FAILED":
            raise ValueError(f"status must match const 'FAILED', got '{status}'")

        playbook_result_frame_params_type_0 = cls(
            error=error,
            execution_id=execution_id,
            request_id=request_id,
            status=status,
        )

        return playbook_result_frame_params_type_0
