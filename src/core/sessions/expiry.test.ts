import { expect, test } from 'vitest';
import { isExpired, parseExpiry } from './expiry.ts';

test.each([
  ['2026-05-28T15:00:00.123456+00:00', Date.UTC(2026, 4, 28, 15, 0, 0, 123)],
  ['2026-05-28 15:00:00.123456+00', Date.UTC(2026, 4, 28, 15, 0, 0, 123)],
  ['2026-05-28 17:00:00+02', Date.UTC(2026, 4, 28, 15, 0, 0)],
  ['2026-05-28T15:00:00Z', Date.UTC(2026, 4, 28, 15, 0, 0)],
  ['2026-05-28T15:00:00', Date.UTC(2026, 4, 28, 15, 0, 0)],
  ['2026-05-28 15:00:00.5-0130', Date.UTC(2026, 4, 28, 16, 30, 0, 500)],
])('%s', (text, expected) => {
  expect(parseExpiry(text)).toBe(expected);
});

test('unreadable values are not expired; past ones are', () => {
  expect(parseExpiry('tomorrow')).toBeUndefined();
  expect(isExpired('', Date.now())).toBe(false);
  expect(isExpired('2000-01-01T00:00:00Z', Date.now())).toBe(true);
  expect(isExpired('2999-01-01T00:00:00Z', Date.now())).toBe(false);
});
