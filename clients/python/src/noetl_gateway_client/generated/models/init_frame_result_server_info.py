from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define

T = TypeVar("T", bound="InitFrameResultServerInfo")


@_attrs_define
class InitFrameResultServerInfo:
    """
    Attributes:
        name (Literal['noetl-gateway']):
        version (str):
    """

    name: Literal["noetl-gateway"]
    version: str

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        version = self.version

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = cast(Literal["noetl-gateway"], d.pop("name"))
        if name != "noetl-gateway":
            raise ValueError(f"name must match const 'noetl-gateway', got '{name}'")

        version = d.pop("version")

        init_frame_result_server_info = cls(
            name=name,
            version=version,
        )

        return init_frame_result_server_info
