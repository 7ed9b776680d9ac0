from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="FirestoreSubscribeRequest")


@_attrs_define
class FirestoreSubscribeRequest:
    """
    Attributes:
        path (str): Collection path to watch; must match a configured template (default
            `chat_threads/{thread_id}/trip/current/events`) Example: chat_threads/thread-1/trip/current/events.
        scope (str | Unset): Only `owner` is supported Default: 'owner'.
        client_id (str | Unset): SSE client that receives the frames; must belong to the caller’s session and be
            connected. Default: one of the session’s clients connected to this replica Example:
            0b6c2f0e-2c1d-4e7a-9f3b-1d2e3f4a5b6c.
    """

    path: str
    scope: str | Unset = "owner"
    client_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        path = self.path

        scope = self.scope

        client_id = self.client_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "path": path,
            }
        )
        if scope is not UNSET:
            field_dict["scope"] = scope
        if client_id is not UNSET:
            field_dict["client_id"] = client_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        path = d.pop("path")

        scope = d.pop("scope", UNSET)

        client_id = d.pop("client_id", UNSET)

        firestore_subscribe_request = cls(
            path=path,
            scope=scope,
            client_id=client_id,
        )

        firestore_subscribe_request.additional_properties = d
        return firestore_subscribe_request

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
