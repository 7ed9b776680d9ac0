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

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.init_frame_result_capabilities import InitFrameResultCapabilities
    from ..models.init_frame_result_pending_requests_item import (
        InitFrameResultPendingRequestsItem,
    )
    from ..models.init_frame_result_server_info import InitFrameResultServerInfo


T = TypeVar("T", bound="InitFrameResult")


@_attrs_define
class InitFrameResult:
    """
    Attributes:
        capabilities (InitFrameResultCapabilities):
        client_id (str):
        protocol_version (Literal['2024-11-05']):
        server_info (InitFrameResultServerInfo):
        heartbeat_interval_ms (int | Unset): Interval of ping frames on this stream (a client watchdog can size itself
            by it)
        pending_requests (list[InitFrameResultPendingRequestsItem] | Unset): Omitted when empty
    """

    capabilities: InitFrameResultCapabilities
    client_id: str
    protocol_version: Literal["2024-11-05"]
    server_info: InitFrameResultServerInfo
    heartbeat_interval_ms: int | Unset = UNSET
    pending_requests: list[InitFrameResultPendingRequestsItem] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        capabilities = self.capabilities.to_dict()

        client_id = self.client_id

        protocol_version = self.protocol_version

        server_info = self.server_info.to_dict()

        heartbeat_interval_ms = self.heartbeat_interval_ms

        pending_requests: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.pending_requests, Unset):
            pending_requests = []
            for pending_requests_item_data in self.pending_requests:
                pending_requests_item = pending_requests_item_data.to_dict()
                pending_requests.append(pending_requests_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "capabilities": capabilities,
                "clientId": client_id,
                "protocolVersion": protocol_version,
                "serverInfo": server_info,
            }
        )
        if heartbeat_interval_ms is not UNSET:
            field_dict["heartbeatIntervalMs"] = heartbeat_interval_ms
        if pending_requests is not UNSET:
            field_dict["pendingRequests"] = pending_requests

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.init_frame_result_capabilities import InitFrameResultCapabilities
        from ..models.init_frame_result_pending_requests_item import (
            InitFrameResultPendingRequestsItem,
        )
        from ..models.init_frame_result_server_info import InitFrameResultServerInfo

        d = dict(src_dict)
        capabilities = InitFrameResultCapabilities.from_dict(d.pop("capabilities"))

        client_id = d.pop("clientId")

        protocol_version = cast(Literal["2024-11-05"], d.pop("protocolVersion"))
        if protocol_version != "2024-11-05":
            raise ValueError(
                f"protocolVersion must match const '2024-11-05', got '{protocol_version}'"
            )

        server_info = InitFrameResultServerInfo.from_dict(d.pop("serverInfo"))

        heartbeat_interval_ms = d.pop("heartbeatIntervalMs", UNSET)

        _pending_requests = d.pop("pendingRequests", UNSET)
        pending_requests: list[InitFrameResultPendingRequestsItem] | Unset = UNSET
        if _pending_requests is not UNSET:
            pending_requests = []
            for pending_requests_item_data in _pending_requests:
                pending_requests_item = InitFrameResultPendingRequestsItem.from_dict(
                    pending_requests_item_data
                )

                pending_requests.append(pending_requests_item)

        init_frame_result = cls(
            capabilities=capabilities,
            client_id=client_id,
            protocol_version=protocol_version,
            server_info=server_info,
            heartbeat_interval_ms=heartbeat_interval_ms,
            pending_requests=pending_requests,
        )

        return init_frame_result
