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

/** 16 digits in a row: the shortest integer a double may not hold exactly. */
const LONG_DIGITS = /\d{16}/;

/** Parses JSON text; integers that a double cannot hold exactly come back as strings. */
export function parseJsonLossless(text: string): unknown {
  // A reviver costs a call per value: only texts that can hold such an integer pay for it.
  if (!LONG_DIGITS.test(text)) return JSON.parse(text);
  return JSON.parse(text, keepBigIntegers as (key: string, value: unknown) => unknown);
}

/** The reviver itself, for parsers that take one (e.g. express.json). */
export const losslessReviver = keepBigIntegers as (key: string, value: unknown) => unknown;
