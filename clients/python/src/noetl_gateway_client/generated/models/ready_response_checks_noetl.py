from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ReadyResponseChecksNoetl")


@_attrs_define
class ReadyResponseChecksNoetl:
    """
    Attributes:
        ok (bool):
        detail (str):
    """

    ok: bool
    detail: str

    def to_dict(self) -> dict[str, Any]:
        ok = self.ok

        detail = self.detail

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "ok": ok,
                "detail": detail,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        ok = d.pop("ok")

        detail = d.pop("detail")

        ready_response_checks_noetl = cls(
            ok=ok,
            detail=detail,
        )

        return ready_response_checks_noetl
