/**
 * @module http/proxy/shardingPreview
 * `GET /sharding/preview?execution_id=&shard_count=` (public, contract §12.6): which shard an execution
 * id maps to for a shard count, with the reference's messages.
 */
import type { Request, Response } from 'express';
import type { ShardingPreviewResponse } from '../../contract/index.ts';
import { sendError } from '../errorResponses.ts';
import { HASH_FUNCTION, HASH_SEED, parseI64, shardIndexOf } from './shardRouting.ts';

const MAX_SHARDS = 1024;
const U32_MAX = 2 ** 32 - 1;

function queryOf(req: Request): URLSearchParams {
  const at = req.url.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : req.url.slice(at + 1));
}

export function shardingPreview(req: Request, res: Response): void {
  const query = queryOf(req);
  const idText = query.get('execution_id');
  const countText = query.get('shard_count');
  // The reference's framework rejected these before its handler ran, as plain text; here they are JSON.
  if (idText === null)
    return sendError(
      res,
      400,
      'Failed to deserialize query string: missing field `execution_id`',
      'BAD_REQUEST',
    );
  if (countText === null)
    return sendError(
      res,
      400,
      'Failed to deserialize query string: missing field `shard_count`',
      'BAD_REQUEST',
    );
  const shardCount = /^\+?\d+$/.test(countText) ? Number(countText) : Number.NaN;
  if (!(shardCount <= U32_MAX))
    return sendError(
      res,
      400,
      `Failed to deserialize query string: shard_count ${JSON.stringify(countText)} is not a valid u32`,
      'BAD_REQUEST',
    );
  const executionId = parseI64(idText);
  if (executionId === undefined)
    return sendError(res, 400, `execution_id ${JSON.stringify(idText)} is not a valid i64`, 'BAD_REQUEST');
  if (shardCount < 1) return sendError(res, 400, 'shard_count must be >= 1', 'BAD_REQUEST');
  if (shardCount > MAX_SHARDS)
    return sendError(
      res,
      400,
      `shard_count ${shardCount} exceeds practical maximum ${MAX_SHARDS}`,
      'BAD_REQUEST',
    );
  const rest: Omit<ShardingPreviewResponse, 'execution_id'> = {
    shard_count: shardCount,
    shard_index: shardIndexOf(executionId, shardCount),
    source: 'noetl-gateway',
    hash_function: HASH_FUNCTION,
    seed: HASH_SEED,
  };
  // A JSON integer with every digit: a double would round ids beyond 2^53.
  res
    .status(200)
    .type('application/json')
    .send(`{"execution_id":${executionId},${JSON.stringify(rest).slice(1)}`);
}
