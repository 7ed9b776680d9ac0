/**
 * @module contract/common
 * Shapes shared by every area: ids, error bodies, JSON values.
 */
import { z } from 'zod';

/** Any JSON value. Workloads, callback data and Firestore documents are opaque to the gateway. */
export const JsonValue = z.unknown().meta({ description: 'Any JSON value' });

/** A number the gateway's body parser kept as its source text (`JSON.rawJSON`, see lib/losslessJson). */
export interface RawInteger {
  readonly rawJSON: string;
}

const RAW = JSON as JSON & { isRawJSON(value: unknown): value is RawInteger };

/**
 * For id schemas: a number the gateway's body parser kept as its source text (a raw JSON value, see
 * lib/losslessJson: integers beyond 2^53) is taken as that text when it is an integer.
 */
export function rawIntegerAsText(value: unknown): unknown {
  return RAW.isRawJSON(value) && /^-?\d+$/.test(value.rawJSON) ? value.rawJSON : value;
}

/** For number schemas: a number kept as its source text (`1.0`, `1e400`) is taken as its double. */
export function rawNumberAsDouble(value: unknown): unknown {
  return RAW.isRawJSON(value) ? Number(value.rawJSON) : value;
}

/**
 * An id that NoETL may send as a JSON number (snowflake) or a string. Normalised to its decimal string.
 * Integers beyond 2^53 arrive as exact text: the gateway parses JSON losslessly.
 */
export const FlexibleId = z
  .union([
    z.string().max(256).regex(/\S/, 'must not be blank'),
    // Any integer: snowflakes beyond 2^53 are valid (they arrive as exact text from the lossless parser).
    z
      .custom<number | RawInteger>(
        (value) =>
          (typeof value === 'number' && Number.isInteger(value)) || rawIntegerAsText(value) !== value,
        { error: 'expected a string or an integer' },
      )
      .meta({ override: { type: 'integer' } }),
  ])
  .transform((value) => String(rawIntegerAsText(value)).trim())
  .meta({
    description: 'A string or an integer; always normalised to a string',
    example: '635758340626186455',
  });

/** An SSE client id: a NATS-subject-safe token (UUID v4 when minted by the gateway). */
export const ClientId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, "client_id must be 1-128 characters of A-Z, a-z, 0-9, '_' or '-'")
  .meta({
    description: 'SSE client id (from the init frame of GET /events)',
    example: '0b6c2f0e-2c1d-4e7a-9f3b-1d2e3f4a5b6c',
  });
