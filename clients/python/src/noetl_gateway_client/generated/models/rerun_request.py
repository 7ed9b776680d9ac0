from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RerunRequest")


@_attrs_define
class RerunRequest:
    """
    Attributes:
        execution_id (int | str): A string or an integer; always normalised to a string Example: 635758340626186455.
        workload (Any | Unset): Playbook input. With `client_id` and an object workload, `request_id` and `gateway_url`
            are injected into it
        client_id (str | Unset): SSE client id (from the init frame of GET /events) Example:
            0b6c2f0e-2c1d-4e7a-9f3b-1d2e3f4a5b6c.
    """

    execution_id: int | str
    workload: Any | Unset = UNSET
    client_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        execution_id: int | str
        execution_id = self.execution_id

        workload = self.workload

        client_id = self.client_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "execution_id": execution_id,
            }
        )
        if workload is not UNSET:
            field_dict["workload"] = workload
        if client_id is not UNSET:
            field_dict["client_id"] = client_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_execution_id(data: object) -> int | str:
            return cast(int | str, data)

        execution_id = _parse_execution_id(d.pop("execution_id"))

        workload = d.pop("workload", UNSET)

        client_id = d.pop("client_id", UNSET)

        rerun_request = cls(
            execution_id=execution_id,
            workload=workload,
            client_id=client_id,
        )

        rerun_request.additional_properties = d
        return rerun_request

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
