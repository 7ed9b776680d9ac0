/**
 * @module bench/servers/minimalSse
 * Baseline of the SSE capacity scenario: the least a Node SSE server can be — `node:http`, one
 * `text/event-stream` response per `GET /events`, an init frame, and a `ping` frame per connection every
 * HEARTBEAT_MS (the gateway's GATEWAY_HEARTBEAT_INTERVAL_SECS in the same run). Prints `READY {"port":…}`.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const heartbeatMs = Number(process.env.HEARTBEAT_MS ?? 30_000);

const server = createServer((req, res) => {
  if (!req.url?.startsWith('/events')) {
    res.writeHead(req.url === '/health' ? 200 : 404).end(req.url === '/health' ? 'ok' : '');
    return;
  }
  const clientId = randomUUID();
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(`event: message\ndata: {"result":{"clientId":"${clientId}"}}\n\n`);
  const heartbeat = setInterval(() => res.write('event: ping\ndata: {}\n\n'), heartbeatMs);
  res.on('close', () => {
    clearInterval(heartbeat);
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`READY ${JSON.stringify({ port: (server.address() as AddressInfo).port })}`);
});
process.once('SIGTERM', () => process.exit(0));
