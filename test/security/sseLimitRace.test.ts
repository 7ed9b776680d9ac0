/**
 * The per-session stream limit is reserved before any await: 60 concurrent opens on one session in NATS
 * mode (where claiming a client id takes K/V round trips) cannot all pass a limit of 16.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Cluster, startCluster } from '../support/cluster.ts';

const LIMIT = 16;
let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster(1, { GATEWAY_MAX_SSE_PER_SESSION: String(LIMIT) });
});
afterAll(() => cluster.stop());

test('60 concurrent opens on one session: at most the limit are streams, the rest 429', async () => {
  const replica = cluster.replicas[0]!;
  const token = await replica.login('racer');
  const controllers = Array.from({ length: 60 }, () => new AbortController());
  const answers = await Promise.all(
    controllers.map((controller) =>
      fetch(`${replica.url}/events?session_token=${token}`, { signal: controller.signal }).then(
        async (response) => {
          const status = response.status;
          if (status !== 200) await response.text();
          return status;
        },
      ),
    ),
  );
  for (const controller of controllers) controller.abort();
  const opened = answers.filter((status) => status === 200).length;
  expect(opened).toBe(LIMIT);
  expect(answers.filter((status) => status === 429)).toHaveLength(60 - LIMIT);
});
