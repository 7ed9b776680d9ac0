/**
 * @module adapters/firestore/firestoreJson
 * Firestore values → plain JSON, in the forms documented by FIRESTORE_JSON_FORMS (contract/subscriptions):
 * Timestamp → RFC 3339 UTC string (0/3/6/9 fractional digits, as proto3 JSON); integer (read as BigInt)
 * → number, or its exact decimal string beyond ±2^53; NaN/±Infinity → "NaN"/"Infinity"/"-Infinity";
 * GeoPoint → {latitude, longitude}; DocumentReference → its path; Bytes → base64; VectorValue → number[].
 * Maps keep their fields, sorted by name, so frames are deterministic. Never throws.
 */
import { DocumentReference, GeoPoint, Timestamp, VectorValue } from '@google-cloud/firestore';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

/** `2024-05-01T09:30:00.250Z`: seconds since the epoch and nanoseconds, as proto3 JSON writes a Timestamp. */
export function timestampToJson(seconds: number, nanoseconds: number): string {
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  if (nanoseconds === 0) return `${base}Z`;
  const digits = String(nanoseconds).padStart(9, '0');
  const length = nanoseconds % 1_000_000 === 0 ? 3 : nanoseconds % 1000 === 0 ? 6 : 9;
  return `${base}.${digits.slice(0, length)}Z`;
}

function numberToJson(value: number): number | string {
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? 'Infinity' : '-Infinity';
}

/** Any value read from Firestore (with `useBigInt: true`) as JSON. */
export function firestoreValueToJson(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return numberToJson(value);
    case 'bigint':
      return value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value.toString();
    case 'undefined':
      return null;
    case 'object':
      break;
    default:
      return String(value);
  }
  if (value === null) return null;
  if (value instanceof Timestamp) return timestampToJson(value.seconds, value.nanoseconds);
  if (value instanceof GeoPoint) return { latitude: value.latitude, longitude: value.longitude };
  if (value instanceof DocumentReference) return value.path;
  if (value instanceof VectorValue) return value.toArray().map(numberToJson);
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (Array.isArray(value)) return value.map(firestoreValueToJson);
  return documentToJson(value as Record<string, unknown>);
}

/** A document's fields (or a map value) as a JSON object. */
export function documentToJson(fields: Record<string, unknown> | undefined): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  if (!fields) return json;
  for (const key of Object.keys(fields).sort()) json[key] = firestoreValueToJson(fields[key]);
  return json;
}
