from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.backends import Backends
    from ..models.ready_response_checks import ReadyResponseChecks


T = TypeVar("T", bound="ReadyResponse")


@_attrs_define
class ReadyResponse:
    """
    Attributes:
        ready (bool):
        backends (Backends):
        checks (ReadyResponseChecks):
        reason (str | Unset): When not ready: what is down and why, in one line, naming the setting that points at it
            (e.g. `noetl (NOETL_BASE_URL): unreachable (connection refused)`); addresses are in the log only
    """

    ready: bool
    backends: Backends
    checks: ReadyResponseChecks
    reason: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        ready = self.ready

        backends = self.backends.to_dict()

        checks = self.checks.to_dict()

        reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "ready": ready,
                "backends": backends,
                "checks": checks,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.backends import Backends
        from ..models.ready_response_checks import ReadyResponseChecks

        d = dict(src_dict)
        ready = d.pop("ready")

        backends = Backends.from_dict(d.pop("backends"))

        checks = ReadyResponseChecks.from_dict(d.pop("checks"))

        reason = d.pop("reason", UNSET)

        ready_response = cls(
            ready=ready,
            backends=backends,
            checks=checks,
            reason=reason,
        )

        return ready_response
