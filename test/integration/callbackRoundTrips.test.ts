/**
 * What a result callback costs on NATS, counted on the wire: a monitor subscribed to `>` on the same
 * nats-server sees every request the replicas send (JetStream publishes, K/V writes, JetStream API calls)
 * and every bus message. Two replicas; the client's stream is on A; the executions are started on B.
 *
 * Per callback, required (issue 15, item 1): one JetStream publish carrying both the `playbook/state` and
 * the `playbook/result` frame; no presence read (answered from memory, kept right by the bus); no terminal
 * state write (the publish's message id de-duplicates it); no request read when the callback lands on the
 * replica that saved the request, one when it lands on another. So the callback waits on at most two round
 * trips. After the answer the request is removed: a compare-and-delete, its client-index entry and the
 * session's counter (writes coalesced per session). The replica holding the stream reads the message from
 * the stream's leader once, woken by the publish itself.
 */
import { connect, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Cluster, startCluster } from '../support/cluster.ts';

let cluster: Cluster;
let monitor: NatsConnection;
const seen: Msg[] = [];

beforeAll(async () => {
  cluster = await startCluster(2);
  monitor = await connect({ servers: cluster.nats.url });
  monitor.subscribe('>', { callback: (_error, message) => void seen.push(message) });
  await monitor.flush();
}, 60_000);
afterAll(async () => {
  await monitor?.close();
  await cluster?.stop();
});

/** What one message on the wire is, by its subject (and, for a consumer's delivery, its reply subject). */
function kind(subject: string, reply?: string): string {
  if (reply?.startsWith('$JS.ACK.')) return 'delivery';
  if (subject.startsWith('_INBOX.')) return 'reply';
  if (subject.startsWith('gateway.frames.')) return 'frame publish';
  if (subject.startsWith('$JS.API.CONSUMER.MSG.NEXT.')) return 'follower pull';
  if (subject.startsWith('$JS.API.DIRECT.GET.')) return `direct read ${subject.split('.')[4]}`;
  if (subject.startsWith('$JS.API.STREAM.MSG.GET.')) return `read ${subject.split('.')[5]}`;
  if (subject.startsWith('$JS.API.')) return `api ${subject.split('.').slice(2, 4).join('.')}`;
  if (subject.startsWith('$KV.')) return `write KV_${subject.split('.')[1]}`;
  return `bus ${subject}`;
}

function count(messages: Msg[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const message of messages) {
    const key = kind(message.subject, message.reply);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

test('a result callback: one publish with both frames, no presence or terminal-state round trip, no request read on the replica that saved it', async () => {
  const [a, b] = cluster.replicas as [Cluster['replicas'][0], Cluster['replicas'][0]];
  const token = await a.login('counted');
  const stream = await a.connected(token);
  const N = 20;
  const execute = async () => {
    const response = await b.post(
      '/api/playbooks/execute',
      { path: 'demo/counted', client_id: stream.clientId },
      { authorization: `Bearer ${token}` },
    );
    expect(response.status).toBe(200);
    return ((await response.json()) as { request_id: string }).request_id;
  };
  const requests: string[] = [];
  for (let i = 0; i < 2 * N; i++) requests.push(await execute());

  // One round of callbacks through the replica that saved the requests (B), one through the other (A).
  const round = async (through: typeof a, ids: string[]) => {
    await monitor.flush();
    const from = seen.length;
    for (const requestId of ids) {
      const response = await through.post('/api/internal/callback/async', {
        request_id: requestId,
        status: 'COMPLETED',
        data: { requestId },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'delivered' });
      await stream.waitFor(
        (event) => event.event === 'playbook/result' && event.json.params?.requestId === requestId,
      );
    }
    // The clean-up after each answer: wait until every request's compare-and-delete was seen.
    const removals = () =>
      seen.slice(from).filter((message) => message.subject.startsWith('$KV.requests.')).length;
    await expect.poll(removals, { timeout: 5000, interval: 20 }).toBe(ids.length);
    await monitor.flush();
    return seen.slice(from);
  };

  const local = await round(b, requests.slice(0, N));
  const remote = await round(a, requests.slice(N));
  const localCounts = count(local);
  const remoteCounts = count(remote);

  // The frames: one publish per callback, each carrying the state and the result.
  for (const messages of [local, remote]) {
    const publishes = messages.filter((message) => kind(message.subject, message.reply) === 'frame publish');
    expect(publishes).toHaveLength(N);
    for (const publish of publishes) {
      expect(publish.headers?.get('Gateway-Frames')?.split(',')).toHaveLength(2);
      expect(publish.headers?.get('Nats-Msg-Id')).toMatch(/^t\./);
    }
  }
  // No presence, terminal-state or direct (possibly stale) reads at all.
  for (const counts of [localCounts, remoteCounts])
    for (const key of Object.keys(counts)) {
      expect(key).not.toMatch(/presence|terminal|direct read/);
    }
  // Request lookups: none on the replica that saved the requests, one per callback on the other.
  expect(localCounts['read KV_requests'] ?? 0).toBe(0);
  expect(remoteCounts['read KV_requests']).toBe(N);
  // Clean-up after the answer: one compare-and-delete of the request and one index entry each; the
  // session counter's writes are coalesced (at most one per callback).
  for (const counts of [localCounts, remoteCounts]) {
    expect(counts['write KV_requests']).toBe(N);
    expect(counts['write KV_gateway_client_requests']).toBe(N);
    expect(counts['write KV_gateway_session_requests'] ?? 0).toBeLessThanOrEqual(N);
  }
  // The replica holding the stream reads each message from the stream's leader, once (woken by the publish;
  // a second read only when the wake-up came before the message was stored).
  for (const counts of [localCounts, remoteCounts]) {
    expect(counts['read GATEWAY_FRAMES']).toBeGreaterThanOrEqual(N);
    expect(counts['read GATEWAY_FRAMES']).toBeLessThanOrEqual(2 * N);
  }
  // Nothing else crossed the wire for a callback, except the removal notice from the replica that did not
  // save the request (and the server's own API advisories).
  const expectedKinds = new Set([
    'frame publish',
    'reply',
    'read GATEWAY_FRAMES',
    'bus $JS.EVENT.ADVISORY.API',
    'read KV_requests',
    'write KV_requests',
    'write KV_gateway_client_requests',
    'write KV_gateway_session_requests',
    'bus gateway.requests.removed',
  ]);
  expect(Object.keys({ ...localCounts, ...remoteCounts }).filter((key) => !expectedKinds.has(key))).toEqual(
    [],
  );
  expect(localCounts['bus gateway.requests.removed'] ?? 0).toBe(0);
  expect(remoteCounts['bus gateway.requests.removed']).toBe(N);

  // A duplicate of a delivered callback is refused as before (the request is gone everywhere).
  const late = await b.post('/api/internal/callback/async', { request_id: requests[N]!, data: 'again' });
  expect(late.status).toBe(404);
  const routed = stream.events.filter((event) => event.event === 'playbook/result');
  expect(routed).toHaveLength(2 * N);
  expect(stream.events.filter((event) => event.event === 'playbook/state')).toHaveLength(2 * N);
  stream.close();
}, 60_000);
