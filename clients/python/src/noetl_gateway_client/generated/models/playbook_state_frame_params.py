from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="PlaybookStateFrameParams")


@_attrs_define
class PlaybookStateFrameParams:
    """
    Attributes:
        at (str):
        event_type (str):
        execution_id (str):
        status (str):
        step_name (None | str):
    """

    at: str
    event_type: str
    execution_id: str
    status: str
    step_name: None | str

    def to_dict(self) -> dict[str, Any]:
        at = self.at

        event_type = self.event_type

        execution_id = self.execution_id

        status = self.status

        step_name: None | str
        step_name = self.step_name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "at": at,
                "event_type": event_type,
                "execution_id": execution_id,
                "status": status,
                "step_name": step_name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        at = d.pop("at")

        event_type = d.pop("event_type")

        execution_id = d.pop("execution_id")

        status = d.pop("status")

        def _parse_step_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        step_name = _parse_step_name(d.pop("step_name"))

        playbook_state_frame_params = cls(
            at=at,
            event_type=event_type,
            execution_id=execution_id,
            status=status,
            step_name=step_name,
        )

        return playbook_state_frame_params
