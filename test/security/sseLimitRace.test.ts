/**
 * Issue 12, finding 5: the per-session `/events` limit (GATEWAY_MAX_SSE_PER_SESSION) was a race in NATS
 * mode — 60 concurrent opens on one session all succeeded with a limit of 16.
 *
 * - One replica: the replica's count is reserved before any await, so concurrent opens cannot all pass.
 * - Two replicas on one real nats-server (each its own process): the limit holds for the session across
 *   both — 60 concurrent opens spread over the two give exactly the limit, the rest 429
 *   TOO_MANY_REQUESTS; closing a stream on one replica frees a slot for the other; a killed replica's
 *   slots are free again once its lease (GATEWAY_SSE_SLOT_LEASE_SECS) lapses, not before; with NATS away
 *   an open is a 503 SERVICE_UNAVAILABLE.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Cluster, startCluster } from '../support/cluster.ts';
import { metricValue } from '../support/metrics.ts';
import { NatsServer } from '../support/natsServer.ts';
import { NoetlDouble } from '../support/noetlDouble.ts';
import { ReplicaProcess } from '../support/replicaProcess.ts';

const LIMIT = 16;

interface Opened {
  status: number;
  code: string | undefined;
  retryAfter: string | null;
  /** Closes the stream (the client goes away). */
  close(): void;
}

/** Opens `/events` on `base`; a 200 stream is left open until `close()`. */
async function open(base: string, token: string): Promise<Opened> {
  const controller = new AbortController();
  const response = await fetch(`${base}/events?session_token=${token}`, { signal: controller.signal });
  let code: string | undefined;
  if (response.status !== 200) code = ((await response.json()) as { code?: string }).code;
  else {
    // A stream, not the reference's one-error-frame answer to a bad session: wait for the init frame.
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!/^event: (message|error)$/m.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    if (!/^event: message$/m.test(text)) throw new Error(`not a stream: ${text}`);
  }
  return {
    status: response.status,
    code,
    retryAfter: response.headers.get('retry-after'),
    close: () => controller.abort(),
  };
}

describe('one replica', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster(1, { GATEWAY_MAX_SSE_PER_SESSION: String(LIMIT) });
  });
  afterAll(() => cluster.stop());

  test('60 concurrent opens on one session: at most the limit are streams, the rest 429', async () => {
    const replica = cluster.replicas[0]!;
    const token = await replica.login('racer');
    const answers = await Promise.all(Array.from({ length: 60 }, () => open(replica.url, token)));
    for (const answer of answers) answer.close();
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(LIMIT);
    expect(answers.filter((answer) => answer.status === 429)).toHaveLength(60 - LIMIT);
  });
});

describe('two replicas on one NATS', () => {
  const LEASE_SECS = 3;
  let nats: NatsServer;
  let noetl: NoetlDouble;
  let a: ReplicaProcess;
  let b: ReplicaProcess;
  let token: string;
  /** Open streams, by the replica holding them. */
  const held = new Map<ReplicaProcess, Opened[]>();

  beforeAll(async () => {
    nats = await NatsServer.start();
    noetl = await new NoetlDouble().start();
    const env = {
      NATS_URL: nats.url,
      NOETL_BASE_URL: noetl.url,
      GATEWAY_MAX_SSE_PER_SESSION: String(LIMIT),
      GATEWAY_SSE_SLOT_LEASE_SECS: String(LEASE_SECS),
    };
    [a, b] = await Promise.all([ReplicaProcess.start(env), ReplicaProcess.start(env)]);
    noetl.options.gatewayUrl = a.url;
    token = await a.login('racer');
    // Both replicas know the session before the race, so neither starts it late with a validation.
    for (const replica of [a, b]) {
      const validated = await fetch(`${replica.url}/api/auth/validate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ session_token: token }),
      });
      expect(((await validated.json()) as { valid: boolean }).valid).toBe(true);
    }
    held.set(a, []);
    held.set(b, []);
  }, 60_000);
  afterAll(async () => {
    for (const streams of held.values()) for (const stream of streams) stream.close();
    await Promise.all([a?.kill(), b?.kill()]);
    await noetl?.stop();
    await nats?.close();
  });

  /** Opens on `replica` until a stream is admitted (a slot freed elsewhere reaches it asynchronously). */
  async function openWhenFree(replica: ReplicaProcess, timeoutMs: number): Promise<Opened> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answer = await open(replica.url, token);
      if (answer.status === 200) return answer;
      expect(answer.status).toBe(429);
      if (Date.now() > deadline) throw new Error(`no slot on ${replica.url} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  test('60 concurrent opens spread over both: exactly the limit succeed, the rest 429 TOO_MANY_REQUESTS', async () => {
    const replicas = [a, b];
    // One stream on each replica first, so both hold slots whichever wins the race below.
    for (const replica of replicas) {
      const first = await open(replica.url, token);
      expect(first.status).toBe(200);
      held.get(replica)!.push(first);
    }
    const answers = await Promise.all(
      Array.from({ length: 58 }, async (_, i) => {
        const replica = replicas[i % 2]!;
        return { replica, answer: await open(replica.url, token) };
      }),
    );
    for (const { replica, answer } of answers) if (answer.status === 200) held.get(replica)!.push(answer);
    const refused = answers.filter(({ answer }) => answer.status !== 200).map(({ answer }) => answer);
    expect(held.get(a)!.length + held.get(b)!.length).toBe(LIMIT);
    expect(refused).toHaveLength(60 - LIMIT);
    for (const answer of refused) {
      expect(answer.status).toBe(429);
      expect(answer.code).toBe('TOO_MANY_REQUESTS');
      expect(answer.retryAfter).not.toBeNull();
    }
    // Both replicas now refuse: the session is at its limit on the cluster.
    expect((await open(a.url, token)).status).toBe(429);
    expect((await open(b.url, token)).status).toBe(429);
  });

  test('closing a stream on one replica frees a slot on the other', async () => {
    held.get(a)!.pop()!.close();
    held.get(b)!.push(await openWhenFree(b, 10_000));
    // Exactly one slot was freed.
    expect((await open(b.url, token)).status).toBe(429);
    expect((await open(a.url, token)).status).toBe(429);
  });

  test('a killed replica’s slots are free again after the lease TTL, and not before', async () => {
    const lost = held.get(a)!.length;
    expect(lost).toBeGreaterThan(0);
    await a.kill();
    const killedAt = Date.now();
    // Its streams are gone but their slots are leased: still at the limit.
    expect((await open(b.url, token)).status).toBe(429);
    const first = await openWhenFree(b, LEASE_SECS * 1000 + 10_000);
    const waited = Date.now() - killedAt;
    held.get(b)!.push(first);
    for (let i = 1; i < lost; i++) held.get(b)!.push(await openWhenFree(b, 5_000));
    held.set(a, []);
    expect(held.get(b)).toHaveLength(LIMIT);
    expect((await open(b.url, token)).status).toBe(429);
    // The lease is renewed every third of it: it lapses between 2/3 of the TTL and the TTL after the kill.
    expect(waited).toBeGreaterThanOrEqual(((LEASE_SECS * 2) / 3) * 1000 - 500);
  }, 30_000);

  test('NATS away: an open is a 503 SERVICE_UNAVAILABLE with Retry-After', async () => {
    const streams = held.get(b)!.length;
    held.get(b)!.pop()!.close();
    // b has seen the stream go (its local count is below the limit), so only NATS can decide the next open.
    await expect
      .poll(() => metricValue(b.url, 'noetl_gateway_sse_connections'), { timeout: 5000 })
      .toBe(streams - 1);
    await nats.stop();
    const answer = await open(b.url, token);
    expect(answer.status).toBe(503);
    expect(answer.code).toBe('SERVICE_UNAVAILABLE');
    expect(answer.retryAfter).not.toBeNull();
  });
});
