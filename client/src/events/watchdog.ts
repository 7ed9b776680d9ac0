/**
 * @module events/watchdog
 * Fires once when it has not been fed for `timeoutMs`. The stream feeds it on every frame (pings
 * included): a connection that is open but silent — a half-dead TCP connection behind a proxy, a
 * stalled load balancer — never errors by itself, so only silence can reveal it.
 */
export class Watchdog {
  #timeoutMs: number;
  readonly #onSilence: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(timeoutMs: number, onSilence: () => void) {
    this.#timeoutMs = timeoutMs;
    this.#onSilence = onSilence;
  }

  /** (Re)starts the countdown. */
  feed(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#onSilence();
    }, this.#timeoutMs);
    // Node: a watchdog alone must not keep the process alive (browsers return a number).
    const timer: unknown = this.#timer;
    if (typeof timer === 'object' && timer !== null && 'unref' in timer && typeof timer.unref === 'function')
      timer.unref();
  }

  /** Changes the silence allowed from now on (e.g. once the server said how often it pings). */
  retime(timeoutMs: number): void {
    this.#timeoutMs = timeoutMs;
    if (this.#timer !== undefined) this.feed();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  [Symbol.dispose](): void {
    this.stop();
  }
}
