/**
 * @module core/push/frames
 * Builds the JSON-RPC frames of `GET /events`. Params keys are written in alphabetical order, as the
 * reference gateway emitted them, so byte-level comparisons with it hold.
 */

import type { AsyncCallbackRequest, ProgressRequest } from '../../contract/index.ts';
import {
  type ErrorFrame,
  frameEventName,
  type InitFrame,
  type PingFrame,
  type PlaybookProgressFrame,
  type PlaybookResultFrame,
  type PlaybookStateFrame,
  type PlaybookStateParams,
  PROTOCOL_VERSION,
  type RoutedFrame,
} from '../../contract/index.ts';

export function initFrame(options: {
  clientId: string;
  heartbeatIntervalMs: number;
  version: string;
  subscriptions: boolean;
  pendingRequests: { executionId: string; playbookPath: string; requestId: string }[];
}): InitFrame {
  return {
    jsonrpc: '2.0',
    id: 1,
    result: {
      capabilities: {
        callbacks: true,
        playbookState: true,
        playbooks: true,
        subscriptions: options.subscriptions,
      },
      clientId: options.clientId,
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      ...(options.pendingRequests.length > 0 ? { pendingRequests: options.pendingRequests } : {}),
      protocolVersion: PROTOCOL_VERSION,
      serverInfo: { name: 'noetl-gateway', version: options.version },
    },
  };
}

export const PING_FRAME: PingFrame = { jsonrpc: '2.0', method: 'ping', params: {} };

export function errorFrame(code: number, message: string): ErrorFrame {
  return { jsonrpc: '2.0', error: { code, message } };
}

export function stateFrame(params: PlaybookStateParams): PlaybookStateFrame {
  const { at, event_type, execution_id, status, step_name } = params;
  return {
    jsonrpc: '2.0',
    method: 'playbook/state',
    params: { at, event_type, execution_id, status, step_name },
  };
}

export function isFailedCallback(callback: AsyncCallbackRequest): boolean {
  return callback.status === 'FAILED' || Boolean(callback.error);
}

export function resultFrame(callback: AsyncCallbackRequest, executionId: string): PlaybookResultFrame {
  const requestId = callback.request_id;
  if (isFailedCallback(callback)) {
    const error = callback.error;
    return {
      jsonrpc: '2.0',
      method: 'playbook/result',
      params: {
        error: {
          code: error?.code ?? -32000,
          data: error?.data ?? null,
          message: error?.message ?? 'Playbook execution failed',
        },
        executionId,
        requestId,
        status: 'FAILED',
      },
    };
  }
  return {
    jsonrpc: '2.0',
    method: 'playbook/result',
    params: { data: callback.data, executionId, requestId, status: callback.status },
  };
}

export function progressFrame(progress: ProgressRequest, executionId: string): PlaybookProgressFrame {
  return {
    jsonrpc: '2.0',
    method: 'playbook/progress',
    params: {
      executionId,
      message: progress.message ?? null,
      progress: progress.progress ?? null,
      requestId: progress.request_id,
      step: progress.step ?? null,
    },
  };
}

/**
 * A routed frame as stored in the frame log: its SSE event name, the time it was routed (ms), its JSON,
 * one per line. Streams write it without parsing the JSON again; the time measures callback→frame latency.
 */
export function serializeRoutedFrame(frame: RoutedFrame, routedAt: number = Date.now()): string {
  return `${frameEventName(frame)}\n${routedAt}\n${JSON.stringify(frame)}`;
}

export function deserializeRoutedFrame(data: string): { event: string; routedAt: number; json: string } {
  const first = data.indexOf('\n');
  const second = data.indexOf('\n', first + 1);
  return {
    event: data.slice(0, first),
    routedAt: Number(data.slice(first + 1, second)),
    json: data.slice(second + 1),
  };
}
