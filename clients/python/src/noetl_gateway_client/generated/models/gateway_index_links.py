from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="GatewayIndexLinks")


@_attrs_define
class GatewayIndexLinks:
    """
    Attributes:
        docs (str):
        openapi (str):
        health (str):
        ready (str):
        events (str):
    """

    docs: str
    openapi: str
    health: str
    ready: str
    events: str

    def to_dict(self) -> dict[str, Any]:
        docs = self.docs

        openapi = self.openapi

        health = self.health

        ready = self.ready

        events = self.events

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "docs": docs,
                "openapi": openapi,
                "health": health,
                "ready": ready,
                "events": events,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        docs = d.pop("docs")

        openapi = d.pop("openapi")

        health = d.pop("health")

        ready = d.pop("ready")

        events = d.pop("events")

        gateway_index_links = cls(
            docs=docs,
            openapi=openapi,
            health=health,
            ready=ready,
            events=events,
        )

        return gateway_index_links
