from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.user import User


T = TypeVar("T", bound="ValidateResponse")


@_attrs_define
class ValidateResponse:
    """
    Attributes:
        valid (bool):
        user (None | User):
        expires_at (None | str):
        message (str):
    """

    valid: bool
    user: None | User
    expires_at: None | str
    message: str

    def to_dict(self) -> dict[str, Any]:
        from ..models.user import User

        valid = self.valid

        user: dict[str, Any] | None
        if isinstance(self.user, User):
            user = self.user.to_dict()
        else:
            user = self.user

        expires_at: None | str
        expires_at = self.expires_at

        message = self.message

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "valid": valid,
                "user": user,
                "expires_at": expires_at,
                "message": message,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.user import User

        d = dict(src_dict)
        valid = d.pop("valid")

        def _parse_user(data: object) -> None | User:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                user_type_0 = User.from_dict(data)

                return user_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | User, data)

        user = _parse_user(d.pop("user"))

        def _parse_expires_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        expires_at = _parse_expires_at(d.pop("expires_at"))

        message = d.pop("message")

        validate_response = cls(
            valid=valid,
            user=user,
            expires_at=expires_at,
            message=message,
        )

        return validate_response
