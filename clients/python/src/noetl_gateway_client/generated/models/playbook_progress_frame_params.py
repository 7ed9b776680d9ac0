from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="PlaybookProgressFrameParams")


@_attrs_define
class PlaybookProgressFrameParams:
    """
    Attributes:
        execution_id (str):
        message (None | str):
        progress (float | None):
        request_id (str):
        step (None | str):
    """

    execution_id: str
    message: None | str
    progress: float | None
    request_id: str
    step: None | str

    def to_dict(self) -> dict[str, Any]:
        execution_id = self.execution_id

        message: None | str
        message = self.message

        progress: float | None
        progress = self.progress

        request_id = self.request_id

        step: None | str
        step = self.step

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "executionId": execution_id,
                "message": message,
                "progress": progress,
                "requestId": request_id,
                "step": step,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        execution_id = d.pop("executionId")

        def _parse_message(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        message = _parse_message(d.pop("message"))

        def _parse_progress(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        progress = _parse_progress(d.pop("progress"))

        request_id = d.pop("requestId")

        def _parse_step(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        step = _parse_step(d.pop("step"))

        playbook_progress_frame_params = cls(
            execution_id=execution_id,
            message=message,
            progress=progress,
            request_id=request_id,
            step=step,
        )

        return playbook_progress_frame_params
