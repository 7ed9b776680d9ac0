// The client's classes are disposable (`using gateway = new GatewayClient(…)`): their declarations need
// Symbol.dispose, whatever `lib` the application compiles with.
/// <reference lib="esnext.disposable" preserve="true" />
/**
 * @module @noetl/gateway-client
 * Typed client for the NoETL Gateway. Start with `GatewayClient`; the REST and event-stream pieces it is
 * built from are exported for callers that want only one of them. The tRPC client is the subpath
 * `@noetl/gateway-client/trpc`.
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
