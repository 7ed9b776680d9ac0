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

from ..models.error_code import ErrorCode
from ..models.ingress_rejection_reason import IngressRejectionReason
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.error_issue import ErrorIssue


T = TypeVar("T", bound="IngressRejection")


@_attrs_define
class IngressRejection:
    """
    Example:
        {'error': 'HMAC signature mismatch', 'code': 'UNAUTHORIZED', 'status': 'rejected', 'reason': 'bad_signature'}

    Attributes:
        error (str): Human-readable reason
        code (ErrorCode): Machine-readable error code (the same on every transport, tRPC included)
        status (Literal['rejected']):
        reason (IngressRejectionReason): Why the delivery was refused (a metric label too)
        issues (list[ErrorIssue] | Unset): Validation problems, one per offending field
        detail (str | Unset):
    """

    error: str
    code: ErrorCode
    status: Literal["rejected"]
    reason: IngressRejectionReason
    issues: list[ErrorIssue] | Unset = UNSET
    detail: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        error = self.error

        code = self.code.value

        status = self.status

        reason = self.reason.value

        issues: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.issues, Unset):
            issues = []
            for issues_item_data in self.issues:
                issues_item = issues_item_data.to_dict()
                issues.append(issues_item)

        detail = self.detail

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "error": error,
                "code": code,
                "status": status,
                "reason": reason,
            }
        )
        if issues is not UNSET:
            field_dict["issues"] = issues
        if detail is not UNSET:
            field_dict["detail"] = detail

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.error_issue import ErrorIssue

        d = dict(src_dict)
        error = d.pop("error")

        code = ErrorCode(d.pop("code"))

        status = cast(Literal["rejected"], d.pop("status"))
        if status != "rejected":
            raise ValueError(f"status must match const 'rejected', got '{status}'")

        reason = IngressRejectionReason(d.pop("reason"))

        _issues = d.pop("issues", UNSET)
        issues: list[ErrorIssue] | Unset = UNSET
        if _issues is not UNSET:
            issues = []
            for issues_item_data in _issues:
                issues_item = ErrorIssue.from_dict(issues_item_data)

                issues.append(issues_item)

        detail = d.pop("detail", UNSET)

        ingress_rejection = cls(
            error=error,
            code=code,
            status=status,
            reason=reason,
            issues=issues,
            detail=detail,
        )

        return ingress_rejection
