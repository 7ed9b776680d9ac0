from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="PlaybookResultFrameParamsType1")


@_attrs_define
class PlaybookResultFrameParamsType1:
    """
    Attributes:
        data (Any): Any JSON value
        execution_id (str):
        request_id (str):
        status (str):
    """

    data: Any
    execution_id: str
    request_id: str
    status: str

    def to_dict(self) -> dict[str, Any]:
        data = self.data

        execution_id = self.execution_id

        request_id = self.request_id

        status = self.status

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "data": data,
                "executionId": execution_id,
                "requestId": request_id,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        data = d.pop("data")

        execution_id = d.pop("executionId")

        request_id = d.pop("requestId")

        status = d.pop("status")

        playbook_result_frame_params_type_1 = cls(
            data=data,
            execution_id=execution_id,
            request_id=request_id,
            status=status,
        )

        return playbook_result_frame_params_type_1
