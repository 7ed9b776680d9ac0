import { FieldValue, Firestore, GeoPoint, Timestamp } from '@google-cloud/firestore';
import { afterAll, describe, expect, test } from 'vitest';
import { documentToJson, firestoreValueToJson, timestampToJson } from './firestoreJson.ts';

// Never connects: only used to build DocumentReference values.
const db = new Firestore({ projectId: 'demo-json', host: '127.0.0.1:9', ssl: false });
afterAll(() => db.terminate());

describe('timestamps (proto3 JSON)', () => {
  test.each([
    [0, 0, '1970-01-01T00:00:00Z'],
    [1_700_000_000, 123_000_000, '2023-11-14T22:13:20.123Z'],
    [1_700_000_000, 123_456_000, '2023-11-14T22:13:20.123456Z'],
    [1_700_000_000, 123_456_789, '2023-11-14T22:13:20.123456789Z'],
    [1_700_000_000, 1, '2023-11-14T22:13:20.000000001Z'],
    [-1, 999_000_000, '1969-12-31T23:59:59.999Z'],
    [253_402_300_799, 0, '9999-12-31T23:59:59Z'],
  ])('%i s + %i ns → %s', (seconds, nanos, text) => {
    expect(timestampToJson(seconds, nanos)).toBe(text);
    expect(firestoreValueToJson(new Timestamp(seconds, nanos))).toBe(text);
  });
});

describe('values', () => {
  test.each([
    ['a string', 'text', 'text'],
    ['true', true, true],
    ['null', null, null],
    ['a double', 2.5, 2.5],
    ['NaN', Number.NaN, 'NaN'],
    ['Infinity', Number.POSITIVE_INFINITY, 'Infinity'],
    ['-Infinity', Number.NEGATIVE_INFINITY, '-Infinity'],
    ['a small BigInt', 42n, 42],
    ['the largest safe BigInt', 9_007_199_254_740_991n, 9_007_199_254_740_991],
    ['a BigInt beyond 2^53', 9_007_199_254_740_993n, '9007199254740993'],
    ['a negative BigInt beyond -2^53', -635_758_340_626_186_455_123n, '-635758340626186455123'],
    ['bytes', Buffer.from([0, 255, 104, 105]), 'AP9oaQ=='],
    ['a Uint8Array view', new Uint8Array([1, 2, 3, 4]).subarray(1, 3), 'AgM='],
    ['a GeoPoint', new GeoPoint(48.85, 2.35), { latitude: 48.85, longitude: 2.35 }],
    ['undefined', undefined, null],
  ])('%s', (_name, value, json) => {
    expect(firestoreValueToJson(value)).toEqual(json);
  });

  test('a DocumentReference becomes its path', () => {
    expect(firestoreValueToJson(db.doc('users/alice/trips/t1'))).toBe('users/alice/trips/t1');
  });

  test('a VectorValue becomes an array of numbers', () => {
    expect(firestoreValueToJson(FieldValue.vector([0.5, 1, Number.NaN]))).toEqual([0.5, 1, 'NaN']);
  });
});

describe('documents', () => {
  test('nested maps and arrays are converted; fields are sorted by name', () => {
    const json = documentToJson({
      zeta: [new Timestamp(0, 0), { b: 1n, a: [new GeoPoint(1, 2)] }],
      alpha: { when: new Timestamp(1, 500_000_000), ref: db.doc('a/b') },
    });
    expect(json).toEqual({
      alpha: { ref: 'a/b', when: '1970-01-01T00:00:01.500Z' },
      zeta: ['1970-01-01T00:00:00Z', { a: [{ latitude: 1, longitude: 2 }], b: 1 }],
    });
    expect(Object.keys(json)).toEqual(['alpha', 'zeta']);
    expect(Object.keys((json.zeta as object[])[1] ?? {})).toEqual(['a', 'b']);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  test('no fields → {}', () => {
    expect(documentToJson(undefined)).toEqual({});
    expect(documentToJson({})).toEqual({});
  });
});
