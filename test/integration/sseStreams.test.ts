/**
 * `/events` streams after the handshake, served by one shared ticker (no timer per stream): every stream
 * gets its heartbeats; a client that stops reading is disconnected once its socket does not drain within
 * GATEWAY_SSE_DRAIN_TIMEOUT_SECS and resumes everything from the log with Last-Event-ID; a client that goes
 * away frees its place at once. Real HTTP on loopback (a raw socket for the client that does not read).
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { metricValue } from '../support/metrics.ts';
import type { SseTestClient } from '../support/sseClient.ts';
import { type Stack, startStack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    GATEWAY_HEARTBEAT_INTERVAL_SECS: '1',
    GATEWAY_SSE_DRAIN_TIMEOUT_SECS: '1',
    GATEWAY_MAX_SSE_PER_SESSION: '20',
  });
});
afterAll(() => stack.stop());

const metric = (name: string) => metricValue(stack.url, name);

describe('shared ticker', () => {
  test('every stream gets its heartbeats, each naming its client and last delivered frame', async () => {
    const token = await stack.login('ticks');
    const streams: SseTestClient[] = [];
    for (let i = 0; i < 5; i++) {
      const events = await stack.events(token);
      await events.waitForEvent('message');
      streams.push(events);
    }
    for (const events of streams) {
      const init = events.events[0]!;
      // The first ping comes with the init frame; then one per interval from the shared ticker.
      await events.waitFor((event) => event.event === 'ping', 5000, 1);
      await events.waitFor((event) => event.event === 'ping', 5000, 2);
      const pings = events.events.filter((event) => event.event === 'ping');
      expect(pings.length).toBeGreaterThanOrEqual(2);
      for (const ping of pings) {
        expect(ping.json).toEqual({ jsonrpc: '2.0', method: 'ping', params: {} });
        expect(ping.id).toBe(init.id);
      }
    }
    for (const events of streams) events.close();
    await expect.poll(() => metric('noetl_gateway_sse_connections'), { timeout: 5000 }).toBe(0);
  });
});

describe('a client that stops reading', () => {
  test('is disconnected after the drain timeout and resumes from the log', async () => {
    const token = await stack.login('slowpoke');
    const clientId = 'slowpoke-client';
    const { port } = new URL(stack.url);
    const socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      `GET /events?session_token=${token}&client_id=${clientId} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`,
    );
    let head = '';
    while (!head.includes('event: message')) head += String((await once(socket, 'data'))[0]);
    const initId = /id: (\S+)\nevent: message/.exec(head)![1]!;
    socket.pause(); // from now on the client reads nothing
    const before = await metric('noetl_gateway_sse_slow_client_disconnects_total');

    const started = await stack.post(
      '/api/playbooks/execute',
      { path: 'demo/hello', client_id: clientId },
      { authorization: `Bearer ${token}` },
    );
    const { request_id: requestId } = (await started.json()) as { request_id: string };
    const message = 'x'.repeat(256 * 1024);
    let sent = 0;
    // Progress frames of 256 KiB until the gateway gives up on the client (kernel buffers fill first).
    while ((await metric('noetl_gateway_sse_connections')) > 0) {
      expect(sent).toBeLessThan(200);
      const answer = await stack.post('/api/internal/progress', {
        request_id: requestId,
        message,
        progress: sent,
      });
      expect(answer.status).toBe(200);
      sent++;
    }
    expect(await metric('noetl_gateway_sse_slow_client_disconnects_total')).toBe(before + 1);
    socket.destroy();

    // Everything sent is in the log: a reconnect with Last-Event-ID gets every progress frame, in order.
    const resumed = await stack.events(token, {}, { 'last-event-id': initId });
    await resumed.waitFor(
      (event) => event.event === 'playbook/progress' && event.json.params?.progress === sent - 1,
      10_000,
    );
    const progress = resumed.events.filter((event) => event.event === 'playbook/progress');
    expect(progress.map((event) => event.json.params?.progress)).toEqual(
      Array.from({ length: sent }, (_, i) => i),
    );
    resumed.close();
  }, 60_000);
});
