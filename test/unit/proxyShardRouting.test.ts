import { describe, expect, test } from 'vitest';
import {
  executionIdOfBody,
  executionIdOfPath,
  parseI64,
  routesByBody,
  shardIndexOf,
} from '../../src/http/proxy/shardRouting.ts';

/**
 * Expected shard indices computed independently of the implementation, with Python's `xxhash` 4.1.0
 * (PyPI, bindings to the reference C library; its empty-input digest is the published 0xef46db3751d8e999):
 *
 *   xxhash.xxh64_intdigest(struct.pack('<q', execution_id), seed=0) % shard_count
 *
 * Shard counts, in order: 2, 3, 4, 7, 16, 1024.
 */
const COUNTS = [2, 3, 4, 7, 16, 1024];
const TABLE: [string, number[]][] = [
  ['0', [1, 2, 3, 3, 11, 955]], // xxh64 = 0x34c96acdcadb1bbb
  ['1', [1, 1, 1, 4, 5, 405]], // xxh64 = 0x9f29cb17a2a49995
  ['-1', [1, 0, 1, 0, 9, 713]], // xxh64 = 0x85d136adb773c6c9
  ['42', [1, 0, 3, 4, 3, 851]], // xxh64 = 0xb556806fb6d14353
  ['635758340626186455', [1, 1, 3, 1, 3, 659]], // xxh64 = 0xaf35854521631e93
  ['635758340626186456', [0, 0, 2, 6, 14, 686]], // xxh64 = 0x7095d5017af996ae
  ['9007199254740993', [0, 1, 2, 4, 6, 614]], // 2^53 + 1: a double would round it; xxh64 = 0xe61780137af44266
  ['9223372036854775807', [0, 2, 0, 5, 12, 780]], // i64::MAX; xxh64 = 0xff70cc60366e770c
  ['-9223372036854775808', [0, 0, 0, 5, 0, 224]], // i64::MIN; xxh64 = 0x3f425eacf01544e0
  ['123456789012345678', [1, 0, 3, 0, 7, 631]], // xxh64 = 0x55f33315d6720e77
];

describe('shardIndexOf: xxHash64 seed 0 of the i64 as 8 little-endian bytes, mod N', () => {
  test.each(TABLE)('execution %s', (id, expected) => {
    expect(COUNTS.map((count) => shardIndexOf(BigInt(id), count))).toEqual(expected);
  });

  test('one shard or none: always shard 0', () => {
    expect(shardIndexOf(635758340626186455n, 1)).toBe(0);
    expect(shardIndexOf(635758340626186455n, 0)).toBe(0);
  });
});

describe('parseI64 accepts what Rust str::parse::<i64> accepts', () => {
  test.each([
    ['0', 0n],
    ['+7', 7n],
    ['-7', -7n],
    ['9223372036854775807', 9223372036854775807n],
    ['-9223372036854775808', -9223372036854775808n],
  ])('%s', (text, value) => expect(parseI64(text)).toBe(value));

  test.each([
    '',
    ' 1',
    '1 ',
    '1.0',
    '1e3',
    '0x10',
    'abc',
    '9223372036854775808',
    '-9223372036854775809',
    '+',
  ])('rejects %j', (text) => expect(parseI64(text)).toBeUndefined());
});

describe('which requests are routed, and by what', () => {
  test.each([
    ['executions/635758340626186455', 635758340626186455n],
    ['executions/635758340626186455/cancel', 635758340626186455n],
    ['executions/-5/', -5n],
    ['vars/42', 42n],
    ['vars/42/some/key', 42n],
  ])('path %s', (rest, id) => expect(executionIdOfPath(rest)).toBe(id));

  test.each([
    'executions',
    'executions/',
    'executions/abc',
    'executions/1x/status',
    'catalog/1',
    'vars',
    'execute',
  ])('path %s goes to the default upstream', (rest) => expect(executionIdOfPath(rest)).toBeUndefined());

  test('events and events/batch by body, except for GET, HEAD and DELETE', () => {
    expect(routesByBody('events', 'POST')).toBe(true);
    expect(routesByBody('events/batch', 'PUT')).toBe(true);
    expect(routesByBody('events', 'GET')).toBe(false);
    expect(routesByBody('events', 'DELETE')).toBe(false);
    expect(routesByBody('events/other', 'POST')).toBe(false);
  });

  test.each([
    ['{"execution_id": 635758340626186455, "events": []}', 635758340626186455n],
    ['{"execution_id": 9223372036854775807}', 9223372036854775807n],
    ['{"execution_id": "-12"}', -12n],
  ])('body %s', (body, id) => expect(executionIdOfBody(Buffer.from(body))).toBe(id));

  test.each([
    'not json',
    '[{"execution_id": 1}]',
    '{"execution_id": 1.5}',
    '{"execution_id": 1e3}',
    '{"execution_id": "x"}',
    '{"nested": {"execution_id": 1}}',
    '{"execution_id": 9223372036854775808}',
  ])('body %s goes to the default upstream', (body) =>
    expect(executionIdOfBody(Buffer.from(body))).toBeUndefined());
});
