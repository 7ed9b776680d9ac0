/**
 * @module test/support/stack
 * One gateway (embedded mode) in front of one NoETL double, over real HTTP on loopback.
 */
import { type Logger, pino } from 'pino';
import { loadConfig } from '../../src/config.ts';
import { type RunningGateway, startGateway } from '../../src/main.ts';
import { NoetlDouble, type NoetlDoubleOptions } from './noetlDouble.ts';
import { freePort } from './ports.ts';
import { SseTestClient } from './sseClient.ts';

export interface Stack {
  gateway: RunningGateway;
  noetl: NoetlDouble;
  url: string;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Logs in through the gateway with a double token (`valid-<name>` by default) and returns the session token. */
  login(name?: string): Promise<string>;
  events(
    token: string,
    query?: Record<string, string>,
    headers?: Record<string, string>,
  ): Promise<SseTestClient>;
  stop(): Promise<void>;
}

export async function startStack(
  env: Record<string, string> = {},
  doubleOptions: NoetlDoubleOptions = {},
  logger: Logger = pino({ level: 'silent' }),
): Promise<Stack> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const noetl = await new NoetlDouble({ gatewayUrl: url, ...doubleOptions }).start();
  const config = loadConfig({
    ROUTER_PORT: String(port),
    GATEWAY_BIND: '127.0.0.1',
    GATEWAY_PUBLIC_URL: url,
    NOETL_BASE_URL: noetl.url,
    AUTH_PLAYBOOK_TIMEOUT_SECS: '2',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const gateway = await startGateway(config, logger);
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  return {
    gateway,
    noetl,
    url,
    post,
    async login(name = 'ann') {
      const response = await post('/api/auth/login', { auth0_token: `valid-${name}` });
      if (response.status !== 200)
        throw new Error(`login failed: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { session_token: string }).session_token;
    },
    events(token, query = {}, headers = {}) {
      const search = new URLSearchParams({ session_token: token, ...query });
      return SseTestClient.connect(`${url}/events?${search}`, headers);
    },
    async stop() {
      await gateway.stop();
      await noetl.stop();
    },
  };
}
