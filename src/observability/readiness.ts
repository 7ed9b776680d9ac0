/**
 * @module observability/readiness
 * `GET /ready`: NATS connected (always true in embedded mode) and NoETL answering its health route.
 * The NoETL probe is cached briefly so a tight probe interval does not load NoETL.
 */
import type { NoetlApi } from '../adapters/ports.ts';
import type { ReadyResponse } from '../contract/index.ts';

export interface ReadinessOptions {
  natsMode: 'embedded' | 'nats';
  natsReady: () => boolean;
  noetl: NoetlApi;
  cacheMs?: number;
  probeTimeoutMs?: number;
  /** Told when the NoETL probe starts failing, with the error (which names NoETL's address: log only). */
  onProbeFailed?: (error: unknown) => void;
}

export function readiness(options: ReadinessOptions): () => Promise<ReadyResponse> {
  let cached: { at: number; check: ReadyResponse['checks']['noetl'] } | undefined;
  const cacheMs = options.cacheMs ?? 2000;

  const probeNoetl = async (): Promise<ReadyResponse['checks']['noetl']> => {
    if (cached && Date.now() - cached.at < cacheMs) return cached.check;
    let check: ReadyResponse['checks']['noetl'];
    try {
      const response = await options.noetl.call(
        'GET',
        '/api/health',
        undefined,
        AbortSignal.timeout(options.probeTimeoutMs ?? 2000),
      );
      check =
        response.status < 500
          ? { ok: true, detail: `HTTP ${response.status}` }
          : { ok: false, detail: `HTTP ${response.status}` };
    } catch (error) {
      // `/ready` is public: the answer says what failed, the log says where (once per outage).
      const timedOut = /timed out|aborted/.test(String((error as Error)?.message));
      check = { ok: false, detail: timedOut ? 'NoETL did not answer in time' : 'NoETL unreachable' };
      if (!cached || cached.check.ok) options.onProbeFailed?.(error);
    }
    cached = { at: Date.now(), check };
    return check;
  };

  return async () => {
    const natsOk = options.natsReady();
    const nats = {
      ok: natsOk,
      detail:
        options.natsMode === 'embedded' ? 'embedded mode (no NATS)' : natsOk ? 'connected' : 'disconnected',
    };
    const noetl = await probeNoetl();
    return { ready: nats.ok && noetl.ok, checks: { nats, noetl } };
  };
}
