/**
 * @module observability/readiness
 * `GET /ready`: NATS connected and its stores answering a cheap request each within a short deadline
 * (always true in embedded mode) — a socket that is open while the streams have no leader is not ready —
 * and NoETL answering its health route. The NoETL probe is cached briefly so a tight probe interval does
 * not load NoETL; the store probe is not cached (concurrent probes share one round). When not ready,
 * `reason` says in one line what is down and why, naming the setting that points at it — never an address:
 * `/ready` is public, the log says where.
 */
import type { NoetlApi } from '../adapters/ports.ts';
import type { Backends, ReadyResponse } from '../contract/index.ts';

type Check = ReadyResponse['checks']['noetl'];

export interface ReadinessOptions {
  natsMode: 'embedded' | 'nats';
  natsReady: () => boolean;
  /** The stores answer (see Infrastructure.probe); asked only while `natsReady()`. */
  natsProbe?: () => Promise<{ ok: boolean; detail: string }>;
  /** Reported as they are (`backends` of the answer). */
  backends: Backends;
  /** EHDB KV, when sessions and requests live there: connected, and answering a cheap read. */
  kv?: { ready: () => boolean; probe: () => Promise<Check> };
  /** EHDB event feed, when lifecycle events come from it (reported, never making the gateway unready). */
  feed?: { connected: () => boolean; cursor: () => string };
  noetl: NoetlApi;
  cacheMs?: number;
  probeTimeoutMs?: number;
  /**
   * Told when the NoETL probe starts failing, with the error (which names NoETL's address: log only) and
   * the reason `/ready` gives.
   */
  onProbeFailed?: (error: unknown, detail: string) => void;
}

/** Why a connection to NoETL failed, from the transport error's code (its message carries the address). */
const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  UND_ERR_SOCKET: 'connection closed',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name not resolved',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connect timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
};

function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 4; depth++) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}

/** One line for `/ready`: what failed and why, without where. */
export function probeFailure(error: unknown, timeoutMs: number): string {
  if (/timed out|aborted/.test(String((error as Error)?.message)))
    return `did not answer within ${timeoutMs / 1000} s`;
  const code = errorCode(error);
  if (code === undefined) return 'unreachable';
  return `unreachable (${UNREACHABLE[code] ?? code})`;
}

export function readiness(options: ReadinessOptions): () => Promise<ReadyResponse> {
  let cached: { at: number; check: ReadyResponse['checks']['noetl'] } | undefined;
  const cacheMs = options.cacheMs ?? 2000;

  const probeNoetl = async (): Promise<ReadyResponse['checks']['noetl']> => {
    if (cached && Date.now() - cached.at < cacheMs) return cached.check;
    let check: ReadyResponse['checks']['noetl'];
    const timeoutMs = options.probeTimeoutMs ?? 2000;
    try {
      const response = await options.noetl.call(
        'GET',
        '/api/health',
        undefined,
        AbortSignal.timeout(timeoutMs),
      );
      check =
        response.status < 500
          ? { ok: true, detail: `HTTP ${response.status}` }
          : { ok: false, detail: `HTTP ${response.status} from its health route` };
    } catch (error) {
      // `/ready` is public: the answer says what failed, the log says where (once per outage).
      check = { ok: false, detail: probeFailure(error, timeoutMs) };
      if (!cached || cached.check.ok) options.onProbeFailed?.(error, check.detail);
    }
    cached = { at: Date.now(), check };
    return check;
  };

  const probeNats = async (): Promise<ReadyResponse['checks']['nats']> => {
    if (options.natsMode === 'embedded') return { ok: true, detail: 'embedded mode (no NATS)' };
    if (!options.natsReady()) return { ok: false, detail: 'disconnected' };
    if (!options.natsProbe) return { ok: true, detail: 'connected' };
    return options.natsProbe().catch(() => ({ ok: false, detail: 'stores do not answer' }));
  };

  const probeKv = async (): Promise<Check | undefined> => {
    const { kv } = options;
    if (!kv) return undefined;
    if (!kv.ready()) return { ok: false, detail: 'disconnected' };
    return kv.probe().catch(() => ({ ok: false, detail: 'KV does not answer' }));
  };

  const feedCheck = (): Check | undefined => {
    const { feed } = options;
    if (!feed) return undefined;
    const position = `cursor ${feed.cursor()}`;
    return feed.connected()
      ? { ok: true, detail: `connected; ${position}` }
      : { ok: false, detail: `reconnecting; lifecycle frames resume from ${position}` };
  };

  return async () => {
    const [nats, noetl, kv] = await Promise.all([probeNats(), probeNoetl(), probeKv()]);
    const event_feed = feedCheck();
    const checks = { nats, noetl, ...(kv ? { kv } : {}), ...(event_feed ? { event_feed } : {}) };
    const { backends } = options;
    if (nats.ok && noetl.ok && (kv?.ok ?? true)) return { ready: true, backends, checks };
    const reason = [
      nats.ok ? undefined : `nats (NATS_URL): ${nats.detail}`,
      noetl.ok ? undefined : `noetl (NOETL_BASE_URL): ${noetl.detail}`,
      !kv || kv.ok ? undefined : `kv (NOETL_KV_ADDR): ${kv.detail}`,
    ]
      .filter((part) => part !== undefined)
      .join('; ');
    return { ready: false, reason, backends, checks };
  };
}
