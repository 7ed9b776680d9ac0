from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.user import User


T = TypeVar("T", bound="CheckAccessResponse")


@_attrs_define
class CheckAccessResponse:
    """
    Attributes:
        allowed (bool):
        user (None | User):
        playbook_path (str):
        permission_type (str):
        message (str):
    """

    allowed: bool
    user: None | User
    playbook_path: str
    permission_type: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        from ..models.user import User

        allowed = self.allowed

        user: dict[str, Any] | None
        if isinstance(self.user, User):
            user = self.user.to_dict()
        else:
            user = self.user

        playbook_path = self.playbook_path

        permission_type = self.permission_type

        message = self.message

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "allowed": allowed,
                "user": user,
                "playbook_path": playbook_path,
                "permission_type": permission_type,
                "message": message,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.user import User

        d = dict(src_dict)
        allowed = d.pop("allowed")

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

        playbook_path = d.pop("playbook_path")

        permission_type = d.pop("permission_type")

        message = d.pop("message")

        check_access_response = cls(
            allowed=allowed,
            user=user,
            playbook_path=playbook_path,
            permission_type=permission_type,
            message=message,
        )

        return check_access_response
