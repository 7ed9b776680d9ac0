/**
 * The SSE consumer against a live gateway: the stream is dropped by the server mid-run and the result
 * still arrives (Last-Event-ID replay); a silent connection is replaced by the heartbeat watchdog; a
 * frame that breaks the contract is an error event and the stream goes on; an invalid session ends the
 * stream without a reconnect loop. Faults a healthy gateway never produces come from a relay (StreamTap).
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type Stack, startStack } from '../../test/support/stack.ts';
import {
  GatewayClient,
  type GatewayClientError,
  GatewayEventStream,
  InvalidFrameError,
  SessionExpiredError,
  type StreamStatus,
} from '../src/index.ts';
import { StreamTap } from './support/streamTap.ts';
import { waitUntil } from './support/waitUntil.ts';

describe('reconnect after the server drops the stream', () => {
  let stack: Stack;
  beforeAll(async () => {
    // The result comes 1.2 s after the start; the client reconnects 0.8 s after the drop: the result
    // is produced while no stream is open and must be replayed from the log.
    stack = await startStack({ GATEWAY_SSE_RETRY_MS: '800' }, { autoCompleteMs: 1200 });
  });
  afterAll(() => stack.stop());

  test('the result still arrives, after a resumed connection with Last-Event-ID', async () => {
    const client = new GatewayClient({ baseUrl: stack.url });
    await client.login('valid-dan');
    const statuses: StreamStatus[] = [];
    const resumes: boolean[] = [];
    client.on('status', (status) => statuses.push(status));
    client.on('connected', ({ resumed }) => resumes.push(resumed));
    const firstClientId = (await client.connect()).clientId;

    const progressed = new Promise<void>((resolve) => client.onProgress(() => resolve()));
    const running = client.executeAndWait('demo/long', { n: 1 });
    await progressed; // the run is half way: drop every connection the gateway holds
    stack.gateway.server.closeAllConnections();

    const result = await running;
    expect(result.data).toMatchObject({ summary: 'Playbook demo/long completed' });
    expect(statuses).toContain('reconnecting');
    expect(resumes).toEqual([false, true]);
    // The EventSource reconnects to its first URL, which has no client_id: only Last-Event-ID can have
    // brought back the same client (and with it the frames queued meanwhile).
    expect(client.clientId).toBe(firstClientId);
    client.close();
  });
});

describe('through a relay that can break the stream', () => {
  let stack: Stack;
  let tap: StreamTap;
  const clients: GatewayClient[] = [];
  beforeAll(async () => {
    stack = await startStack({ GATEWAY_HEARTBEAT_INTERVAL_SECS: '1' }, { autoCompleteMs: 200 });
    tap = await new StreamTap(stack.url).start();
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });
  afterAll(async () => {
    await tap.stop();
    await stack.stop();
  });

  const connectedClient = async (heartbeatTolerance = 3) => {
    const client = new GatewayClient({ baseUrl: tap.url, stream: { heartbeatMs: 1000, heartbeatTolerance } });
    clients.push(client);
    await client.login('valid-eve');
    await client.connect();
    return client;
  };

  test('a frame that breaks the contract is an InvalidFrameError event; the stream goes on', async () => {
    const client = await connectedClient();
    const errors: GatewayClientError[] = [];
    const results: unknown[] = [];
    client.on('error', (error) => errors.push(error));
    client.onFrame('playbook/result', (frame) => results.push(frame));

    tap.inject(
      'event: playbook/result\ndata: {"jsonrpc":"2.0","method":"playbook/result","params":{"requestId":42}}\n\n',
    );
    tap.inject('event: playbook/progress\ndata: {not json\n\n');
    await waitUntil(() => errors.length >= 2, { what: 'two error events' });

    const [wrongShape, notJson] = errors as [InvalidFrameError, InvalidFrameError];
    expect(wrongShape).toBeInstanceOf(InvalidFrameError);
    expect(wrongShape.event).toBe('playbook/result');
    expect(wrongShape.message).toMatch(/does not match the contract/);
    expect(wrongShape.issues.length).toBeGreaterThan(0);
    expect(notJson).toBeInstanceOf(InvalidFrameError);
    expect(notJson.message).toMatch(/not JSON/);
    expect(results).toEqual([]); // never delivered

    const result = await client.executeAndWait('demo/after-garbage');
    expect(result.status).toBe('COMPLETED');
    expect(client.status).toBe('open');
  });

  test('the watchdog replaces a connection that went silent and resumes where it stopped', async () => {
    const client = await connectedClient(2);
    const requestsBefore = tap.eventsRequests.length;
    const lastSeen = client.stream?.lastEventId;
    expect(lastSeen).toMatch(/^[0-9a-f-]{36}:\d+$/);

    tap.freeze(); // open, but nothing more comes through: no error, only silence
    await waitUntil(() => tap.eventsRequests.length > requestsBefore, {
      timeoutMs: 6000,
      what: 'a new /events request',
    });
    const resumedWith = tap.eventsRequests.at(-1)?.['last-event-id'];
    expect(resumedWith).toBeDefined();
    expect(String(resumedWith).split(':')[0]).toBe(client.clientId);
    await waitUntil(() => client.status === 'open', { what: 'the stream to reopen' });

    const result = await client.executeAndWait('demo/after-silence');
    expect(result.status).toBe('COMPLETED');
  });

  test('pings keep the watchdog quiet on a healthy connection', async () => {
    const client = await connectedClient(2);
    const requestsBefore = tap.eventsRequests.length;
    await new Promise((resolve) => setTimeout(resolve, 3000)); // > 2 × heartbeat
    expect(tap.eventsRequests.length).toBe(requestsBefore);
    expect(client.status).toBe('open');
  });
});

describe('an invalid session on the stream', () => {
  let stack: Stack;
  let tap: StreamTap;
  beforeAll(async () => {
    stack = await startStack({ GATEWAY_SSE_RETRY_MS: '100' });
    tap = await new StreamTap(stack.url).start();
  });
  afterAll(async () => {
    await tap.stop();
    await stack.stop();
  });

  test('ends the stream with SessionExpiredError, without a reconnect loop', async () => {
    const stream = new GatewayEventStream({ baseUrl: tap.url, sessionToken: 'not-a-session' });
    const closed = new Promise<GatewayClientError | undefined>((resolve) =>
      stream.on('closed', ({ reason }) => resolve(reason)),
    );
    await expect(stream.open().ready({ timeoutMs: 5000 })).rejects.toBeInstanceOf(SessionExpiredError);
    expect(await closed).toBeInstanceOf(SessionExpiredError);
    await new Promise((resolve) => setTimeout(resolve, 500)); // five retry intervals
    expect(tap.eventsRequests).toHaveLength(1);
    expect(stream.status).toBe('closed');
  });

  test('a foreign client_id (403) closes the stream instead of retrying', async () => {
    const owner = new GatewayClient({ baseUrl: stack.url });
    await owner.login('valid-fay');
    const { clientId } = await owner.connect();
    const intruder = await stack.login('gus');
    const stream = new GatewayEventStream({ baseUrl: stack.url, sessionToken: intruder, clientId });
    const error = await stream
      .open()
      .ready({ timeoutMs: 5000 })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'StreamConnectionError', status: 403 });
    expect(stream.status).toBe('closed');
    owner.close();
  });
});
