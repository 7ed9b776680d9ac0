/**
 * @module lib/losslessJson
 * JSON parsing that loses nothing a caller wrote.
 *
 * - `parseJsonLossless` (what the gateway reads from NoETL, NATS and its stores): integers beyond 2^53
 *   come back as their exact decimal strings, so a snowflake `execution_id` sent as a JSON number is never
 *   rounded.
 * - `parseJsonExact` (request bodies): every number `JSON.stringify` would not write back as written —
 *   an integer beyond 2^53, `1e400` (Infinity), `1e-400` (0), a decimal with more digits than a double
 *   keeps, `1.0` (a float to NoETL, written `1`) — comes back as a raw JSON value (`JSON.rawJSON`) holding
 *   its source text, which `JSON.stringify` writes back verbatim. A workload therefore reaches NoETL
 *   exactly as the caller wrote it. The contract's id schemas take such a value as its text, its number
 *   schemas as its double (`FlexibleId`, `UserId`, `progress`, …).
 * - `markExactNumbers` / `unmarkExactNumbers`: the same exactness through a parser that is not ours (tRPC
 *   reads its body with `JSON.parse`): such numbers travel through it as strings carrying a per-process
 *   random mark, and become raw JSON values again afterwards. A caller cannot forge the mark.
 * - `jsonNestingExceeds`: whether `[`/`{` nest deeper than a limit, found by one scan of the text (no
 *   recursion), before any parser, reviver or serializer could recurse out of stack.
 */
import { randomUUID } from 'node:crypto';

interface ReviverContext {
  source?: string;
}

/** A raw JSON value (`JSON.rawJSON`): serialized as its text by `JSON.stringify`. */
export interface RawJson {
  readonly rawJSON: string;
}

const RAW = JSON as JSON & {
  rawJSON(text: string): RawJson;
  isRawJSON(value: unknown): value is RawJson;
};

/** Whether a value is a number kept as its source text by `parseJsonExact`. */
export function isRawJson(value: unknown): value is RawJson {
  return RAW.isRawJSON(value);
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

/**
 * A JSON number text as `[negative, significant digits without leading/trailing zeros, exponent of the
 * last digit]`; zero is `[false, '', 0]`. Two texts with the same canonical form denote the same decimal.
 */
function canonical(text: string): [boolean, string, number] {
  const negative = text.charCodeAt(0) === 45;
  const body = negative ? text.slice(1) : text;
  const e = body.search(/[eE]/);
  const mantissa = e < 0 ? body : body.slice(0, e);
  let exponent = e < 0 ? 0 : Number(body.slice(e + 1));
  const dot = mantissa.indexOf('.');
  let digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  if (dot >= 0) exponent -= mantissa.length - dot - 1;
  digits = digits.replace(/^0+/, '');
  const trailing = digits.length - digits.replace(/0+$/, '').length;
  digits = digits.slice(0, digits.length - trailing);
  exponent += trailing;
  return digits === '' ? [false, '', 0] : [negative, digits, exponent];
}

/** Number syntax that Python (NoETL) reads as a float, not an int. */
const FRACTION_SYNTAX = /[.eE]/;

/**
 * Whether `JSON.stringify(value)` writes back what `source` wrote: the same decimal, and the same kind of
 * number (`1.0` and `1e5` are floats to NoETL, `1` and `100000` integers).
 */
function holdsExactly(value: number, source: string): boolean {
  if (!Number.isFinite(value) || Object.is(value, -0)) return false; // null, `0`
  const written = String(value);
  if (written === source) return true;
  if (FRACTION_SYNTAX.test(source) !== FRACTION_SYNTAX.test(written)) return false;
  const [negative, digits, exponent] = canonical(source);
  const [writtenNegative, writtenDigits, writtenExponent] = canonical(written);
  return negative === writtenNegative && digits === writtenDigits && exponent === writtenExponent;
}

function keepExactNumbers(this: unknown, _key: string, value: unknown, context?: ReviverContext): unknown {
  if (typeof value !== 'number' || context?.source === undefined) return value;
  return holdsExactly(value, context.source) ? value : RAW.rawJSON(context.source);
}

/**
 * Texts that may hold a number `JSON.stringify` would not write back as it came: a number token (it
 * follows the start, `:`, `[`, `,` or whitespace — so ids and UUIDs inside strings rarely match) with 16 or
 * more digits (a dot may sit among them), an exponent (overflow to Infinity, underflow to 0, `1e5` written
 * `100000`), a fraction ending in 0 (`1.0` written `1`), or `-0`. Anything else parses without a reviver.
 */
const MAYBE_INEXACT = /(?:^|[:[,\s])(?:-?(?:\d\.?){16}|-?\d+(?:\.\d+)?[eE]|-?\d+\.\d*0(?!\d)|-0)/;

/**
 * Parses JSON text; numbers a double cannot hold exactly come back as raw JSON values holding their
 * source text (written back verbatim by `JSON.stringify`).
 */
export function parseJsonExact(text: string): unknown {
  if (!MAYBE_INEXACT.test(text)) return JSON.parse(text);
  return JSON.parse(text, keepExactNumbers as (key: string, value: unknown) => unknown);
}

/**
 * Whether `[` and `{` nest more than `limit` levels deep in a JSON text (brackets inside strings do not
 * count). Stops at the first level past the limit.
 */
export function jsonNestingExceeds(text: string, limit: number): boolean {
  // Deeper than `limit` needs more than `limit` brackets.
  if (text.length <= limit) return false;
  let depth = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // A string: skip to its closing quote (a backslash escapes the next character).
      for (i++; i < length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34) break;
      }
    } else if (c === 91 || c === 123) {
      if (++depth > limit) return true;
    } else if (c === 93 || c === 125) {
      depth--;
    }
  }
  return false;
}

/** Prefix of a marked number's string: NUL and a random id, unguessable by a caller. */
const MARK = `\u0000exact-number:${randomUUID()}:`;

function markRaw(_key: string, value: unknown): unknown {
  return RAW.isRawJSON(value) ? `${MARK}${value.rawJSON}` : value;
}

/**
 * The JSON text again, with every number a double cannot hold exactly turned into a marked string; or
 * undefined when it has none (or does not parse: the other parser reports that).
 */
export function markExactNumbers(text: string): string | undefined {
  if (!MAYBE_INEXACT.test(text)) return undefined;
  let found = false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, function reviver(
      this: unknown,
      key: string,
      value: unknown,
      context?: ReviverContext,
    ) {
      const kept = keepExactNumbers.call(this, key, value, context);
      if (kept !== value) found = true;
      return kept;
    } as (key: string, value: unknown) => unknown);
  } catch {
    return undefined;
  }
  return found ? JSON.stringify(parsed, markRaw) : undefined;
}

/** Turns the marked strings of a value parsed from `markExactNumbers`' text back into raw JSON numbers. */
export function unmarkExactNumbers(value: unknown): unknown {
  if (typeof value === 'string')
    return value.startsWith(MARK) ? RAW.rawJSON(value.slice(MARK.length)) : value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = unmarkExactNumbers(value[i]);
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = unmarkExactNumbers(record[key]);
  }
  return value;
}
