/**
 * @module lib/losslessJson
 * JSON.parse that keeps integers beyond 2^53 as their exact decimal strings, so a snowflake
 * `execution_id` sent as a JSON number is never rounded.
 */

interface ReviverContext {
  source?: string;
}

function keepBigIntegers(this: unknown, _key: string, value: unknown, context?: ReviverContext): unknown {
  if (
    typeof value === 'number' &&
    !Number.isSafeInteger(value) &&
    context?.source &&
    /^-?\d+$/.test(context.source)
  ) {
    return context.source;
  }
  return value;
}

/** Parses JSON text; integers that a double cannot hold exactly come back as strings. */
export function parseJsonLossless(text: string): unknown {
  return JSON.parse(text, keepBigIntegers as (key: string, value: unknown) => unknown);
}

/** The reviver itself, for parsers that take one (e.g. express.json). */
export const losslessReviver = keepBigIntegers as (key: string, value: unknown) => unknown;
