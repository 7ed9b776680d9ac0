from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="InitFrameResultPendingRequestsItem")


@_attrs_define
class InitFrameResultPendingRequestsItem:
    """
    Attributes:
        execution_id (str):
        playbook_path (str):
        request_id (str):
    """

    execution_id: str
    playbook_path: str
    request_id: str

    def to_dict(self) -> dict[str, Any]:
        execution_id = self.execution_id

        playbook_path = self.playbook_path

        request_id = self.request_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "executionId": execution_id,
                "playbookPath": playbook_path,
                "requestId": request_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        execution_id = d.pop("executionId")

        playbook_path = d.pop("playbookPath")

        request_id = d.pop("requestId")

        init_frame_result_pending_requests_item = cls(
            execution_id=execution_id,
            playbook_path=playbook_path,
            request_id=request_id,
        )

        return init_frame_result_pending_requests_item
