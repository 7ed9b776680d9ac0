from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.backends_bus import BackendsBus
from ..models.backends_lifecycle import BackendsLifecycle
from ..models.backends_store import BackendsStore

T = TypeVar("T", bound="Backends")


@_attrs_define
class Backends:
    """
    Attributes:
        store (BackendsStore): Where sessions and pending requests live: `ehdb` (`NOETL_KV_ADDR`, as v3.x), `nats`
            (`NATS_URL` K/V, as v2.11.x), `embedded` (memory)
        lifecycle (BackendsLifecycle): Where NoETL lifecycle events (`playbook/state`) come from: `ehdb_feed`
            (`NOETL_EVENT_FEED_ADDR`), `nats` (subjects under `NATS_UPDATES_SUBJECT_PREFIX`), `none`
        bus (BackendsBus): What carries frames, SSE client ownership and auth callbacks between replicas: `nats` (any
            number of replicas) or `embedded` (one replica)
    """

    store: BackendsStore
    lifecycle: BackendsLifecycle
    bus: BackendsBus

    def to_dict(self) -> dict[str, Any]:
        store = self.store.value

        lifecycle = self.lifecycle.value

        bus = self.bus.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "store": store,
                "lifecycle": lifecycle,
                "bus": bus,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        store = BackendsStore(d.pop("store"))

        lifecycle = BackendsLifecycle(d.pop("lifecycle"))

        bus = BackendsBus(d.pop("bus"))

        backends = cls(
            store=store,
            lifecycle=lifecycle,
            bus=bus,
        )

        return backends
