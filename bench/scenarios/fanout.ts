/**
 * @module bench/scenarios/fanout
 * Lifecycle fan-out: one NATS lifecycle event routed to 1,000 subscribed clients. A gateway on a real
 * nats-server (NATS_UPDATES_SUBJECT_PREFIX=noetl.events.), 1,000 streams held by a separate client
 * process (bench/clients/fanout.ts) which publishes the events and times each frame. No baseline.
 * Target: every frame delivered; p99 printed.
 */
import { NatsServer } from '../../test/support/natsServer.ts';
import { type Child, rssBytes, spawnTs, startGatewayProcess } from '../lib/proc.ts';
import { fmtInt, fmtMiB, fmtMs, printTable, progress } from '../lib/report.ts';
import { e2eGatewayEnv, startDouble } from './callback.ts';

const CLIENTS = 1000;
const EVENTS = 5;

interface Delivery {
  delivered: number;
  p50: number;
  p99: number;
  max: number;
}

export async function fanoutScenario(): Promise<void> {
  const children: Child[] = [];
  let nats: NatsServer | undefined;
  try {
    const double = await startDouble();
    children.push(double);
    nats = await NatsServer.start();
    const gateway = await startGatewayProcess('gateway (nats)', {
      ...e2eGatewayEnv(double.url),
      NATS_URL: nats.url,
      NATS_UPDATES_SUBJECT_PREFIX: 'noetl.events.',
      // The bench subscribes to executions the double never started: allow any (the default rule would 403).
      GATEWAY_EXECUTION_SUBSCRIBE_RULE: 'any',
    });
    children.push(gateway);
    progress(`fanout: ${CLIENTS} streams, ${EVENTS} events`);
    const client = await spawnTs(
      'fanout client',
      'bench/clients/fanout.ts',
      [
        JSON.stringify({
          url: gateway.url,
          natsUrl: nats.url,
          clients: CLIENTS,
          events: EVENTS,
          executionId: '635758340626186999',
        }),
      ],
      { waitReady: false, nofile: CLIENTS + 256 },
    );
    const result = JSON.parse(await client.line('RESULT', 180_000)) as {
      subscribeSecs: number;
      perEvent: Delivery[];
      all: Delivery;
    };
    await client.exited;
    const rss = rssBytes(gateway.pid);
    const row = (label: string, d: Delivery) => [
      label,
      `${fmtInt(d.delivered)}/${fmtInt(label === 'all events' ? CLIENTS * EVENTS : CLIENTS)}`,
      fmtMs(d.p50),
      fmtMs(d.p99),
      fmtMs(d.max),
      fmtMiB(rss),
    ];
    const allDelivered = result.all.delivered === CLIENTS * EVENTS;
    printTable({
      title: `lifecycle fan-out: one NATS event → ${fmtInt(CLIENTS)} subscribed clients (gateway on nats-server)`,
      columns: ['event', 'frames delivered', 'p50 ms', 'p99 ms', 'max ms', 'gateway RSS MiB'],
      rows: [...result.perEvent.map((d, k) => row(`step.exit #${k + 1}`, d)), row('all events', result.all)],
      notes: [
        `target: all delivered — ${allDelivered ? 'met' : 'MISSED'}; p99 ${fmtMs(result.all.p99)} ms from publish to the frame read on the stream (events published one at a time)`,
        `${fmtInt(CLIENTS)} clients subscribed in ${result.subscribeSecs.toFixed(1)} s (POST /api/executions/subscribe, 16 in flight)`,
      ],
    });
  } finally {
    for (const child of children.reverse()) await child.stop();
    await nats?.close();
  }
}
