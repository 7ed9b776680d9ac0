from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="LoginRequest")


@_attrs_define
class LoginRequest:
    """
    Attributes:
        auth0_token (str): Auth0 ID token (JWT)
        auth0_refresh_token (None | str | Unset):
        auth0_domain (None | str | Unset): Defaults to mestumre-development.us.auth0.com
        session_duration_hours (int | Unset): Default 8
        client_ip (None | str | Unset):
        client_user_agent (None | str | Unset):
    """

    auth0_token: str
    auth0_refresh_token: None | str | Unset = UNSET
    auth0_domain: None | str | Unset = UNSET
    session_duration_hours: int | Unset = UNSET
    client_ip: None | str | Unset = UNSET
    client_user_agent: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        auth0_token = self.auth0_token

        auth0_refresh_token: None | str | Unset
        if isinstance(self.auth0_refresh_token, Unset):
            auth0_refresh_token = UNSET
        else:
            auth0_refresh_token = self.auth0_refresh_token

        auth0_domain: None | str | Unset
        if isinstance(self.auth0_domain, Unset):
            auth0_domain = UNSET
        else:
            auth0_domain = self.auth0_domain

        session_duration_hours = self.session_duration_hours

        client_ip: None | str | Unset
        if isinstance(self.client_ip, Unset):
            client_ip = UNSET
        else:
            client_ip = self.client_ip

        client_user_agent: None | str | Unset
        if isinstance(self.client_user_agent, Unset):
            client_user_agent = UNSET
        else:
            client_user_agent = self.client_user_agent

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "auth0_token": auth0_token,
            }
        )
        if auth0_refresh_token is not UNSET:
            field_dict["auth0_refresh_token"] = auth0_refresh_token
        if auth0_domain is not UNSET:
            field_dict["auth0_domain"] = auth0_domain
        if session_duration_hours is not UNSET:
            field_dict["session_duration_hours"] = session_duration_hours
        if client_ip is not UNSET:
            field_dict["client_ip"] = client_ip
        if client_user_agent is not UNSET:
            field_dict["client_user_agent"] = client_user_agent

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        auth0_token = d.pop("auth0_token")

        def _parse_auth0_refresh_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        auth0_refresh_token = _parse_auth0_refresh_token(
            d.pop("auth0_refresh_token", UNSET)
        )

        def _parse_auth0_domain(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        auth0_domain = _parse_auth0_domain(d.pop("auth0_domain", UNSET))

        session_duration_hours = d.pop("session_duration_hours", UNSET)

        def _parse_client_ip(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        client_ip = _parse_client_ip(d.pop("client_ip", UNSET))

        def _parse_client_user_agent(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        client_user_agent = _parse_client_user_agent(d.pop("client_user_agent", UNSET))

        login_request = cls(
            auth0_token=auth0_token,
            auth0_refresh_token=auth0_refresh_token,
            auth0_domain=auth0_domain,
            session_duration_hours=session_duration_hours,
            client_ip=client_ip,
            client_user_agent=client_user_agent,
        )

        login_request.additional_properties = d
        return login_request

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
