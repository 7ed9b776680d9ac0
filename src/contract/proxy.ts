/**
 * @module contract/proxy
 * Shapes of the proxy's own answers: `GET /sharding/preview` (contract §12.6).
 */
import { z } from 'zod';

/**
 * A regular-expression source matching the decimal numbers 0..max (no sign, no leading zeros): numbers with
 * fewer digits, then for each position of `max` its prefix followed by a smaller digit and any digits.
 */
function decimalAtMost(max: string): string {
  const shorter = max.length > 1 ? [`\\d{1,${max.length - 1}}`] : [];
  const sameLength = [...max].flatMap((digit, at) => {
    if (digit === '0') return [];
    const rest = max.length - at - 1;
    const lower = digit === '1' ? '0' : `[0-${Number(digit) - 1}]`;
    return [`${max.slice(0, at)}${lower}${rest > 0 ? `\\d{${rest}}` : ''}`];
  });
  return [...shorter, ...sameLength, max].join('|');
}

/** How the gateway reads an i64 (as Rust's `i64::from_str`: optional sign, leading zeros allowed). */
const I64_PATTERN = `^(?:\\+?0*(?:${decimalAtMost('9223372036854775807')})|-0*(?:${decimalAtMost('9223372036854775808')}))$`;
/** 1..1024, read as a u32 (optional '+', leading zeros allowed). */
const SHARD_COUNT_PATTERN = '^\\+?0*(?:[1-9]\\d{0,2}|10[01]\\d|102[0-4])$';

export const ShardingPreviewQuery = z.object({
  execution_id: z
    .string()
    .regex(new RegExp(I64_PATTERN))
    .meta({ description: 'An i64 in decimal', example: '635758340626186455' }),
  shard_count: z
    .string()
    .regex(new RegExp(SHARD_COUNT_PATTERN))
    .meta({ description: 'Number of shards, 1..1024', example: '4' }),
});
export type ShardingPreviewQuery = z.infer<typeof ShardingPreviewQuery>;

export const ShardingPreviewResponse = z
  .object({
    // A JSON number without bounds: the id is printed with every digit, beyond 2^53 too.
    execution_id: z.number().meta({
      description:
        'The execution id as a JSON integer, exactly as given (an i64: beyond 2^53, parse it losslessly)',
    }),
    shard_count: z.number().int(),
    shard_index: z.number().int().meta({ description: '0 to `shard_count` − 1' }),
    source: z.literal('noetl-gateway'),
    hash_function: z.literal('twox_hash::XxHash64'),
    seed: z.literal(0),
  })
  .meta({ id: 'ShardingPreviewResponse' });
export type ShardingPreviewResponse = z.infer<typeof ShardingPreviewResponse>;
