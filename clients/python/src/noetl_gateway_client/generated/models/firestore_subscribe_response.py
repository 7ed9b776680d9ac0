from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="FirestoreSubscribeResponse")


@_attrs_define
class FirestoreSubscribeResponse:
    """
    Attributes:
        subscription_id (str): Filter `subscription/event` frames by this id
        client_id (str):
    """

    subscription_id: str
    client_id: str

    def to_dict(self) -> dict[str, Any]:
        subscription_id = self.subscription_id

        client_id = self.client_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "subscription_id": subscription_id,
                "client_id": client_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        subscription_id = d.pop("subscription_id")

        client_id = d.pop("client_id")

        firestore_subscribe_response = cls(
            subscription_id=subscription_id,
            client_id=client_id,
        )

        return firestore_subscribe_response
