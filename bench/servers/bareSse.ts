/**
 * @module bench/servers/bareSse
 * Baseline of the execute → callback → frame scenario: a bare Express app doing the same hops as the
 * gateway and nothing else — `POST /api/playbooks/execute` forwards to NoETL's `/api/execute` (keep-alive
 * undici pool) and remembers request id → client id in a Map; `GET /events?client_id=` holds a raw SSE
 * response; `POST /api/internal/callback/async` writes the `playbook/result` frame to that response.
 * No auth, no validation, no frame log, no replay. Env: NOETL_BASE_URL. Prints `READY {"port":…}`.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Pool } from 'undici';

const noetl = new Pool(process.env.NOETL_BASE_URL ?? 'http://127.0.0.1:8082');
const streams = new Map<string, ServerResponse>();
const pending = new Map<string, { clientId: string; executionId: string }>();

const app = express();
app.disable('x-powered-by');
app.set('etag', false);

app.get('/events', (req, res) => {
  const clientId = typeof req.query.client_id === 'string' ? req.query.client_id : randomUUID();
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(`event: message\ndata: ${JSON.stringify({ result: { clientId } })}\n\n`);
  streams.set(clientId, res);
  res.on('close', () => {
    if (streams.get(clientId) === res) streams.delete(clientId);
  });
});

app.post('/api/playbooks/execute', express.json(), async (req, res) => {
  const {
    path,
    workload,
    client_id: clientId,
  } = req.body as {
    path: string;
    workload?: Record<string, unknown>;
    client_id: string;
  };
  const requestId = randomUUID();
  const answer = await noetl.request({
    path: '/api/execute',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ path, workload: { ...workload, request_id: requestId } }),
  });
  const started = (await answer.body.json()) as { execution_id: string };
  const executionId = String(started.execution_id);
  pending.set(requestId, { clientId, executionId });
  res.json({ execution_id: executionId, request_id: requestId, name: path, status: 'started' });
});

app.post('/api/internal/callback/async', express.json(), (req, res) => {
  const callback = req.body as { request_id: string; status?: string; data?: unknown };
  const found = pending.get(callback.request_id);
  if (!found) return void res.status(404).json({ error: 'Request not found' });
  pending.delete(callback.request_id);
  const frame = {
    jsonrpc: '2.0',
    method: 'playbook/result',
    params: {
      data: callback.data ?? null,
      executionId: found.executionId,
      requestId: callback.request_id,
      status: callback.status ?? 'COMPLETED',
    },
  };
  const stream = streams.get(found.clientId);
  stream?.write(`event: playbook/result\ndata: ${JSON.stringify(frame)}\n\n`);
  res.json({ status: stream ? 'delivered' : 'queued' });
});

const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`READY ${JSON.stringify({ port: (server.address() as AddressInfo).port })}`);
});
process.once('SIGTERM', () => process.exit(0));
