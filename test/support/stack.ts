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

/**
 * The gateway must know its own URL before it listens (the double calls it back, and it tells NoETL where
 * to): a free port is picked first, and picked again when another process takes it in between.
 */
async function startOnFreePort(
  env: Record<string, string>,
  doubleOptions: NoetlDoubleOptions,
  logger: Logger,
): Promise<{ port: number; noetl: NoetlDouble; gateway: RunningGateway }> {
  for (let attempt = 1; ; attempt++) {
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
    try {
      return { port, noetl, gateway: await startGateway(config, logger) };
    } catch (error) {
      await noetl.stop();
      const failure = error as NodeJS.ErrnoException;
      const code = failure.code ?? (failure.cause as NodeJS.ErrnoException | undefined)?.code;
      if (code !== 'EADDRINUSE' || attempt === 5) throw error;
    }
  }
}

export async function startStack(
  env: Record<string, string> = {},
  doubleOptions: NoetlDoubleOptions = {},
  logger: Logger = pino({ level: 'silent' }),
): Promise<Stack> {
  const { port, noetl, gateway } = await startOnFreePort(env, doubleOptions, logger);
  const url = `http://127.0.0.1:${port}`;
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
