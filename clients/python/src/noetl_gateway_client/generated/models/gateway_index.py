from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.gateway_index_links import GatewayIndexLinks


T = TypeVar("T", bound="GatewayIndex")


@_attrs_define
class GatewayIndex:
    """
    Attributes:
        name (str):
        version (str):
        links (GatewayIndexLinks):
    """

    name: str
    version: str
    links: GatewayIndexLinks

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        version = self.version

        links = self.links.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "version": version,
                "links": links,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.gateway_index_links import GatewayIndexLinks

        d = dict(src_dict)
        name = d.pop("name")

        version = d.pop("version")

        links = GatewayIndexLinks.from_dict(d.pop("links"))

        gateway_index = cls(
            name=name,
            version=version,
            links=links,
        )

        return gateway_index
