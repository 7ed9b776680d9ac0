"""Contains all the data models used in inputs/outputs"""

from .async_callback_request import AsyncCallbackRequest
from .async_callback_response_type_0 import AsyncCallbackResponseType0
from .async_callback_response_type_1 import AsyncCallbackResponseType1
from .auth_callback_request import AuthCallbackRequest
from .auth_callback_response import AuthCallbackResponse
from .backends import Backends
from .backends_bus import BackendsBus
from .backends_lifecycle import BackendsLifecycle
from .backends_store import BackendsStore
from .callback_error import CallbackError
from .check_access_request import CheckAccessRequest
from .check_access_response import CheckAccessResponse
from .error_body import ErrorBody
from .error_code import ErrorCode
from .error_frame import ErrorFrame
from .error_frame_error import ErrorFrameError
from .error_issue import ErrorIssue
from .execute_request import ExecuteRequest
from .execute_response import ExecuteResponse
from .execution_subscription_request import ExecutionSubscriptionRequest
from .execution_subscription_response import ExecutionSubscriptionResponse
from .firestore_subscribe_request import FirestoreSubscribeRequest
from .firestore_subscribe_response import FirestoreSubscribeResponse
from .gateway_index import GatewayIndex
from .gateway_index_links import GatewayIndexLinks
from .graphql_body_type_0 import GraphqlBodyType0
from .graphql_body_type_0_variables_type_0 import GraphqlBodyType0VariablesType0
from .graphql_body_type_1_item import GraphqlBodyType1Item
from .graphql_body_type_1_item_variables_type_0 import (
    GraphqlBodyType1ItemVariablesType0,
)
from .graphql_response_200_type_0 import GraphqlResponse200Type0
from .graphql_response_200_type_0_data_type_0 import GraphqlResponse200Type0DataType0
from .graphql_response_200_type_0_errors_item import GraphqlResponse200Type0ErrorsItem
from .graphql_response_200_type_1_item import GraphqlResponse200Type1Item
from .graphql_response_200_type_1_item_data_type_0 import (
    GraphqlResponse200Type1ItemDataType0,
)
from .graphql_response_200_type_1_item_errors_item import (
    GraphqlResponse200Type1ItemErrorsItem,
)
from .ingress_accepted import IngressAccepted
from .ingress_rejection import IngressRejection
from .ingress_rejection_reason import IngressRejectionReason
from .init_frame import InitFrame
from .init_frame_result import InitFrameResult
from .init_frame_result_capabilities import InitFrameResultCapabilities
from .init_frame_result_pending_requests_item import InitFrameResultPendingRequestsItem
from .init_frame_result_server_info import InitFrameResultServerInfo
from .login_request import LoginRequest
from .login_response import LoginResponse
from .openapi_response_200 import OpenapiResponse200
from .ping_frame import PingFrame
from .ping_frame_params import PingFrameParams
from .playbook_progress_frame import PlaybookProgressFrame
from .playbook_progress_frame_params import PlaybookProgressFrameParams
from .playbook_result_frame import PlaybookResultFrame
from .playbook_result_frame_params_type_0 import PlaybookResultFrameParamsType0
from .playbook_result_frame_params_type_0_error import (
    PlaybookResultFrameParamsType0Error,
)
from .playbook_result_frame_params_type_1 import PlaybookResultFrameParamsType1
from .playbook_state_frame import PlaybookStateFrame
from .playbook_state_frame_params import PlaybookStateFrameParams
from .progress_request import ProgressRequest
from .progress_response import ProgressResponse
from .ready_response import ReadyResponse
from .ready_response_checks import ReadyResponseChecks
from .ready_response_checks_event_feed import ReadyResponseChecksEventFeed
from .ready_response_checks_kv import ReadyResponseChecksKv
from .ready_response_checks_nats import ReadyResponseChecksNats
from .ready_response_checks_noetl import ReadyResponseChecksNoetl
from .rerun_request import RerunRequest
from .resource_kind import ResourceKind
from .runtime_contract import RuntimeContract
from .runtime_contract_agent_contract import RuntimeContractAgentContract
from .runtime_contract_auth_0 import RuntimeContractAuth0
from .runtime_contract_cli_operation_mapping import RuntimeContractCliOperationMapping
from .runtime_contract_execution_contract import RuntimeContractExecutionContract
from .runtime_contract_execution_contract_additional_property import (
    RuntimeContractExecutionContractAdditionalProperty,
)
from .runtime_contract_proxy_contract import RuntimeContractProxyContract
from .runtime_contract_routes import RuntimeContractRoutes
from .sharding_preview_response import ShardingPreviewResponse
from .subscription_event_frame import SubscriptionEventFrame
from .subscription_event_frame_params import SubscriptionEventFrameParams
from .subscription_event_frame_params_op import SubscriptionEventFrameParamsOp
from .user import User
from .validate_request import ValidateRequest
from .validate_response import ValidateResponse

__all__ = (
    "AsyncCallbackRequest",
    "AsyncCallbackResponseType0",
    "AsyncCallbackResponseType1",
    "AuthCallbackRequest",
    "AuthCallbackResponse",
    "Backends",
    "BackendsBus",
    "BackendsLifecycle",
    "BackendsStore",
    "CallbackError",
    "CheckAccessRequest",
    "CheckAccessResponse",
    "ErrorBody",
    "ErrorCode",
    "ErrorFrame",
    "ErrorFrameError",
    "ErrorIssue",
    "ExecuteRequest",
    "ExecuteResponse",
    "ExecutionSubscriptionRequest",
    "ExecutionSubscriptionResponse",
    "FirestoreSubscribeRequest",
    "FirestoreSubscribeResponse",
    "GatewayIndex",
    "GatewayIndexLinks",
    "GraphqlBodyType0",
    "GraphqlBodyType0VariablesType0",
    "GraphqlBodyType1Item",
    "GraphqlBodyType1ItemVariablesType0",
    "GraphqlResponse200Type0",
    "GraphqlResponse200Type0DataType0",
    "GraphqlResponse200Type0ErrorsItem",
    "GraphqlResponse200Type1Item",
    "GraphqlResponse200Type1ItemDataType0",
    "GraphqlResponse200Type1ItemErrorsItem",
    "IngressAccepted",
    "IngressRejection",
    "IngressRejectionReason",
    "InitFrame",
    "InitFrameResult",
    "InitFrameResultCapabilities",
    "InitFrameResultPendingRequestsItem",
    "InitFrameResultServerInfo",
    "LoginRequest",
    "LoginResponse",
    "OpenapiResponse200",
    "PingFrame",
    "PingFrameParams",
    "PlaybookProgressFrame",
    "PlaybookProgressFrameParams",
    "PlaybookResultFrame",
    "PlaybookResultFrameParamsType0",
    "PlaybookResultFrameParamsType0Error",
    "PlaybookResultFrameParamsType1",
    "PlaybookStateFrame",
    "PlaybookStateFrameParams",
    "ProgressRequest",
    "ProgressResponse",
    "ReadyResponse",
    "ReadyResponseChecks",
    "ReadyResponseChecksEventFeed",
    "ReadyResponseChecksKv",
    "ReadyResponseChecksNats",
    "ReadyResponseChecksNoetl",
    "RerunRequest",
    "ResourceKind",
    "RuntimeContract",
    "RuntimeContractAgentContract",
    "RuntimeContractAuth0",
    "RuntimeContractCliOperationMapping",
    "RuntimeContractExecutionContract",
    "RuntimeContractExecutionContractAdditionalProperty",
    "RuntimeContractProxyContract",
    "RuntimeContractRoutes",
    "ShardingPreviewResponse",
    "SubscriptionEventFrame",
    "SubscriptionEventFrameParams",
    "SubscriptionEventFrameParamsOp",
    "User",
    "ValidateRequest",
    "ValidateResponse",
)
