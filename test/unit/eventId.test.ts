import { expect, test } from 'vitest';
import { eventId, parseEventId } from '../../src/http/sse.ts';

test('event ids round-trip, including the fractional positions of frames stored together', () => {
  for (const seq of [0, 42, 41.5, 1_000_000_000_000 - 0.5, 2 ** 52]) {
    expect(parseEventId(eventId('client-1', seq))).toEqual({ clientId: 'client-1', seq });
  }
  // Beyond 2^53 the sequence is not taken (the stream resumes from what the client was last delivered).
  expect(parseEventId('client-1:9007199254740993')).toEqual({ clientId: 'client-1', seq: undefined });
  expect(parseEventId('client-1:9007199254740993.5')).toEqual({ clientId: 'client-1', seq: undefined });
  expect(parseEventId('client-1:4.')).toBeUndefined();
  expect(parseEventId('client-1:-4')).toBeUndefined();
  expect(parseEventId('client-1:1e3')).toBeUndefined();
});
