/**
 * @module http/proxy/upstreams
 * The NoETL servers the proxy talks to — the default base URL and the shards — each behind one
 * keep-alive connection pool, and the choice of one for a request path.
 */
import { Pool } from '../../lib/undici.ts';
import { executionIdOfPath, shardIndexOf } from './shardRouting.ts';

export interface Upstream {
  pool: InstanceType<typeof Pool>;
  /** `<base path>/api/`: what `<rest>` is appended to. */
  apiPrefix: string;
}

export interface UpstreamOptions {
  baseUrl: string;
  /** Base URL of each shard, by index; empty: no shard routing. */
  shards: readonly string[];
  timeoutMs: number;
}

/** Connecting is quick or not at all; a long connect wait is already an outage. */
const CONNECT_TIMEOUT_MS = 10_000;

export class Upstreams {
  readonly default: Upstream;
  readonly #shards: Upstream[];
  readonly #pools = new Map<string, InstanceType<typeof Pool>>();

  constructor(options: UpstreamOptions) {
    const upstream = (baseUrl: string): Upstream => {
      const url = new URL(baseUrl);
      let pool = this.#pools.get(url.origin);
      if (!pool) {
        pool = new Pool(url.origin, {
          headersTimeout: options.timeoutMs,
          bodyTimeout: options.timeoutMs,
          connect: { timeout: Math.min(CONNECT_TIMEOUT_MS, options.timeoutMs) },
        });
        this.#pools.set(url.origin, pool);
      }
      return { pool, apiPrefix: `${url.pathname.replace(/\/+$/, '')}/api/` };
    };
    this.default = upstream(options.baseUrl);
    this.#shards = options.shards.map(upstream);
  }

  get sharded(): boolean {
    return this.#shards.length > 0;
  }

  /** The shard of an execution id, or the default upstream when there are no shards. */
  forExecution(executionId: bigint | undefined): Upstream {
    if (executionId === undefined || this.#shards.length === 0) return this.default;
    return this.#shards[shardIndexOf(executionId, this.#shards.length)]!;
  }

  forPath(rest: string): Upstream {
    return this.#shards.length === 0 ? this.default : this.forExecution(executionIdOfPath(rest));
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((pool) => pool.close()));
  }
}
