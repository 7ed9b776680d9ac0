import { describe, expect, test } from 'vitest';
import { eventOfRecord } from './eventFeed.ts';
import { SseReader } from './sseReader.ts';

describe('SseReader', () => {
  test('the documented frame shape, comments skipped, multi-line data joined', () => {
    const reader = new SseReader(1024);
    expect(reader.push(': keepalive\n\nid: 7\ndata: {"global_sequence":7}\n\n')).toEqual([
      { id: '7', data: '{"global_sequence":7}' },
    ]);
    expect(reader.push('id: 3\ndata: line1\ndata: line2\n\n')).toEqual([{ id: '3', data: 'line1\nline2' }]);
  });

  test('events split anywhere across chunks, CRLF and CR line ends', () => {
    const text = 'id: 1\r\ndata: a\r\n\r\nid: 2\rdata: b\r\rid:3\ndata:c\n\n';
    for (let size = 1; size <= text.length; size++) {
      const reader = new SseReader(1024);
      const events = [];
      for (let at = 0; at < text.length; at += size) events.push(...reader.push(text.slice(at, at + size)));
      expect(events).toEqual([
        { id: '1', data: 'a' },
        { id: '2', data: 'b' },
        { id: '3', data: 'c' },
      ]);
    }
  });

  test('a frame without data is not an event; the id does not carry over to the next event', () => {
    const reader = new SseReader(1024);
    expect(reader.push('id: 9\n\n: keepalive\n\ndata: x\n\n')).toEqual([{ data: 'x' }]);
  });

  test('an event past the limit is reported oversized with its id, and the stream goes on', () => {
    const reader = new SseReader(10);
    expect(reader.push(`id: 4\ndata: ${'x'.repeat(50)}\n\nid: 5\ndata: ok\n\n`)).toEqual([
      { id: '4', data: '', oversized: true },
      { id: '5', data: 'ok' },
    ]);
    // A line that never ends cannot grow without bound either.
    expect(reader.push(`id: 6\ndata: ${'y'.repeat(50)}`)).toEqual([]);
    expect(reader.push('\n\n')).toEqual([{ id: '6', data: '', oversized: true }]);
  });
});

describe('eventOfRecord', () => {
  test('payload as a JSON string, or an object (big integers kept exactly)', () => {
    expect(eventOfRecord('{"global_sequence":12,"payload":"{\\"event_type\\":\\"step.exit\\"}"}')).toBe(
      '{"event_type":"step.exit"}',
    );
    expect(
      eventOfRecord('{"payload":{"event_type":"playbook.completed","execution_id":636124154944553085}}'),
    ).toBe('{"event_type":"playbook.completed","execution_id":636124154944553085}');
  });

  test('no usable payload', () => {
    for (const data of ['not json', '{}', '{"payload": 5}', '[]', '{"payload":[1]}'])
      expect(eventOfRecord(data)).toBeUndefined();
  });
});
