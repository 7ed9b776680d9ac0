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
    from ..models.user import User


T = TypeVar("T", bound="LoginResponse")


@_attrs_define
class LoginResponse:
    """
    Attributes:
        status (Literal['authenticated']):
        session_token (str):
        user (User):
        expires_at (str):
        message (str):
    """

    status: Literal["authenticated"]
    session_token: str
    user: User
    expires_at: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        session_token = self.session_token

        user = self.user.to_dict()

        expires_at = self.expires_at

        message = self.message

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "status": status,
                "session_token": session_token,
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
        status = cast(Literal["authenticated"], d.pop("status"))
        if status != "authenticated":
            raise ValueError(f"status must match const 'authenticated', got '{status}'")

        session_token = d.pop("session_token")

        user = User.from_dict(d.pop("user"))

        expires_at = d.pop("expires_at")

        message = d.pop("message")

        login_response = cls(
            status=status,
            session_token=session_token,
            user=user,
            expires_at=expires_at,
            message=message,
        )

        return login_response
