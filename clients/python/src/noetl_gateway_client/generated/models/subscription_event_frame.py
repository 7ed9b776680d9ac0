from __future__ import annotations

from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.subscription_event_frame_params import SubscriptionEventFrameParams


T = TypeVar("T", bound="SubscriptionEventFrame")


@_attrs_define
class SubscriptionEventFrame:
    """event: subscription/event — a Firestore document change

    Attributes:
        jsonrpc (Literal['2.0']):
        method (Literal['subscription/event']):
        params (SubscriptionEventFrameParams):
    """

    jsonrpc: Literal["2.0"]
    method: Literal["subscription/event"]
    params: SubscriptionEventFrameParams

    def to_dict(self) -> dict[str, Any]:
        jsonrpc = self.jsonrpc

        method = self.method

        params = self.params.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "jsonrpc": jsonrpc,
                "method": method,
                "params": params,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.subscription_event_frame_params import (
            SubscriptionEventFrameParams,
        )

        d = dict(src_dict)
        jsonrpc = cast(Literal["2.0"], d.pop("jsonrpc"))
        if jsonrpc != "2.0":
            raise ValueError(f"jsonrpc must match const '2.0', got '{jsonrpc}'")

        method = cast(Literal["subscription/event"], d.pop("method"))
        if method != "subscription/event":
            raise ValueError(
                f"method must match const 'subscription/event', got '{method}'"
            )

        params = SubscriptionEventFrameParams.from_dict(d.pop("params"))

        subscription_event_frame = cls(
            jsonrpc=jsonrpc,
            method=method,
            params=params,
        )

        return subscription_event_frame
