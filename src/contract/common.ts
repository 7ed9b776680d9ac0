/**
 * @module contract/common
 * Shapes shared by every area: ids, error bodies, JSON values.
 */
import { z } from 'zod';

/** Any JSON value. Workloads, callback data and Firestore documents are opaque to the gateway. */
export const JsonValue = z.unknown().meta({ description: 'Any JSON value' });

/**
 * An id that NoETL may send as a JSON number (snowflake) or a string. Normalised to its decimal string.
 * Integers beyond 2^53 arrive here as strings already: the gateway parses JSON losslessly.
 */
export const FlexibleId = z
  .union([
    z.string().max(256).regex(/\S/, 'must not be blank'),
    // Any integer: snowflakes beyond 2^53 are valid (they arrive as exact strings from the lossless parser).
    z
      .number()
      .int()
      .meta({ override: { type: 'integer', minimum: undefined, maximum: undefined } }),
  ])
  .transform((value) => String(value).trim())
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
