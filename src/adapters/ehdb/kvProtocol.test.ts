import { describe, expect, test } from 'vitest';
import { revisionOf } from './ehdbKeyValueStore.ts';
import { decodeResponse, encodeFrame, FrameReader, KvProtocolError } from './kvProtocol.ts';

describe('frames', () => {
  test('a 4-byte big-endian length, then the JSON, in the externally tagged request shape', () => {
    const frame = encodeFrame({ Put: { bucket: 'requests', key: 'r1', value: '{}', ttl_ms: 300_000 } });
    const body = '{"Put":{"bucket":"requests","key":"r1","value":"{}","ttl_ms":300000}}';
    expect(frame.readUInt32BE(0)).toBe(Buffer.byteLength(body));
    expect(frame.subarray(4).toString()).toBe(body);
  });

  test('bodies are found whatever the chunking: several per chunk, one split over many', () => {
    const stream = Buffer.concat([
      encodeFrame({ ok: true }),
      encodeFrame({ ok: true, value: 'é'.repeat(40) }),
    ]);
    for (let size = 1; size <= stream.length; size++) {
      const reader = new FrameReader(1024);
      const bodies: string[] = [];
      for (let at = 0; at < stream.length; at += size)
        bodies.push(...reader.push(stream.subarray(at, at + size)).map((body) => body.toString()));
      expect(bodies).toEqual(['{"ok":true}', JSON.stringify({ ok: true, value: 'é'.repeat(40) })]);
    }
  });

  test('a declared length past the limit is refused before anything is buffered', () => {
    const header = Buffer.alloc(4);
    header.writeUInt32BE(2048, 0);
    expect(() => new FrameReader(1024).push(header)).toThrow(KvProtocolError);
  });
});

describe('answers', () => {
  test('a missing key and a failure stay apart', () => {
    expect(decodeResponse(Buffer.from('{"ok":true}'))).toEqual({ ok: true });
    expect(decodeResponse(Buffer.from('{"ok":false,"err":"boom"}'))).toEqual({ ok: false, err: 'boom' });
    expect(decodeResponse(Buffer.from('{"ok":true,"value":"v"}'))).toEqual({ ok: true, value: 'v' });
    expect(decodeResponse(Buffer.from('{"ok":true,"entries":[["a","1"],["b","2"]]}'))).toEqual({
      ok: true,
      entries: [
        ['a', '1'],
        ['b', '2'],
      ],
    });
  });

  test('anything else is a protocol error', () => {
    for (const body of [
      'nope',
      '[]',
      '{}',
      '{"ok":"yes"}',
      '{"ok":true,"value":5}',
      '{"ok":true,"entries":[[1]]}',
    ])
      expect(() => decodeResponse(Buffer.from(body))).toThrow(KvProtocolError);
  });
});

test('revisions follow the value', () => {
  expect(revisionOf('a')).toBe(revisionOf('a'));
  expect(revisionOf('a')).not.toBe(revisionOf('b'));
  expect(Number.isSafeInteger(revisionOf('x'))).toBe(true);
  expect(revisionOf('x')).toBeGreaterThan(0);
});
