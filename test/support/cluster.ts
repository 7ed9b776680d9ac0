/**
 * @module test/support/cluster
 * N gateway replicas sharing one real nats-server and one NoETL double, as behind a plain load balancer.
 */
import { pino } from 'pino';
import { loadConfig } from '../../src/config.ts';
import { type RunningGateway, startGateway } from '../../src/main.ts';
import { NatsServer } from './natsServer.ts';
import { NoetlDouble } from './noetlDouble.ts';
import { freePort } from './ports.ts';
import { SseTestClient } from './sseClient.ts';

export interface Replica {
  gateway: RunningGateway;
  url: string;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  events(
    token: string,
    query?: Record<string, string>,
    headers?: Record<string, string>,
  ): Promise<SseTestClient>;
  /** Logs in through this replica with a double token (`valid-<name>`) and returns the session token. */
  login(name: string): Promise<string>;
  /** Opens a stream on this replica and waits for its init frame. */
  connected(
    token: string,
    query?: Record<string, string>,
    headers?: Record<string, string>,
  ): Promise<SseTestClient>;
}

export interface Cluster {
  nats: NatsServer;
  noetl: NoetlDouble;
  replicas: Replica[];
  stop(): Promise<void>;
}

export async function startReplica(
  natsUrl: string,
  noetlUrl: string,
  env: Record<string, string> = {},
): Promise<Replica> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    ROUTER_PORT: String(port),
    GATEWAY_BIND: '127.0.0.1',
    GATEWAY_PUBLIC_URL: url,
    NOETL_BASE_URL: noetlUrl,
    NATS_URL: natsUrl,
    AUTH_PLAYBOOK_TIMEOUT_SECS: '3',
    GATEWAY_LOGIN_RATE_LIMIT_PER_MIN: '1000',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const gateway = await startGateway(config, pino({ level: 'silent' }));
  const post: Replica['post'] = (path, body, headers = {}) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const events: Replica['events'] = (token, query = {}, headers = {}) =>
    SseTestClient.connect(
      `${url}/events?${new URLSearchParams({ session_token: token, ...query })}`,
      headers,
    );
  return {
    gateway,
    url,
    post,
    events,
    async login(name) {
      const response = await post('/api/auth/login', { auth0_token: `valid-${name}` });
      if (response.status !== 200)
        throw new Error(`login failed: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { session_token: string }).session_token;
    },
    async connected(token, query, headers) {
      const stream = await events(token, query, headers);
      await stream.waitForEvent('message');
      return stream;
    },
  };
}

/** Polls `GET /ready` until it answers 200 (e.g. after NATS came back), or throws past `timeoutMs`. */
export async function waitUntilReady(replica: Replica, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(`${replica.url}/ready`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${replica.url} not ready after ${timeoutMs} ms (${status})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function startCluster(size: number, env: Record<string, string> = {}): Promise<Cluster> {
  const nats = await NatsServer.start();
  const noetl = await new NoetlDouble().start();
  const replicas: Replica[] = [];
  try {
    for (let i = 0; i < size; i++) replicas.push(await startReplica(nats.url, noetl.url, env));
  } catch (error) {
    // Leave nothing running behind a failed start.
    await Promise.all(replicas.map((replica) => replica.gateway.stop(0)));
    await noetl.stop();
    await nats.close();
    throw error;
  }
  noetl.options.gatewayUrl = replicas[0]!.url;
  return {
    nats,
    noetl,
    replicas,
    async stop() {
      await Promise.all(replicas.map((replica) => replica.gateway.stop(0)));
      await noetl.stop();
      await nats.close();
    },
  };
}
