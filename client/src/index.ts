/**
 * @module @noetl/gateway-client
 * Typed client for the NoETL Gateway. Start with `GatewayClient`; the REST, tRPC and event-stream
 * pieces it is built from are exported for callers that want only one of them.
 */
export {
  FrameByEvent,
  FrameErrorCode,
  type FrameEventName,
  type FrameOf,
  type InitResult,
  type PlaybookProgressParams,
  type PlaybookResultParams,
  type PlaybookStateParams,
  type SubscriptionEventParams,
} from './contract.ts';
export {
  ClientClosedError,
  type FrameIssue,
  GatewayClientError,
  GatewayHttpError,
  InvalidFrameError,
  PlaybookFailedError,
  ServerFrameError,
  SessionExpiredError,
  StreamConnectionError,
  WaitTimeoutError,
} from './errors.ts';
export {
  type EventStreamOptions,
  GatewayEventStream,
  type StreamEvents,
  type StreamStatus,
} from './events/eventStream.ts';
export { type ParsedFrame, parseFrame } from './events/parseFrame.ts';
export {
  type ExecuteAndWaitOptions,
  type ExecuteOptions,
  type Execution,
  GatewayClient,
  type GatewayClientEvents,
  type GatewayClientOptions,
  type PlaybookResult,
  type Session,
  type User,
  type WaitForOptions,
} from './gatewayClient.ts';
export {
  type components,
  createRestClient,
  type paths,
  type RestClient,
  type RestClientOptions,
  type Schemas,
  unwrap,
} from './rest.ts';
export { ExecutionSubscription } from './subscriptions/executionSubscription.ts';
export {
  type DocumentChange,
  FirestoreSubscription,
  type SubscriptionFault,
} from './subscriptions/firestoreSubscription.ts';
export { type AppRouter, createTrpcClient, type GatewayTrpcClient, type TrpcClientOptions } from './trpc.ts';
