/**
 * Replicas that start together race to create the same buckets. nats-server checks a new stream's name
 * and its subjects in two steps, so two concurrent creates of one bucket can both pass the name check and
 * the loser is told "subjects overlap with an existing stream". Every replica must still bind the bucket.
 * A real nats-server, never a mock.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { NatsServer } from '../../../test/support/natsServer.ts';
import { NatsConnector } from './natsConnection.ts';
import { NatsKeyValueBucket } from './natsKeyValueStore.ts';

let server: NatsServer;
beforeAll(async () => {
  server = await NatsServer.start();
}, 20_000);
afterAll(async () => {
  await server?.close();
});

test('many connections using the same new buckets at once all bind them; none fails', async () => {
  const connectors = await Promise.all(
    Array.from({ length: 20 }, async () => {
      const connector = new NatsConnector({ url: server.url, operationTimeoutMs: 5000 });
      await connector.firstAttempt(5000);
      return connector;
    }),
  );
  try {
    // The window is narrow: rounds of 30 new buckets, each used by all 20 connections at once.
    const failures: string[] = [];
    for (let round = 0; round < 8; round++) {
      const uses = Array.from({ length: 30 }, (_, b) =>
        connectors.map(async (connector, c) => {
          const name = `race_${round}_${b}`;
          await new NatsKeyValueBucket(connector, name, { ttlSeconds: 60, description: 'race' }).put(
            `replica${c}`,
            String(c),
          );
        }),
      ).flat();
      for (const result of await Promise.allSettled(uses))
        if (result.status === 'rejected') failures.push(String(result.reason));
    }
    expect(failures).toEqual([]);

    const check = new NatsKeyValueBucket(connectors[0]!, 'race_7_29', {
      ttlSeconds: 60,
      description: 'race',
    });
    expect(await check.get('replica19')).toBe('19');
  } finally {
    await Promise.all(connectors.map((connector) => connector.close()));
  }
}, 60_000);
