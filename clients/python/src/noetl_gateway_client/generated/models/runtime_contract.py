from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.backends import Backends
    from ..models.runtime_contract_agent_contract import RuntimeContractAgentContract
    from ..models.runtime_contract_auth_0 import RuntimeContractAuth0
    from ..models.runtime_contract_cli_operation_mapping import (
        RuntimeContractCliOperationMapping,
    )
    from ..models.runtime_contract_execution_contract import (
        RuntimeContractExecutionContract,
    )
    from ..models.runtime_contract_proxy_contract import RuntimeContractProxyContract
    from ..models.runtime_contract_routes import RuntimeContractRoutes


T = TypeVar("T", bound="RuntimeContract")


@_attrs_define
class RuntimeContract:
    """
    Attributes:
        agent_contract (RuntimeContractAgentContract):
        backends (Backends):
        cli_operation_mapping (RuntimeContractCliOperationMapping):
        contract_version (str):
        execution_contract (RuntimeContractExecutionContract):
        gateway_version (str):
        proxy_contract (RuntimeContractProxyContract):
        routes (RuntimeContractRoutes):
        summary (str):
        auth0 (RuntimeContractAuth0 | Unset):
    """

    agent_contract: RuntimeContractAgentContract
    backends: Backends
    cli_operation_mapping: RuntimeContractCliOperationMapping
    contract_version: str
    execution_contract: RuntimeContractExecutionContract
    gateway_version: str
    proxy_contract: RuntimeContractProxyContract
    routes: RuntimeContractRoutes
    summary: str
    auth0: RuntimeContractAuth0 | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        agent_contract = self.agent_contract.to_dict()

        backends = self.backends.to_dict()

        cli_operation_mapping = self.cli_operation_mapping.to_dict()

        contract_version = self.contract_version

        execution_contract = self.execution_contract.to_dict()

        gateway_version = self.gateway_version

        proxy_contract = self.proxy_contract.to_dict()

        routes = self.routes.to_dict()

        summary = self.summary

        auth0: dict[str, Any] | Unset = UNSET
        if not isinstance(self.auth0, Unset):
            auth0 = self.auth0.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "agent_contract": agent_contract,
                "backends": backends,
                "cli_operation_mapping": cli_operation_mapping,
                "contract_version": contract_version,
                "execution_contract": execution_contract,
                "gateway_version": gateway_version,
                "proxy_contract": proxy_contract,
                "routes": routes,
                "summary": summary,
            }
        )
        if auth0 is not UNSET:
            field_dict["auth0"] = auth0

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.backends import Backends
        from ..models.runtime_contract_agent_contract import (
            RuntimeContractAgentContract,
        )
        from ..models.runtime_contract_auth_0 import RuntimeContractAuth0
        from ..models.runtime_contract_cli_operation_mapping import (
            RuntimeContractCliOperationMapping,
        )
        from ..models.runtime_contract_execution_contract import (
            RuntimeContractExecutionContract,
        )
        from ..models.runtime_contract_proxy_contract import (
            RuntimeContractProxyContract,
        )
        from ..models.runtime_contract_routes import RuntimeContractRoutes

        d = dict(src_dict)
        agent_contract = RuntimeContractAgentContract.from_dict(d.pop("agent_contract"))

        backends = Backends.from_dict(d.pop("backends"))

        cli_operation_mapping = RuntimeContractCliOperationMapping.from_dict(
            d.pop("cli_operation_mapping")
        )

        contract_version = d.pop("contract_version")

        execution_contract = RuntimeContractExecutionContract.from_dict(
            d.pop("execution_contract")
        )

        gateway_version = d.pop("gateway_version")

        proxy_contract = RuntimeContractProxyContract.from_dict(d.pop("proxy_contract"))

        routes = RuntimeContractRoutes.from_dict(d.pop("routes"))

        summary = d.pop("summary")

        _auth0 = d.pop("auth0", UNSET)
        auth0: RuntimeContractAuth0 | Unset
        if isinstance(_auth0, Unset):
            auth0 = UNSET
        else:
            auth0 = RuntimeContractAuth0.from_dict(_auth0)

        runtime_contract = cls(
            agent_contract=agent_contract,
            backends=backends,
            cli_operation_mapping=cli_operation_mapping,
            contract_version=contract_version,
            execution_contract=execution_contract,
            gateway_version=gateway_version,
            proxy_contract=proxy_contract,
            routes=routes,
            summary=summary,
            auth0=auth0,
        )

        return runtime_contract
