/**
 * @module core/sessions/validationGuard
 * What keeps made-up session tokens from costing a NoETL validation each: a bounded cache of tokens NoETL
 * found invalid (by their hash, never the token), and a limit on failed validations per client address.
 * Validations in flight count against the limit too, so a burst of concurrent junk tokens cannot start
 * more validations than the limit allows before the first of them has failed.
 */
import { isIPv6 } from 'node:net';
import { GatewayError } from '../errors.ts';

/** The client address sent too many tokens that failed validation: 429 with Retry-After. */
export class TooManyFailedValidationsError extends GatewayError {
  override name = 'TooManyFailedValidationsError';

  constructor(readonly retryAfterSecs: number) {
    super(
      'too_many_requests',
      `Too many invalid session tokens from this address; retry in ${retryAfterSecs} s`,
    );
  }
}

/** Tokens (their hashes) found invalid, answered without asking NoETL again until their entry expires. */
export class NegativeCache {
  readonly #entries = new Map<string, number>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: { ttlMs: number; maxEntries: number; now?: () => number }) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  has(key: string): boolean {
    const until = this.#entries.get(key);
    if (until === undefined) return false;
    if (until > this.#now()) return true;
    this.#entries.delete(key);
    return false;
  }

  add(key: string): void {
    if (this.#ttlMs <= 0 || this.#maxEntries <= 0) return;
    // Re-inserted, so the map's order is the order of expiry: the oldest entry is evicted first.
    this.#entries.delete(key);
    this.#entries.set(key, this.#now() + this.#ttlMs);
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }
}

/** One validation that `FailureLimiter.begin` allowed: end it with `failed()` or `release()`, once. */
export interface ValidationTicket {
  /** The token was invalid: counts as a failure for the window. */
  failed(): void;
  /** The token was valid, or the validation itself failed (NoETL down): does not count. */
  release(): void;
}

const NO_TICKET: ValidationTicket = { failed() {}, release() {} };
const WINDOW_MS = 60_000;

interface ClientFailures {
  /** When each failure of the last window happened, oldest first. */
  failures: number[];
  inFlight: number;
}

/**
 * At most `perMinute` failed validations per client address in any 60 s, validations in flight
 * included. Addresses are tracked in a bounded map (the least recently seen is dropped first); IPv6
 * addresses count per /64, the smallest block one subscriber usually holds.
 */
export class FailureLimiter {
  readonly #clients = new Map<string, ClientFailures>();
  readonly #perMinute: number;
  readonly #maxClients: number;
  readonly #now: () => number;

  constructor(options: { perMinute: number; maxClients: number; now?: () => number }) {
    this.#perMinute = options.perMinute;
    this.#maxClients = options.maxClients;
    this.#now = options.now ?? Date.now;
  }

  /** Addresses currently tracked. */
  get size(): number {
    return this.#clients.size;
  }

  /**
   * Allows one more validation for `clientIp`, or throws TooManyFailedValidationsError. Without an
   * address (or with the limit off) every validation is allowed.
   */
  begin(clientIp: string | undefined): ValidationTicket {
    if (clientIp === undefined || this.#perMinute <= 0) return NO_TICKET;
    const key = clientKey(clientIp);
    const now = this.#now();
    const client = this.#touch(key, now);
    if (client.failures.length + client.inFlight >= this.#perMinute) {
      const oldest = client.failures[0];
      const waitMs = oldest === undefined ? 1000 : oldest + WINDOW_MS - now;
      throw new TooManyFailedValidationsError(Math.max(1, Math.ceil(waitMs / 1000)));
    }
    client.inFlight++;
    let ended = false;
    return {
      failed: () => {
        if (ended) return;
        ended = true;
        client.inFlight--;
        client.failures.push(this.#now());
        this.#remember(key, client);
      },
      release: () => {
        if (ended) return;
        ended = true;
        client.inFlight--;
        this.#forgetIfIdle(key, client);
      },
    };
  }

  /** The client's record with failures older than the window dropped, now the most recently seen. */
  #touch(key: string, now: number): ClientFailures {
    const client = this.#clients.get(key) ?? { failures: [], inFlight: 0 };
    const windowStart = now - WINDOW_MS;
    let expired = 0;
    while (expired < client.failures.length && client.failures[expired]! <= windowStart) expired++;
    if (expired > 0) client.failures.splice(0, expired);
    this.#remember(key, client);
    return client;
  }

  #remember(key: string, client: ClientFailures): void {
    this.#clients.delete(key);
    this.#clients.set(key, client);
    while (this.#clients.size > this.#maxClients) {
      const oldest = this.#clients.keys().next().value;
      if (oldest === undefined) break;
      this.#clients.delete(oldest);
    }
  }

  #forgetIfIdle(key: string, client: ClientFailures): void {
    if (client.inFlight === 0 && client.failures.length === 0 && this.#clients.get(key) === client)
      this.#clients.delete(key);
  }
}

/**
 * The unit an address is limited by: an IPv4 address (also when written IPv4-mapped, `::ffff:a.b.c.d`),
 * or the /64 of an IPv6 address.
 */
export function clientKey(ip: string): string {
  const address = ip.trim().toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, without leading zeros (zone and embedded IPv4 handled). */
function expandIPv6(address: string): string[] {
  let text = address.split('%')[0]!;
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((group) => Number.parseInt(group || '0', 16).toString(16));
}
