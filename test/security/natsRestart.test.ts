/**
 * Attack-pass finding: a nats-server restart stalled live delivery. Two replicas, open SSE streams,
 * callbacks in flight; nats-server is SIGKILLed and started again on the same port and store directory.
 * Required: every result reaches the still-open streams by itself (no reconnect), no frame twice (by seq),
 * and callbacks during the outage answer 503 quickly (a worker posts them again once NATS is back).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Cluster, startCluster, waitUntilReady } from '../support/cluster.ts';
import type { SseTestClient } from '../support/sseClient.ts';
import { until } from '../support/until.ts';

const STREAMS = 4;
const REQUESTS_PER_STREAM = 24;
/** Callbacks answered before the kill, posted while it happens, and posted while NATS is away. */
const BEFORE = 24;
const DURING = 36;
const OUTAGE_ANSWER_LIMIT_MS = 3000;
/** How long nats-server stays down (the attack: killed at 7 s, back at 15 s). */
const OUTAGE_MS = 8000;
const OUTAGE_PACE_MS = 100;

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster(2);
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

interface Pending {
  requestId: string;
  stream: SseTestClient;
}

interface Answer {
  status: number;
  ms: number;
  body: string;
  retryAfter: string | null;
}

test('nats-server killed and restarted: live delivery resumes on every open stream, nothing lost, nothing twice; 503 fast during the outage', async () => {
  const [r0, r1] = cluster.replicas as [Cluster['replicas'][0], Cluster['replicas'][0]];
  const replicas = [r0, r1];
  const tokens = [await r0.login('restart-ann'), await r1.login('restart-bob')];
  const streams: SseTestClient[] = [];
  for (let i = 0; i < STREAMS; i++)
    streams.push(await replicas[i % 2]!.connected(tokens[Math.floor(i / 2) % tokens.length]!));

  // Executions started for every stream's client, through both replicas.
  const pending: Pending[] = [];
  for (let round = 0; round < REQUESTS_PER_STREAM; round++) {
    await Promise.all(
      streams.map(async (stream, i) => {
        const token = tokens[Math.floor(i / 2) % tokens.length]!;
        const response = await replicas[(round + i) % 2]!.post(
          '/api/playbooks/execute',
          { path: 'demo/restart', client_id: stream.clientId },
          { authorization: `Bearer ${token}` },
        );
        expect(response.status).toBe(200);
        const { request_id } = (await response.json()) as { request_id: string };
        pending.push({ requestId: request_id, stream });
      }),
    );
  }

  // A worker's callback through one of the replicas.
  let posted = 0;
  const callback = async (item: Pending): Promise<Answer> => {
    const started = Date.now();
    const response = await replicas[posted++ % 2]!.post('/api/internal/callback/async', {
      request_id: item.requestId,
      status: 'COMPLETED',
      data: { requestId: item.requestId },
    });
    return {
      status: response.status,
      ms: Date.now() - started,
      body: await response.text(),
      retryAfter: response.headers.get('retry-after'),
    };
  };
  const answers = new Map<string, Answer[]>();
  const record = (item: Pending, answer: Answer) =>
    answers.set(item.requestId, [...(answers.get(item.requestId) ?? []), answer]);

  // 1. Before the kill: answered and delivered live.
  const before = pending.slice(0, BEFORE);
  for (const item of before) record(item, await callback(item));
  expect(before.map((item) => answers.get(item.requestId)![0]!.status)).toEqual(before.map(() => 200));
  await waitForResults(streams, before, 10_000);

  // 2. Callbacks in flight while nats-server dies (SIGKILL): each is taken (200, or 202 when presence could
  // not be asked once the result was stored) or refused with 503 — never 404 or 500.
  const during = pending.slice(BEFORE, BEFORE + DURING);
  let next = 0;
  const inFlight = Promise.all(
    [0, 1, 2, 3].map(async () => {
      while (next < during.length) {
        const item = during[next++]!;
        record(item, await callback(item));
      }
    }),
  );
  await until(() => answers.size >= BEFORE + 8, 'callbacks answered before the kill', 10_000);
  await cluster.nats.kill();
  await inFlight;
  for (const item of during) expect([200, 202, 503]).toContain(answers.get(item.requestId)![0]!.status);

  // 3. While NATS is away (as long as in the attack: several seconds, so clients and consumers go through
  // their reconnect and give-up paths): every callback answers 503 quickly, never 404 and never 500.
  const outage = pending.slice(BEFORE + DURING);
  const killedAt = Date.now();
  for (let i = 0; i < outage.length || Date.now() - killedAt < OUTAGE_MS; i++) {
    const item = outage[i % outage.length]!;
    const answer = await callback(item);
    record(item, answer);
    expect(answer.status, answer.body).toBe(503);
    expect(answer.retryAfter).toMatch(/^\d+$/);
    expect(answer.ms).toBeLessThan(OUTAGE_ANSWER_LIMIT_MS);
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_PACE_MS)); // a worker's pace, not a wait
  }

  // 4. NATS comes back on the same port and store; the worker posts every 503 again until it is taken.
  await cluster.nats.start();
  await Promise.all(replicas.map((replica) => waitUntilReady(replica, 20_000)));
  for (const item of pending) {
    const last = () => answers.get(item.requestId)!.at(-1)!;
    const deadline = Date.now() + 15_000;
    while (last().status === 503 && Date.now() < deadline) record(item, await callback(item));
    expect([200, 202], last().body).toContain(last().status);
  }

  // Every result reaches the stream that was open all along, without a reconnect, and no frame twice.
  await waitForResults(streams, pending, 20_000);
  for (const stream of streams) {
    expect(stream.ended).toBe(false);
    const seqs = stream.events
      .filter((event) => event.event !== 'message' && event.event !== 'ping')
      .map((event) => Number(event.id!.split(':').at(-1)));
    expect(seqs.length).toBeGreaterThan(0);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  }
  for (const stream of streams) stream.close();
}, 120_000);

function resultIds(stream: SseTestClient): Set<string> {
  return new Set(
    stream.events
      .filter((event) => event.event === 'playbook/result')
      .map((event) => String(event.json.params?.requestId)),
  );
}

async function waitForResults(streams: SseTestClient[], items: Pending[], timeoutMs: number): Promise<void> {
  const missing = () =>
    items.filter((item) => !resultIds(item.stream).has(item.requestId)).map((item) => item.requestId);
  await until(
    () => missing().length === 0,
    () => {
      const lost = missing();
      const ended = streams.filter((stream) => stream.ended).length;
      return `${lost.length} of ${items.length} results never reached their open stream (${ended} streams ended)`;
    },
    timeoutMs,
  );
}
