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

T = TypeVar("T", bound="IngressAccepted")


@_attrs_define
class IngressAccepted:
    """
    Example:
        {'status': 'accepted', 'execution_id': '635758340626186455'}

    Attributes:
        status (Literal['accepted']):
        execution_id (str):
    """

    status: Literal["accepted"]
    execution_id: str

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        execution_id = self.execution_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "status": status,
                "execution_id": execution_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        status = cast(Literal["accepted"], d.pop("status"))
        if status != "accepted":
            raise ValueError(f"status must match const 'accepted', got '{status}'")

        execution_id = d.pop("execution_id")

        ingress_accepted = cls(
            status=status,
            execution_id=execution_id,
        )

        return ingress_accepted
