/**
 * @module core/push/frameRouter
 * Sends frames to a client by appending them to its frame log; whichever replica holds the client's
 * stream delivers them, and a reconnecting client replays what it missed. Terminal `playbook/state`
 * frames go out at most once per execution per client: they are written under an id made of the client
 * and the execution, and the log stores nothing for an id it has seen within its de-duplication window
 * (JetStream's duplicate window with NATS) — the check costs no round trip of its own.
 */
import type { ClientPresence, FrameLog } from '../../adapters/ports.ts';
import type { PlaybookResultFrame, PlaybookStateParams, RoutedFrame } from '../../contract/index.ts';
import { keyToken } from '../lifecycle/executionWatchers.ts';
import { deserializeRoutedFrame, serializeRoutedFrame, stateFrame } from './frames.ts';

const TERMINAL_EVENTS = new Set(['playbook.completed', 'playbook.failed']);

export interface FrameRouterOptions {
  log: FrameLog;
  presence: ClientPresence;
  /**
   * A result and its terminal state in one write (default true). Off: two writes, each readable by
   * gateways older than the one-write format (for a rolling upgrade from them).
   */
  batchResults?: boolean;
  onFrame?: (frame: RoutedFrame) => void;
}

/** The write id of a client's terminal state of an execution. */
function terminalId(clientId: string, executionId: string): string {
  return `t.${clientId}.${keyToken(executionId)}`;
}

/** The write id of a request's result (when it goes out without its state). */
function resultId(clientId: string, requestId: string): string {
  return `r.${clientId}.${keyToken(requestId)}`;
}

export class FrameRouter {
  readonly #options: FrameRouterOptions;

  constructor(options: FrameRouterOptions) {
    this.#options = options;
  }

  async send(clientId: string, frame: RoutedFrame): Promise<void> {
    await this.#options.log.append(clientId, serializeRoutedFrame(frame));
    this.#options.onFrame?.(frame);
  }

  /**
   * Sends a `playbook/state` frame; a terminal one only if this client has not had it for this execution.
   * A write that fails is not remembered: the retry sends it. `eventId` names the lifecycle event the frame
   * comes from: the same event sent again within the log's de-duplication window is not stored again.
   */
  async sendState(clientId: string, params: PlaybookStateParams, eventId?: string): Promise<boolean> {
    const frame = stateFrame(params);
    if (!TERMINAL_EVENTS.has(params.event_type)) {
      if (eventId === undefined) {
        await this.send(clientId, frame);
        return true;
      }
      const written = await this.#options.log.appendAll(clientId, [serializeRoutedFrame(frame)], {
        id: `e.${clientId}.${eventId}`,
      });
      if (!written.duplicate) this.#options.onFrame?.(frame);
      return !written.duplicate;
    }
    const written = await this.#options.log.appendAll(clientId, [serializeRoutedFrame(frame)], {
      id: terminalId(clientId, params.execution_id),
    });
    if (!written.duplicate) this.#options.onFrame?.(frame);
    return !written.duplicate;
  }

  /**
   * A request's result and the execution's terminal state before it (the travel SPA resolves its waiter
   * on the state, then reads the result), in one write under the terminal state's id. When that id was
   * used already — the state went out before (a lifecycle event, an earlier request of the execution), or
   * this very delivery was written and its answer lost — the result follows alone under its request's id,
   * unless the earlier write carried it. Either way the client gets the result once and one terminal state.
   */
  async sendResult(clientId: string, state: PlaybookStateParams, result: PlaybookResultFrame): Promise<void> {
    const stateJson = stateFrame(state);
    const routedAt = Date.now();
    const resultData = serializeRoutedFrame(result, routedAt);
    const requestId = result.params.requestId;
    if (this.#options.batchResults === false) {
      // Two writes: the state (once per execution) first, then the result (once per request).
      const first = await this.#options.log.appendAll(clientId, [serializeRoutedFrame(stateJson, routedAt)], {
        id: terminalId(clientId, state.execution_id),
      });
      if (!first.duplicate) this.#options.onFrame?.(stateJson);
      const second = await this.#options.log.appendAll(clientId, [resultData], {
        id: resultId(clientId, requestId),
      });
      if (!second.duplicate) this.#options.onFrame?.(result);
      return;
    }
    const written = await this.#options.log.appendAll(
      clientId,
      [serializeRoutedFrame(stateJson, routedAt), resultData],
      { id: terminalId(clientId, state.execution_id) },
    );
    if (!written.duplicate) {
      this.#options.onFrame?.(stateJson);
      this.#options.onFrame?.(result);
      return;
    }
    if (written.earlier?.some((data) => carriesResult(data, requestId))) return;
    const alone = await this.#options.log.appendAll(clientId, [resultData], {
      id: resultId(clientId, requestId),
    });
    if (!alone.duplicate) this.#options.onFrame?.(result);
  }

  isConnected(clientId: string): Promise<boolean> {
    return this.#options.presence.isConnected(clientId);
  }
}

/** Whether a stored frame is the `playbook/result` of `requestId` (read only when a write was a duplicate). */
function carriesResult(data: string, requestId: string): boolean {
  const { event, json } = deserializeRoutedFrame(data);
  if (event !== 'playbook/result') return false;
  try {
    return (JSON.parse(json) as { params?: { requestId?: unknown } }).params?.requestId === requestId;
  } catch {
    return false;
  }
}
