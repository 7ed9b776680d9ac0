/**
 * @module events/eventStream
 * The typed consumer of `GET /events`, on the `eventsource` package (a WHATWG EventSource over fetch,
 * the same code in browsers and Node, and one that lets us set `Last-Event-ID` ourselves).
 *
 * What it adds to a bare EventSource:
 * - every frame is validated by the contract schema of its event name; a frame that fails is reported
 *   as an `InvalidFrameError` on `error` and never delivered;
 * - resume: the last event id (`<clientId>:<seq>`) is kept across EventSource instances and sent as
 *   `Last-Event-ID` on every (re)connect, so the gateway replays the frames missed meanwhile;
 * - a heartbeat watchdog: no frame (pings included) for `heartbeatTolerance × heartbeatMs` → a fresh
 *   connection, because a silently dead connection never raises an error;
 * - reconnects with backoff where the EventSource spec gives up (a 5xx answer, a wrong content type);
 *   stops for good on answers that retrying cannot fix (400, 401, 403, 404) and on the gateway's
 *   invalid-session error frame (-32002), which would otherwise loop forever.
 */
import { EventSource, type FetchLike } from 'eventsource';
import {
  FRAME_EVENTS,
  FrameErrorCode,
  type FrameEventName,
  type FrameOf,
  type InitResult,
} from '../contract.ts';
import {
  ClientClosedError,
  type GatewayClientError,
  InvalidFrameError,
  ServerFrameError,
  SessionExpiredError,
  StreamConnectionError,
  WaitTimeoutError,
} from '../errors.ts';
import { Emitter } from './emitter.ts';
import { type ParsedFrame, parseFrame } from './parseFrame.ts';
import { Watchdog } from './watchdog.ts';

export type StreamStatus = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface EventStreamOptions {
  /** Gateway origin (and path prefix, if any), e.g. `https://gateway.example.com`. */
  baseUrl: string;
  sessionToken: string;
  /** Resume this client id (one this session owns) instead of getting a new one. */
  clientId?: string | undefined;
  /** Resume after this event id (`<clientId>:<seq>`), e.g. one saved before a page reload. */
  lastEventId?: string | undefined;
  /** fetch used for the stream (defaults to `globalThis.fetch`). */
  fetch?: FetchLike | undefined;
  /** The gateway's ping interval (`GATEWAY_HEARTBEAT_INTERVAL_SECS`, default 30 s). */
  heartbeatMs?: number | undefined;
  /** Reconnect after this many heartbeat intervals without any frame. Default 3. */
  heartbeatTolerance?: number | undefined;
  /** Backoff bounds for reconnects the EventSource would not attempt itself. Default 1 s … 30 s. */
  reconnectDelayMs?: { min: number; max: number } | undefined;
}

export interface StreamEvents extends Record<string, unknown> {
  status: StreamStatus;
  /** An init frame arrived: the stream is usable. `resumed` when it continued an earlier connection. */
  connected: { init: InitResult; resumed: boolean };
  /** Every validated frame, in order. */
  frame: ParsedFrame;
  /** Invalid frames, gateway error frames, failed (re)connects. The stream keeps going unless `closed` follows. */
  error: GatewayClientError;
  /** The stream stopped for good: `close()` was called (no reason) or retrying cannot help. */
  closed: { reason: GatewayClientError | undefined };
}

/** Statuses on which the gateway's answer will not change by asking again. */
const TERMINAL_HTTP_STATUSES = new Set([400, 401, 403, 404]);

function isMessageEvent(event: Event): event is MessageEvent<string> {
  return typeof (event as Partial<MessageEvent>).data === 'string';
}

export class GatewayEventStream {
  readonly #emitter = new Emitter<StreamEvents>();
  readonly #baseUrl: string;
  readonly #sessionToken: string;
  readonly #fetch: FetchLike;
  readonly #watchdog: Watchdog;
  readonly #heartbeatFixed: boolean;
  readonly #heartbeatTolerance: number;
  readonly #delay: { min: number; max: number };
  #source: EventSource | undefined;
  #status: StreamStatus = 'idle';
  #clientId: string | undefined;
  #lastEventId: string | undefined;
  #init: InitResult | undefined;
  #connectedBefore = false;
  #failures = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #closeReason: GatewayClientError | undefined;

  constructor(options: EventStreamOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#sessionToken = options.sessionToken;
    this.#clientId = options.clientId;
    this.#lastEventId = options.lastEventId;
    const fetchImpl = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
    // The EventSource sends Last-Event-ID only for ids it saw itself; a new instance (after the
    // watchdog or a backoff) starts empty. Ours survives instances, so it is always the one sent.
    this.#fetch = (url, init) => {
      const headers = this.#lastEventId
        ? { ...init.headers, 'Last-Event-ID': this.#lastEventId }
        : init.headers;
      return fetchImpl(url, { ...init, headers });
    };
    const heartbeatMs = options.heartbeatMs ?? 30_000;
    this.#heartbeatFixed = options.heartbeatMs !== undefined;
    this.#heartbeatTolerance = options.heartbeatTolerance ?? 3;
    this.#watchdog = new Watchdog(heartbeatMs * this.#heartbeatTolerance, () => this.#restart());
    this.#delay = options.reconnectDelayMs ?? { min: 1000, max: 30_000 };
  }

  get status(): StreamStatus {
    return this.#status;
  }
  /** The client id of the current connection (from its init frame). */
  get clientId(): string | undefined {
    return this.#clientId;
  }
  /** The id of the last frame received: where a reconnect resumes. Save it to resume after a reload. */
  get lastEventId(): string | undefined {
    return this.#lastEventId;
  }
  /** The latest init frame's result. */
  get init(): InitResult | undefined {
    return this.#init;
  }

  on<K extends keyof StreamEvents>(name: K, listener: (payload: StreamEvents[K]) => void): () => void {
    return this.#emitter.on(name, listener);
  }

  /** Listens to one frame type, already validated and narrowed. */
  onFrame<E extends FrameEventName>(event: E, listener: (frame: FrameOf<E>, id: string) => void): () => void {
    return this.#emitter.on('frame', (parsed) => {
      if (parsed.event === event) listener(parsed.frame as FrameOf<E>, parsed.id);
    });
  }

  /** Starts connecting (idempotent). */
  open(): this {
    if (this.#status === 'idle') this.#connect('connecting');
    return this;
  }

  /**
   * Resolves with the init result once the stream is open (at once if it already is). Rejects when the
   * stream closes for good first, or after `timeoutMs`.
   */
  ready(options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<InitResult> {
    if (this.#status === 'open' && this.#init) return Promise.resolve(this.#init);
    if (this.#status === 'closed')
      return Promise.reject(this.#closeReason ?? new ClientClosedError('The event stream is closed'));
    this.open();
    return new Promise<InitResult>((resolve, reject) => {
      const cleanups: (() => void)[] = [];
      const settle = (finish: () => void) => {
        for (const cleanup of cleanups) cleanup();
        finish();
      };
      cleanups.push(this.on('connected', ({ init }) => settle(() => resolve(init))));
      cleanups.push(
        this.on('closed', ({ reason }) =>
          settle(() => reject(reason ?? new ClientClosedError('The event stream was closed'))),
        ),
      );
      if (options.timeoutMs !== undefined) {
        const timer = setTimeout(
          () =>
            settle(() =>
              reject(
                new WaitTimeoutError(
                  `No init frame from ${this.#baseUrl}/events within ${options.timeoutMs} ms`,
                ),
              ),
            ),
          options.timeoutMs,
        );
        cleanups.push(() => clearTimeout(timer));
      }
      if (options.signal) {
        const signal = options.signal;
        const onAbort = () => settle(() => reject(signal.reason));
        signal.addEventListener('abort', onAbort, { once: true });
        cleanups.push(() => signal.removeEventListener('abort', onAbort));
      }
    });
  }

  /** Drops the current connection and opens a new one that resumes from `lastEventId`. */
  reconnect(): void {
    this.#restart();
  }

  /** Stops for good. Listeners get `closed`; waiting `ready()` calls reject. */
  close(reason?: GatewayClientError): void {
    if (this.#status === 'closed') return;
    this.#closeReason = reason;
    this.#teardown();
    this.#setStatus('closed');
    this.#emitter.emit('closed', { reason });
  }

  [Symbol.dispose](): void {
    this.close();
  }

  #url(): string {
    const query = new URLSearchParams({ session_token: this.#sessionToken });
    if (this.#clientId) query.set('client_id', this.#clientId);
    return `${this.#baseUrl}/events?${query}`;
  }

  #connect(status: 'connecting' | 'reconnecting'): void {
    this.#setStatus(status);
    const source = new EventSource(this.#url(), { fetch: this.#fetch });
    this.#source = source;
    for (const event of FRAME_EVENTS) {
      source.addEventListener(event, (message: Event) => {
        if (source !== this.#source) return; // a late event of a connection we already replaced
        if (isMessageEvent(message)) this.#onFrame(event, message);
        else this.#onConnectionError(source, message as Event & { code?: number; message?: string });
      });
    }
    this.#watchdog.feed();
  }

  #onFrame(event: FrameEventName, message: MessageEvent<string>): void {
    this.#watchdog.feed();
    // Advance even past an invalid frame: replaying it on every reconnect would not make it valid.
    if (message.lastEventId) this.#lastEventId = message.lastEventId;
    const parsed = parseFrame(event, message.data, message.lastEventId);
    if (parsed instanceof InvalidFrameError) {
      this.#emitter.emit('error', parsed);
      return;
    }
    if (parsed.event === 'message') {
      const init = parsed.frame.result;
      const resumed = this.#connectedBefore;
      this.#clientId = init.clientId;
      this.#init = init;
      // The server says how often it pings; an explicit heartbeatMs option wins.
      if (!this.#heartbeatFixed && init.heartbeatIntervalMs) {
        this.#watchdog.retime(init.heartbeatIntervalMs * this.#heartbeatTolerance);
      }
      this.#connectedBefore = true;
      this.#failures = 0;
      this.#setStatus('open');
      this.#emitter.emit('frame', parsed);
      this.#emitter.emit('connected', { init, resumed });
      return;
    }
    this.#emitter.emit('frame', parsed);
    if (parsed.event === 'error') {
      const error = new ServerFrameError(parsed.frame);
      if (parsed.frame.error.code === FrameErrorCode.invalidSession) {
        // The gateway ends the stream after this frame; reconnecting would get the same answer forever.
        this.close(new SessionExpiredError(parsed.frame.error.message));
      } else {
        this.#emitter.emit('error', error);
      }
    }
  }

  #onConnectionError(source: EventSource, event: { code?: number; message?: string }): void {
    if (this.#status === 'closed') return;
    if (source.readyState === EventSource.CONNECTING) {
      // The EventSource retries by itself after the server's `retry:` delay, with Last-Event-ID.
      this.#setStatus('reconnecting');
      return;
    }
    // CLOSED: the EventSource gave up (non-200 answer, wrong content type).
    const status = event.code;
    const description = event.message ?? 'connection failed';
    if (status === 401) {
      this.close(new SessionExpiredError(`GET /events answered 401: ${description}`));
      return;
    }
    const error = new StreamConnectionError(`GET /events failed: ${description}`, status);
    if (status !== undefined && TERMINAL_HTTP_STATUSES.has(status)) {
      this.close(error);
      return;
    }
    this.#emitter.emit('error', error);
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    this.#teardown();
    this.#setStatus('reconnecting');
    const delay = Math.min(this.#delay.max, this.#delay.min * 2 ** this.#failures);
    this.#failures += 1;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#connect('reconnecting');
    }, delay);
  }

  #restart(): void {
    if (this.#status === 'closed' || this.#status === 'idle') return;
    this.#teardown();
    this.#connect('reconnecting');
  }

  #teardown(): void {
    this.#watchdog.stop();
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#source?.close();
    this.#source = undefined;
  }

  #setStatus(status: StreamStatus): void {
    if (this.#status === status) return;
    this.#status = status;
    this.#emitter.emit('status', status);
  }
}
