from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="User")


@_attrs_define
class User:
    """
    Attributes:
        user_id (int | str): Integer (a string only beyond 2^53)
        email (str):
        display_name (str):
        roles (list[str]):
    """

    user_id: int | str
    email: str
    display_name: str
    roles: list[str]

    def to_dict(self) -> dict[str, Any]:
        user_id: int | str
        user_id = self.user_id

        email = self.email

        display_name = self.display_name

        roles = self.roles

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "user_id": user_id,
                "email": email,
                "display_name": display_name,
                "roles": roles,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_user_id(data: object) -> int | str:
            return cast(int | str, data)

        user_id = _parse_user_id(d.pop("user_id"))

        email = d.pop("email")

        display_name = d.pop("display_name")

        roles = cast(list[str], d.pop("roles"))

        user = cls(
            user_id=user_id,
            email=email,
            display_name=display_name,
            roles=roles,
        )

        return user
