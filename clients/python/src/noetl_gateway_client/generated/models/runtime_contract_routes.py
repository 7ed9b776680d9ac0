from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="RuntimeContractRoutes")


@_attrs_define
class RuntimeContractRoutes:
    """
    Attributes:
        protected (list[str]):
        public (list[str]):
    """

    protected: list[str]
    public: list[str]

    def to_dict(self) -> dict[str, Any]:
        protected = self.protected

        public = self.public

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "protected": protected,
                "public": public,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        protected = cast(list[str], d.pop("protected"))

        public = cast(list[str], d.pop("public"))

        runtime_contract_routes = cls(
            protected=protected,
            public=public,
        )

        return runtime_contract_routes
