from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ready_response_checks_event_feed import ReadyResponseChecksEventFeed
    from ..models.ready_response_checks_kv import ReadyResponseChecksKv
    from ..models.ready_response_checks_nats import ReadyResponseChecksNats
    from ..models.ready_response_checks_noetl import ReadyResponseChecksNoetl


T = TypeVar("T", bound="ReadyResponseChecks")


@_attrs_define
class ReadyResponseChecks:
    """
    Attributes:
        nats (ReadyResponseChecksNats):
        noetl (ReadyResponseChecksNoetl):
        kv (ReadyResponseChecksKv | Unset): EHDB KV (`NOETL_KV_ADDR`), when sessions and requests live there: connected
            and answering
        event_feed (ReadyResponseChecksEventFeed | Unset): EHDB event feed (`NOETL_EVENT_FEED_ADDR`): connected, and the
            last id handled. Informational: a feed outage delays lifecycle frames (they resume from the cursor) and does not
            make the gateway unready
    """

    nats: ReadyResponseChecksNats
    noetl: ReadyResponseChecksNoetl
    kv: ReadyResponseChecksKv | Unset = UNSET
    event_feed: ReadyResponseChecksEventFeed | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        nats = self.nats.to_dict()

        noetl = self.noetl.to_dict()

        kv: dict[str, Any] | Unset = UNSET
        if not isinstance(self.kv, Unset):
            kv = self.kv.to_dict()

        event_feed: dict[str, Any] | Unset = UNSET
        if not isinstance(self.event_feed, Unset):
            event_feed = self.event_feed.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "nats": nats,
                "noetl": noetl,
            }
        )
        if kv is not UNSET:
            field_dict["kv"] = kv
        if event_feed is not UNSET:
            field_dict["event_feed"] = event_feed

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.ready_response_checks_event_feed import (
            ReadyResponseChecksEventFeed,
        )
        from ..models.ready_response_checks_kv import ReadyResponseChecksKv
        from ..models.ready_response_checks_nats import ReadyResponseChecksNats
        from ..models.ready_response_checks_noetl import ReadyResponseChecksNoetl

        d = dict(src_dict)
        nats = ReadyResponseChecksNats.from_dict(d.pop("nats"))

        noetl = ReadyResponseChecksNoetl.from_dict(d.pop("noetl"))

        _kv = d.pop("kv", UNSET)
        kv: ReadyResponseChecksKv | Unset
        if isinstance(_kv, Unset):
            kv = UNSET
        else:
            kv = ReadyResponseChecksKv.from_dict(_kv)

        _event_feed = d.pop("event_feed", UNSET)
        event_feed: ReadyResponseChecksEventFeed | Unset
        if isinstance(_event_feed, Unset):
            event_feed = UNSET
        else:
            event_feed = ReadyResponseChecksEventFeed.from_dict(_event_feed)

        ready_response_checks = cls(
            nats=nats,
            noetl=noetl,
            kv=kv,
            event_feed=event_feed,
        )

        return ready_response_checks
