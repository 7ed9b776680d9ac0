from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.error_code import ErrorCode
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.error_issue import ErrorIssue


T = TypeVar("T", bound="ErrorBody")


@_attrs_define
class ErrorBody:
    """
    Example:
        {'error': 'Missing authentication token', 'code': 'UNAUTHORIZED'}

    Attributes:
        error (str): Human-readable reason
        code (ErrorCode): Machine-readable error code (the same on every transport, tRPC included)
        issues (list[ErrorIssue] | Unset): Validation problems, one per offending field
    """

    error: str
    code: ErrorCode
    issues: list[ErrorIssue] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        error = self.error

        code = self.code.value

        issues: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.issues, Unset):
            issues = []
            for issues_item_data in self.issues:
                issues_item = issues_item_data.to_dict()
                issues.append(issues_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "error": error,
                "code": code,
            }
        )
        if issues is not UNSET:
            field_dict["issues"] = issues

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.error_issue import ErrorIssue

        d = dict(src_dict)
        error = d.pop("error")

        code = ErrorCode(d.pop("code"))

        _issues = d.pop("issues", UNSET)
        issues: list[ErrorIssue] | Unset = UNSET
        if _issues is not UNSET:
            issues = []
            for issues_item_data in _issues:
                issues_item = ErrorIssue.from_dict(issues_item_data)

                issues.append(issues_item)

        error_body = cls(
            error=error,
            code=code,
            issues=issues,
        )

        return error_body
