/**
 * @module contract/proxy
 * Shapes of the proxy's own answers: `GET /sharding/preview` (contract §12.6).
 */
import { z } from 'zod';

export const ShardingPreviewQuery = z.object({
  execution_id: z.string().meta({ description: 'An i64 in decimal', example: '635758340626186455' }),
  shard_count: z.string().meta({ description: 'Number of shards, 1..1024', example: '4' }),
});
export type ShardingPreviewQuery = z.infer<typeof ShardingPreviewQuery>;

export const ShardingPreviewResponse = z
  .object({
    execution_id: z.number().int().meta({
      description:
        'The execution id as a JSON integer, exactly as given (an i64: beyond 2^53, parse it losslessly)',
    }),
    shard_count: z.number().int(),
    shard_index: z.number().int().meta({ description: '0..shard_count-1' }),
    source: z.literal('noetl-gateway'),
    hash_function: z.literal('twox_hash::XxHash64'),
    seed: z.literal(0),
  })
  .meta({ id: 'ShardingPreviewResponse' });
export type ShardingPreviewResponse = z.infer<typeof ShardingPreviewResponse>;
