/**
 * @module contract/frames
 * The JSON-RPC 2.0 frames pushed on `GET /events`. The SSE event name is the frame's `method`, `message`
 * for the init result, `error` for an error frame. Keys inside params are alphabetical, as the reference
 * emitted them.
 */
import { z } from 'zod';
import { JsonValue } from './common.ts';

export const PROTOCOL_VERSION = '2024-11-05';

/** JSON-RPC error codes used on the stream. */
export const FrameErrorCode = {
  invalidSession: -32002,
  forbidden: -32003,
  subscription: -32010,
} as const;

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
      heartbeatIntervalMs: z.number().int().positive().optional().meta({
        description: 'Interval of ping frames on this stream (a client watchdog can size itself by it)',
      }),
      pendingRequests: z.array(PendingRequestSummary).optional().meta({ description: 'Omitted when empty' }),
      protocolVersion: z.literal(PROTOCOL_VERSION),
      serverInfo: z.object({ name: z.literal('noetl-gateway'), version: z.string() }),
    }),
  })
  .meta({ id: 'InitFrame', description: 'event: message — first frame of every connection' });
export type InitFrame = z.infer<typeof InitFrame>;

export const PingFrame = z
  .object({ jsonrpc, method: z.literal('ping'), params: z.object({}) })
  .meta({ id: 'PingFrame', description: 'event: ping — heartbeat' });
export type PingFrame = z.infer<typeof PingFrame>;

export const PlaybookResultSuccess = z.object({
  data: JsonValue,
  executionId: z.string(),
  requestId: z.string(),
  status: z.string(),
});
export const PlaybookResultFailure = z.object({
  error: z.object({ code: z.number().int(), data: JsonValue, message: z.string() }),
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
  .meta({ id: 'PlaybookResultFrame', description: 'event: playbook/result' });
export type PlaybookResultFrame = z.infer<typeof PlaybookResultFrame>;

export const PlaybookStateParams = z.object({
  at: z.string(),
  event_type: z.string(),
  execution_id: z.string(),
  status: z.string(),
  step_name: z.string().nullable(),
});
export type PlaybookStateParams = z.infer<typeof PlaybookStateParams>;
export const PlaybookStateFrame = z
  .object({ jsonrpc, method: z.literal('playbook/state'), params: PlaybookStateParams })
  .meta({ id: 'PlaybookStateFrame', description: 'event: playbook/state — lifecycle of an execution' });
export type PlaybookStateFrame = z.infer<typeof PlaybookStateFrame>;

export const PlaybookProgressFrame = z
  .object({
    jsonrpc,
    method: z.literal('playbook/progress'),
    params: z.object({
      executionId: z.string(),
      message: z.string().nullable(),
      progress: z.number().nullable(),
      requestId: z.string(),
      step: z.string().nullable(),
    }),
  })
  .meta({ id: 'PlaybookProgressFrame', description: 'event: playbook/progress' });
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
  .meta({
    id: 'SubscriptionEventFrame',
    description: 'event: subscription/event — a Firestore document change',
  });
export type SubscriptionEventFrame = z.infer<typeof SubscriptionEventFrame>;

export const ErrorFrame = z
  .object({
    jsonrpc,
    error: z.object({ code: z.number().int(), message: z.string(), data: JsonValue.optional() }),
  })
  .meta({ id: 'ErrorFrame', description: 'event: error' });
export type ErrorFrame = z.infer<typeof ErrorFrame>;

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

/** The SSE event name of a frame. */
export function frameEventName(frame: Frame): FrameEventName {
  if ('method' in frame) return frame.method;
  return 'error' in frame ? 'error' : 'message';
}
