/**
 * @module core/ingress/listenerConfigs
 * A listener's config, from NoETL's internal API: `GET /api/internal/ingress/{listener}` with the gateway's
 * bearer (`NOETL_INTERNAL_API_TOKEN`), the listener one percent-encoded path segment. Answers are kept for
 * `cacheMs` (30 s) — a 404 too, so a burst to a name NoETL does not know asks once — in a bounded table
 * (the oldest entry goes first); concurrent deliveries to one listener share one lookup. A config holds
 * the listener's secret: it is never logged.
 */
import type { NoetlApi } from '../../adapters/ports.ts';
import { IngressListenerConfig } from '../../contract/ingress.ts';
import { type IngressRejection, rejectWithDetail } from './ingressRejection.ts';

export interface ListenerConfigsOptions {
  noetl: NoetlApi;
  /** The bearer NoETL's internal API expects (NOETL_INTERNAL_API_TOKEN). */
  token: string;
  cacheMs: number;
  /** Deadline of one lookup. */
  timeoutMs: number;
  /** Listeners (known or not) remembered at once (default 10,000). */
  maxEntries?: number;
  now?: () => number;
  /** A lookup failed (NoETL unreachable, an unexpected status, a config that does not parse). */
  onLookupFailed?: (listener: string, problem: string, error?: unknown) => void;
}

interface Entry {
  /** Undefined: NoETL does not know the listener. */
  config: IngressListenerConfig | undefined;
  at: number;
}

/** One path segment: everything but unreserved characters percent-encoded (UTF-8). */
export function pathSegment(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export class ListenerConfigs {
  readonly #options: ListenerConfigsOptions;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();
  readonly #pending = new Map<string, Promise<Entry>>();

  constructor(options: ListenerConfigsOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** The listener's config; rejects with `unknown_listener` (404) or `config_error` (502). */
  async get(listener: string): Promise<IngressListenerConfig> {
    const cached = this.#entries.get(listener);
    const entry =
      cached && this.#now() - cached.at < this.#options.cacheMs ? cached : await this.#lookupOnce(listener);
    if (!entry.config) throw unknownListener();
    return entry.config;
  }

  #lookupOnce(listener: string): Promise<Entry> {
    let pending = this.#pending.get(listener);
    if (!pending) {
      pending = this.#lookup(listener).finally(() => this.#pending.delete(listener));
      this.#pending.set(listener, pending);
    }
    return pending;
  }

  async #lookup(listener: string): Promise<Entry> {
    const failed = (problem: string, error?: unknown): IngressRejection => {
      this.#options.onLookupFailed?.(listener, problem, error);
      return rejectWithDetail('config_error', 'could not resolve ingress config', error);
    };
    let response: Awaited<ReturnType<NoetlApi['call']>>;
    try {
      response = await this.#options.noetl.call(
        'GET',
        `/api/internal/ingress/${pathSegment(listener)}`,
        undefined,
        AbortSignal.timeout(this.#options.timeoutMs),
        ['authorization', `Bearer ${this.#options.token}`],
      );
    } catch (error) {
      throw failed('NoETL did not answer', error);
    }
    if (response.status === 404) return this.#remember(listener, undefined);
    if (response.status < 200 || response.status >= 300) throw failed(`NoETL answered ${response.status}`);
    const parsed = IngressListenerConfig.safeParse(response.body);
    if (!parsed.success)
      // The issues' paths and messages only: the body itself carries the listener's secret.
      throw failed(
        `the config does not parse: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
      );
    return this.#remember(listener, parsed.data);
  }

  #remember(listener: string, config: IngressListenerConfig | undefined): Entry {
    const entry = { config, at: this.#now() };
    if (this.#options.cacheMs <= 0) return entry;
    this.#entries.delete(listener);
    if (this.#entries.size >= (this.#options.maxEntries ?? 10_000)) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(listener, entry);
    return entry;
  }
}

const unknownListener = () =>
  rejectWithDetail('unknown_listener', 'no push subscription for this ingress path');
