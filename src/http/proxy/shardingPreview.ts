/**
 * @module http/proxy/shardingPreview
 * `GET /sharding/preview?execution_id=&shard_count=` (public, contract §12.6): which shard an execution
 * id maps to for a shard count, with the reference's messages.
 */

import { Problem } from '../../api/problem.ts';
import type { ShardingPreviewResponse } from '../../contract/index.ts';
import { HASH_FUNCTION, HASH_SEED, parseI64, shardIndexOf } from './shardRouting.ts';

const MAX_SHARDS = 1024;
const U32_MAX = 2 ** 32 - 1;

function queryOf(url: string): URLSearchParams {
  const at = url.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : url.slice(at + 1));
}

const refuse = (message: string) => new Problem('BAD_REQUEST', message);

/** The answer's JSON text for a request URL; throws the Problem to answer with. */
export function shardingPreview(url: string): string {
  const query = queryOf(url);
  const idText = query.get('execution_id');
  const countText = query.get('shard_count');
  // The reference's framework rejected these before its handler ran, as plain text; here they are JSON.
  if (idText === null) throw refuse('Failed to deserialize query string: missing field `execution_id`');
  if (countText === null) throw refuse('Failed to deserialize query string: missing field `shard_count`');
  const shardCount = /^\+?\d+$/.test(countText) ? Number(countText) : Number.NaN;
  if (!(shardCount <= U32_MAX))
    throw refuse(
      `Failed to deserialize query string: shard_count ${JSON.stringify(countText)} is not a valid u32`,
    );
  const executionId = parseI64(idText);
  if (executionId === undefined) throw refuse(`execution_id ${JSON.stringify(idText)} is not a valid i64`);
  if (shardCount < 1) throw refuse('shard_count must be >= 1');
  if (shardCount > MAX_SHARDS)
    throw refuse(`shard_count ${shardCount} exceeds practical maximum ${MAX_SHARDS}`);
  const rest: Omit<ShardingPreviewResponse, 'execution_id'> = {
    shard_count: shardCount,
    shard_index: shardIndexOf(executionId, shardCount),
    source: 'noetl-gateway',
    hash_function: HASH_FUNCTION,
    seed: HASH_SEED,
  };
  // A JSON integer with every digit: a double would round ids beyond 2^53.
  return `{"execution_id":${executionId},${JSON.stringify(rest).slice(1)}`;
}
