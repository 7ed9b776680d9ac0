from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="PlaybookResultFrameParamsType0Error")


@_attrs_define
class PlaybookResultFrameParamsType0Error:
    """
    Attributes:
        code (int):
        data (Any): Any JSON value
        message (str):
    """

    code: int
    data: Any
    message: str

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        data = self.data

        message = self.message

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
                "data": data,
                "message": message,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        code = d.pop("code")

        data = d.pop("data")

        message = d.pop("message")

        playbook_result_frame_params_type_0_error = cls(
            code=code,
            data=data,
            message=message,
        )

        return playbook_result_frame_params_type_0_error
