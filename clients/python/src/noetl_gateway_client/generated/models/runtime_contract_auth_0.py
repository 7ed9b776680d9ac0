from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RuntimeContractAuth0")


@_attrs_define
class RuntimeContractAuth0:
    """
    Attributes:
        domain (str):
        audience (str | Unset):
        client_id (str | Unset):
        redirect_uri (str | Unset):
    """

    domain: str
    audience: str | Unset = UNSET
    client_id: str | Unset = UNSET
    redirect_uri: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        domain = self.domain

        audience = self.audience

        client_id = self.client_id

        redirect_uri = self.redirect_uri

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "domain": domain,
            }
        )
        if audience is not UNSET:
            field_dict["audience"] = audience
        if client_id is not UNSET:
            field_dict["client_id"] = client_id
        if redirect_uri is not UNSET:
            field_dict["redirect_uri"] = redirect_uri

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        domain = d.pop("domain")

        audience = d.pop("audience", UNSET)

        client_id = d.pop("client_id", UNSET)

        redirect_uri = d.pop("redirect_uri", UNSET)

        runtime_contract_auth_0 = cls(
            domain=domain,
            audience=audience,
            client_id=client_id,
            redirect_uri=redirect_uri,
        )

        return runtime_contract_auth_0
