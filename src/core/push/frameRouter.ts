/**
 * @module core/push/frameRouter
 * Sends frames to a client by appending them to its frame log; whichever replica holds the client's
 * stream delivers them, and a reconnecting client replays what it missed. Terminal `playbook/state`
 * frames go out at most once per execution per client.
 */
import type { ClientPresence, FrameLog, KeyValueBucket } from '../../adapters/ports.ts';
import type { PlaybookStateParams, RoutedFrame } from '../../contract/index.ts';
import { serializeRoutedFrame, stateFrame } from './frames.ts';

const TERMINAL_EVENTS = new Set(['playbook.completed', 'playbook.failed']);

export interface FrameRouterOptions {
  log: FrameLog;
  presence: ClientPresence;
  /** Remembers `<client_id>.<execution_id>` pairs that already got their terminal state. */
  terminalStates: KeyValueBucket;
  onFrame?: (frame: RoutedFrame) => void;
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
   * When the frame cannot be stored after the terminal mark was taken, the mark is given back (as far as
   * the store allows), so the retry of the callback sends it instead of losing it.
   */
  async sendState(clientId: string, params: PlaybookStateParams): Promise<boolean> {
    const terminal = TERMINAL_EVENTS.has(params.event_type);
    const key = `${clientId}.${params.execution_id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    if (terminal && !(await this.#options.terminalStates.create(key, params.event_type))) return false;
    try {
      await this.send(clientId, stateFrame(params));
    } catch (error) {
      if (terminal) await this.#options.terminalStates.delete(key).catch(() => {});
      throw error;
    }
    return true;
  }

  isConnected(clientId: string): Promise<boolean> {
    return this.#options.presence.isConnected(clientId);
  }
}
