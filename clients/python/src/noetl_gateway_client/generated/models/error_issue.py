from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="ErrorIssue")


@_attrs_define
class ErrorIssue:
    """
    Attributes:
        path (list[float | str]):
        message (str):
    """

    path: list[float | str]
    message: str

    def to_dict(self) -> dict[str, Any]:
        path = []
        for path_item_data in self.path:
            path_item: float | str
            path_item = path_item_data
            path.append(path_item)

        message = self.message

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "path": path,
                "message": message,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        path = []
        _path = d.pop("path")
        for path_item_data in _path:

            def _parse_path_item(data: object) -> float | str:
                return cast(float | str, data)

            path_item = _parse_path_item(path_item_data)

            path.append(path_item)

        message = d.pop("message")

        error_issue = cls(
            path=path,
            message=message,
        )

        return error_issue
