from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.resource_kind import ResourceKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="ExecuteRequest")


@_attrs_define
class ExecuteRequest:
    """
    Attributes:
        path (str):
        workload (Any | Unset): Playbook input. With `client_id` and an object workload, `request_id` and `gateway_url`
            are injected into it
        resource_kind (ResourceKind | Unset):
        client_id (str | Unset): Push the result to this SSE client Example: 0b6c2f0e-2c1d-4e7a-9f3b-1d2e3f4a5b6c.
    """

    path: str
    workload: Any | Unset = UNSET
    resource_kind: ResourceKind | Unset = UNSET
    client_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        path = self.path

        workload = self.workload

        resource_kind: str | Unset = UNSET
        if not isinstance(self.resource_kind, Unset):
            resource_kind = self.resource_kind.value

        client_id = self.client_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "path": path,
            }
        )
        if workload is not UNSET:
            field_dict["workload"] = workload
        if resource_kind is not UNSET:
            field_dict["resource_kind"] = resource_kind
        if client_id is not UNSET:
            field_dict["client_id"] = client_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        path = d.pop("path")

        workload = d.pop("workload", UNSET)

        _resource_kind = d.pop("resource_kind", UNSET)
        resource_kind: ResourceKind | Unset
        if isinstance(_resource_kind, Unset):
            resource_kind = UNSET
        else:
            resource_kind = ResourceKind(_resource_kind)

        client_id = d.pop("client_id", UNSET)

        execute_request = cls(
            path=path,
            workload=workload,
            resource_kind=resource_kind,
            client_id=client_id,
        )

        execute_request.additional_properties = d
        return execute_request

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
