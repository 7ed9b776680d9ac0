/**
 * @module core/sessions/expiry
 * Reads `expires_at` as NoETL writes it: RFC 3339, or Postgres text such as
 * `2026-05-28 15:00:00.123456+00` (space separator, microseconds, hour-only offset).
 */

/** Milliseconds since the epoch, or undefined when the text is not a timestamp we can read. */
export function parseExpiry(text: string): number | undefined {
  const match =
    /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(
      text.trim(),
    );
  if (!match) return undefined;
  const [, date, time, fraction = '', zone = 'Z'] = match;
  const millis = fraction.padEnd(3, '0').slice(0, 3);
  const offset = /^[+-]\d{2}$/.test(zone)
    ? `${zone}:00`
    : zone.length === 5
      ? `${zone.slice(0, 3)}:${zone.slice(3)}`
      : zone;
  const value = Date.parse(`${date}T${time}.${millis}${offset.toUpperCase()}`);
  return Number.isNaN(value) ? undefined : value;
}

/** True when `expiresAt` names a moment at or before `now`. Unreadable values are not treated as expired. */
export function isExpired(expiresAt: string, now: number): boolean {
  const at = parseExpiry(expiresAt);
  return at !== undefined && at <= now;
}
