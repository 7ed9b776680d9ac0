/**
 * @module core/ingress/deliveryHeaders
 * A delivery's HTTP headers as the ingress sees them: names lowercased, a header sent more than once kept
 * as the list of its values (from the raw header lines, so nothing is merged or dropped), in name order.
 */

/** Header name → its value, or its values in arrival order when it came more than once. */
export type HeaderMap = ReadonlyMap<string, string | readonly string[]>;

/** Headers that authenticate a delivery: never passed on to the execution. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

/** From Node's `rawHeaders` (`[name, value, name, value, …]`). */
export function headerMap(rawHeaders: readonly string[]): HeaderMap {
  const values = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const list = values.get(name);
    if (list) list.push(rawHeaders[i + 1]!);
    else values.set(name, [rawHeaders[i + 1]!]);
  }
  const sorted = [...values.keys()].sort();
  return new Map(sorted.map((name) => [name, oneOrMany(values.get(name)!)]));
}

function oneOrMany(values: string[]): string | readonly string[] {
  return values.length === 1 ? values[0]! : values;
}

/** The first value of a header (credentials and signatures are single-valued). */
export function firstValue(headers: HeaderMap, name: string): string | undefined {
  const value = headers.get(name.toLowerCase());
  return typeof value === 'string' ? value : value?.[0];
}

/** The headers without credentials and without the listener's signature header. */
export function withoutCredentials(headers: HeaderMap, signatureHeader: string | undefined): HeaderMap {
  const signature = signatureHeader?.toLowerCase();
  return new Map([...headers].filter(([name]) => !CREDENTIAL_HEADERS.includes(name) && name !== signature));
}

/** As a JSON object (a header named `__proto__` stays a plain key). */
export function headersObject(headers: ReadonlyMap<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(headers);
}
