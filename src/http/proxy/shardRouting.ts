/**
 * @module http/proxy/shardRouting
 * Which NoETL shard serves an execution (contract §12.4–12.5): xxHash64, seed 0, of the i64 execution
 * id as 8 little-endian bytes, modulo the shard count — byte-identical to the reference's
 * `twox_hash::XxHash64`, so both gateways send an execution to the same shard.
 */
import xxhash from 'xxhash-wasm';

const { h64Raw } = await xxhash();

export const HASH_FUNCTION = 'twox_hash::XxHash64';
export const HASH_SEED = 0;

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
/** What Rust's `str::parse::<i64>` accepts: optional sign, ASCII digits, nothing else. */
const I64_TEXT = /^[+-]?\d+$/;

/** The i64 a text holds, or undefined when it is not exactly one (as Rust's `parse::<i64>`). */
export function parseI64(text: string): bigint | undefined {
  if (!I64_TEXT.test(text)) return undefined;
  const value = BigInt(text);
  return value >= I64_MIN && value <= I64_MAX ? value : undefined;
}

/** The shard of an execution id among `shardCount` shards; one shard or none → 0. */
export function shardIndexOf(executionId: bigint, shardCount: number): number {
  if (shardCount <= 1) return 0;
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigInt64(0, executionId, true);
  return Number(h64Raw(bytes, BigInt(HASH_SEED)) % BigInt(shardCount));
}

/** `executions/<i64>[/…]` and `vars/<i64>[/…]` are routed by the id in the path. */
export function executionIdOfPath(rest: string): bigint | undefined {
  const firstSlash = rest.indexOf('/');
  if (firstSlash < 0) return undefined;
  const resource = rest.slice(0, firstSlash);
  if (resource !== 'executions' && resource !== 'vars') return undefined;
  const end = rest.indexOf('/', firstSlash + 1);
  return parseI64(rest.slice(firstSlash + 1, end < 0 ? undefined : end));
}

/** `events` and `events/batch` carry the execution id in the body instead (any method but GET/HEAD/DELETE). */
export function routesByBody(rest: string, method: string): boolean {
  return (
    (rest === 'events' || rest === 'events/batch') &&
    method !== 'GET' &&
    method !== 'HEAD' &&
    method !== 'DELETE'
  );
}

interface ReviverContext {
  source?: string;
}

/** The top-level `execution_id` of a JSON body (decimal string or JSON integer); anything else → undefined. */
export function executionIdOfBody(body: Buffer): bigint | undefined {
  let parsed: unknown;
  try {
    // The number's source text, not a double: snowflake ids exceed 2^53.
    parsed = JSON.parse(body.toString('utf8'), ((key: string, value: unknown, context?: ReviverContext) =>
      key === 'execution_id' && typeof value === 'number' && context?.source !== undefined
        ? context.source
        : value) as (key: string, value: unknown) => unknown);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const id = (parsed as { execution_id?: unknown }).execution_id;
  return typeof id === 'string' ? parseI64(id) : undefined;
}
