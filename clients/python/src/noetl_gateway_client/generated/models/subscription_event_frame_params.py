from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.subscription_event_frame_params_op import SubscriptionEventFrameParamsOp

T = TypeVar("T", bound="SubscriptionEventFrameParams")


@_attrs_define
class SubscriptionEventFrameParams:
    """
    Attributes:
        data (Any): Any JSON value
        doc_id (str):
        op (SubscriptionEventFrameParamsOp):
        subscription_id (str):
    """

    data: Any
    doc_id: str
    op: SubscriptionEventFrameParamsOp
    subscription_id: str

    def to_dict(self) -> dict[str, Any]:
        data = self.data

        doc_id = self.doc_id

        op = self.op.value

        subscription_id = self.subscription_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "data": data,
                "doc_id": doc_id,
                "op": op,
                "subscription_id": subscription_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        data = d.pop("data")

        doc_id = d.pop("doc_id")

        op = SubscriptionEventFrameParamsOp(d.pop("op"))

        subscription_id = d.pop("subscription_id")

        subscription_event_frame_params = cls(
            data=data,
            doc_id=doc_id,
            op=op,
            subscription_id=subscription_id,
        )

        return subscription_event_frame_params
