/**
 * The in-memory frame log's bound on bytes, all clients together: results written faster than they expire
 * must not grow the process without limit. Past `maxBytes` the oldest frames of any client go first, down
 * to 90 %; the newest stay; what was dropped is reported; a write id is still recognised as a duplicate
 * after its frames were dropped (the retry is not stored twice), only its frames are no longer returned.
 */
import { expect, test } from 'vitest';
import type { LoggedFrame } from '../ports.ts';
import { MemoryFrameLog } from './memoryFrameLog.ts';

const frame = (name: string) => name.padEnd(100, '.');

/** The frames the log holds for a client, oldest first: what a follower from the start is handed at once. */
async function held(log: MemoryFrameLog, clientId: string): Promise<LoggedFrame[]> {
  // The log's followers are frame queues, read here without waiting (`poll`: a frame, or undefined when none).
  const follower = log.follow(clientId, 0) as ReturnType<MemoryFrameLog['follow']> & {
    poll(): LoggedFrame | null | undefined;
  };
  const frames: LoggedFrame[] = [];
  for (let frame = follower.poll(); frame; frame = follower.poll()) frames.push(frame);
  await follower[Symbol.asyncDispose]();
  return frames;
}

async function drain(log: MemoryFrameLog, clientId: string): Promise<string[]> {
  return (await held(log, clientId)).map(({ data }) => data.slice(0, 4));
}

test('past maxBytes the oldest frames of all clients go first, down to 90 %; the newest stay', async () => {
  const evictions: number[] = [];
  const log = new MemoryFrameLog({
    retentionMs: 3_600_000,
    maxFramesPerClient: 1000,
    maxBytes: 1000,
    onEvict: (frames) => evictions.push(frames),
  });
  for (let i = 0; i < 10; i++) await log.append(i % 2 ? 'b' : 'a', frame(`f${String(i).padStart(2, '0')}`));
  expect(evictions).toEqual([]); // exactly 1,000 characters: within the bound

  await log.append('a', frame('f10'));
  // 1,100 > 1,000: the two oldest (f00 of a, f01 of b) go, leaving 900.
  expect(evictions).toEqual([2]);
  expect(await drain(log, 'a')).toEqual(['f02.', 'f04.', 'f06.', 'f08.', 'f10.']);
  expect(await drain(log, 'b')).toEqual(['f03.', 'f05.', 'f07.', 'f09.']);

  for (let i = 11; i < 40; i++) await log.append('b', frame(`f${i}`));
  expect(await drain(log, 'a')).toEqual([]);
  const kept = await drain(log, 'b');
  expect(kept.length).toBeLessThanOrEqual(10);
  expect(kept.at(-1)).toBe('f39.');
  expect(evictions.reduce((sum, n) => sum + n, 0) + kept.length).toBe(40);
});

test('with many clients written in any order, every frame dropped is older than every frame kept', async () => {
  const log = new MemoryFrameLog({ retentionMs: 3_600_000, maxFramesPerClient: 1000, maxBytes: 20_000 });
  const clients = Array.from({ length: 30 }, (_, i) => `c${i}`);
  const written: { client: string; seq: number; size: number }[] = [];
  let state = 7;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  for (let i = 0; i < 600; i++) {
    const client = clients[Math.floor(random() * clients.length)]!;
    const size = 20 + Math.floor(random() * 200);
    written.push({ client, seq: await log.append(client, 'y'.repeat(size)), size });
  }
  const kept = new Set<number>();
  for (const client of clients) for (const { seq } of await held(log, client)) kept.add(seq);
  const dropped = written.filter(({ seq }) => !kept.has(seq));
  expect(dropped.length).toBeGreaterThan(0);
  expect(Math.max(...dropped.map(({ seq }) => seq))).toBeLessThan(Math.min(...kept));
  const keptBytes = written.filter(({ seq }) => kept.has(seq)).reduce((sum, { size }) => sum + size, 0);
  expect(keptBytes).toBeLessThanOrEqual(20_000);
});

test('a write id stays a duplicate after its frames were dropped; only its frames are no longer returned', async () => {
  const log = new MemoryFrameLog({ retentionMs: 3_600_000, maxFramesPerClient: 1000, maxBytes: 450 });
  const first = await log.appendAll('a', [frame('st'), frame('rs')], { id: 't.a.e1' });
  const again = await log.appendAll('a', [frame('st'), frame('rs')], { id: 't.a.e1' });
  expect(again).toEqual({ seq: first.seq, duplicate: true, earlier: [frame('st'), frame('rs')] });

  for (let i = 0; i < 4; i++) await log.append('b', frame(`x${i}`));
  const later = await log.appendAll('a', [frame('st'), frame('rs')], { id: 't.a.e1' });
  expect(later).toEqual({ seq: first.seq, duplicate: true });
  expect(await drain(log, 'a')).toEqual([]);
});

test('without maxBytes nothing is dropped but by count and age', async () => {
  const log = new MemoryFrameLog({ retentionMs: 3_600_000, maxFramesPerClient: 3 });
  for (let i = 0; i < 5; i++) await log.append('a', frame(`f${i}`));
  expect(await drain(log, 'a')).toEqual(['f2..', 'f3..', 'f4..']);
});
