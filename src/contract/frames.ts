/**
 * @module contract/frames
 * The JSON-RPC 2.0 frames pushed on `GET /events`. The SSE event name is the frame's `method`, `message`
 * for the init result, `error` for an error frame. Keys inside params are alphabetical, as the reference
 * emitted them.
 *
 * Written with `zod/mini` (the same core as the rest of the contract, functional API) and importing no
 * other contract module: browser clients validate every frame with these schemas, and this module is all
 * they bundle of the contract (a few KB instead of the full zod).
 */
import { en } from 'zod/locales';
import * as z from 'zod/mini';

export const PROTOCOL_VERSION = '2024-11-05';

/** JSON-RPC error codes used on the stream. */
export const FrameErrorCode = {
  invalidSession: -32002,
  forbidden: -32003,
  subscription: -32010,
} as const;

/** Any JSON value: result data and Firestore documents are opaque to the gateway. */
const JsonValue = z.unknown().check(z.meta({ description: 'Any JSON value' }));

const jsonrpc = z.literal('2.0');

export const PendingRequestSummary = z.object({
  executionId: z.string(),
  playbookPath: z.string(),
  requestId: z.string(),
});

export const InitFrame = z
  .object({
    jsonrpc,
    id: z.literal(1),
    result: z.object({
      capabilities: z.object({
        callbacks: z.boolean(),
        playbookState: z.boolean(),
        playbooks: z.boolean(),
        subscriptions: z.boolean(),
      }),
      clientId: z.string(),
      heartbeatIntervalMs: z.optional(z.number().check(z.int(), z.positive())).check(
        z.meta({
          description: 'Interval of ping frames on this stream (a client watchdog can size itself by it)',
        }),
      ),
      pendingRequests: z
        .optional(z.array(PendingRequestSummary))
        .check(z.meta({ description: 'Omitted when empty' })),
      protocolVersion: z.literal(PROTOCOL_VERSION),
      serverInfo: z.object({ name: z.literal('noetl-gateway'), version: z.string() }),
    }),
  })
  .check(z.meta({ id: 'InitFrame', description: 'event: message — first frame of every connection' }));
export type InitFrame = z.infer<typeof InitFrame>;

export const PingFrame = z
  .object({ jsonrpc, method: z.literal('ping'), params: z.object({}) })
  .check(z.meta({ id: 'PingFrame', description: 'event: ping — heartbeat' }));
export type PingFrame = z.infer<typeof PingFrame>;

export const PlaybookResultSuccess = z.object({
  data: JsonValue,
  executionId: z.string(),
  requestId: z.string(),
  status: z.string(),
});
export const PlaybookResultFailure = z.object({
  error: z.object({ code: z.number().check(z.int()), data: JsonValue, message: z.string() }),
  executionId: z.string(),
  requestId: z.string(),
  status: z.literal('FAILED'),
});
export const PlaybookResultFrame = z
  .object({
    jsonrpc,
    method: z.literal('playbook/result'),
    params: z.union([PlaybookResultFailure, PlaybookResultSuccess]),
  })
  .check(z.meta({ id: 'PlaybookResultFrame', description: 'event: playbook/result' }));
export type PlaybookResultFrame = z.infer<typeof PlaybookResultFrame>;

export const PlaybookStateParams = z.object({
  at: z.string(),
  event_type: z.string(),
  execution_id: z.string(),
  status: z.string(),
  step_name: z.nullable(z.string()),
});
export type PlaybookStateParams = z.infer<typeof PlaybookStateParams>;
export const PlaybookStateFrame = z
  .object({ jsonrpc, method: z.literal('playbook/state'), params: PlaybookStateParams })
  .check(
    z.meta({ id: 'PlaybookStateFrame', description: 'event: playbook/state — lifecycle of an execution' }),
  );
export type PlaybookStateFrame = z.infer<typeof PlaybookStateFrame>;

export const PlaybookProgressFrame = z
  .object({
    jsonrpc,
    method: z.literal('playbook/progress'),
    params: z.object({
      executionId: z.string(),
      message: z.nullable(z.string()),
      progress: z.nullable(z.number()),
      requestId: z.string(),
      step: z.nullable(z.string()),
    }),
  })
  .check(z.meta({ id: 'PlaybookProgressFrame', description: 'event: playbook/progress' }));
export type PlaybookProgressFrame = z.infer<typeof PlaybookProgressFrame>;

export const SubscriptionEventFrame = z
  .object({
    jsonrpc,
    method: z.literal('subscription/event'),
    params: z.object({
      data: JsonValue,
      doc_id: z.string(),
      op: z.enum(['added', 'modified', 'removed']),
      subscription_id: z.string(),
    }),
  })
  .check(
    z.meta({
      id: 'SubscriptionEventFrame',
      description: 'event: subscription/event — a Firestore document change',
    }),
  );
export type SubscriptionEventFrame = z.infer<typeof SubscriptionEventFrame>;

export const ErrorFrame = z
  .object({
    jsonrpc,
    error: z.object({ code: z.number().check(z.int()), message: z.string(), data: z.optional(JsonValue) }),
  })
  .check(z.meta({ id: 'ErrorFrame', description: 'event: error' }));
export type ErrorFrame = z.infer<typeof ErrorFrame>;

/** Why a subscription reported an error frame. */
export const SubscriptionErrorReason = z.enum([
  'backend_unreachable',
  'listener_failed',
  'client_disconnected',
  'shutdown',
]);
export type SubscriptionErrorReason = z.infer<typeof SubscriptionErrorReason>;

/**
 * `error.data` of an `error` frame (code -32010) about a subscription. With `retrying: true` the listener
 * is still open and catches up by itself when Firestore is reachable again; otherwise the subscription has
 * ended and the client must subscribe again.
 */
export const SubscriptionErrorData = z
  .object({
    reason: SubscriptionErrorReason,
    retrying: z.boolean(),
    subscription_id: z.string(),
  })
  .check(
    z.meta({
      id: 'SubscriptionErrorData',
      description: '`error.data` of an `error` frame with code -32010 (a Firestore subscription)',
    }),
  );
export type SubscriptionErrorData = z.infer<typeof SubscriptionErrorData>;

/** Frames that are routed to a client and kept in its frame log (replayed on reconnect). */
export const RoutedFrame = z.union([
  PlaybookResultFrame,
  PlaybookStateFrame,
  PlaybookProgressFrame,
  SubscriptionEventFrame,
  ErrorFrame,
]);
export type RoutedFrame = z.infer<typeof RoutedFrame>;

export const Frame = z.union([InitFrame, PingFrame, RoutedFrame]);
export type Frame = z.infer<typeof Frame>;

/** Every SSE event name with the schema of its `data`, for the OpenAPI document and the client. */
export const FrameByEvent = {
  message: InitFrame,
  ping: PingFrame,
  'playbook/result': PlaybookResultFrame,
  'playbook/state': PlaybookStateFrame,
  'playbook/progress': PlaybookProgressFrame,
  'subscription/event': SubscriptionEventFrame,
  error: ErrorFrame,
} as const;
export type FrameEventName = keyof typeof FrameByEvent;

/** The validated `data` of an SSE event, by event name. */
export type FrameOf<E extends FrameEventName> = z.output<(typeof FrameByEvent)[E]>;

/** English issue messages for `parseFrameData` (zod/mini ships none by default), without a global setting. */
const english = en();

/** One problem with a frame: where (a path into the frame) and what, in English. */
export interface FrameIssue {
  path: readonly PropertyKey[];
  message: string;
}

/** A frame checked against the contract: the validated frame, or every problem found. */
export type FrameCheck<E extends FrameEventName> =
  | { success: true; data: FrameOf<E> }
  | { success: false; issues: FrameIssue[] };

/**
 * Validates the `data` of an SSE event (already parsed from JSON) by the schema of its event name, with
 * English messages on the issues. What clients run on every frame they receive.
 */
export function checkFrame<E extends FrameEventName>(event: E, data: unknown): FrameCheck<E> {
  const result = FrameByEvent[event].safeParse(data, { error: english.localeError });
  if (result.success) return { success: true, data: result.data as FrameOf<E> };
  return {
    success: false,
    issues: result.error.issues.map((issue) => ({ path: issue.path, message: issue.message })),
  };
}

/** The SSE event name of a frame. */
export function frameEventName(frame: Frame): FrameEventName {
  if ('method' in frame) return frame.method;
  return 'error' in frame ? 'error' : 'message';
}
