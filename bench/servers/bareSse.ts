/**
 * @module bench/servers/bareSse
 * Baseline of the execute and execute → callback → frame scenarios: a bare `node:http` server doing the
 * same hops as the gateway and nothing else — `POST /api/playbooks/execute` forwards to NoETL's
 * `/api/execute` (keep-alive undici pool) and remembers request id → client id in a Map;
 * `GET /events?client_id=` holds a raw SSE response; `POST /api/internal/callback/async` writes the
 * `playbook/result` frame to that response. No auth, no validation, no frame log, no replay, no framework
 * (Express was the baseline until the gateway dropped it). Env: NOETL_BASE_URL. Prints `READY {"port":…}`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';

const noetl = new Pool(process.env.NOETL_BASE_URL ?? 'http://127.0.0.1:8082');
const streams = new Map<string, ServerResponse>();
const pending = new Map<string, { clientId: string; executionId: string }>();

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson<T>(req: IncomingMessage): Promise<T> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
}

function events(req: IncomingMessage, res: ServerResponse): void {
  const clientId = new URL(req.url ?? '/', 'http://x').searchParams.get('client_id') ?? randomUUID();
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(`event: message\ndata: ${JSON.stringify({ result: { clientId } })}\n\n`);
  streams.set(clientId, res);
  res.on('close', () => {
    if (streams.get(clientId) === res) streams.delete(clientId);
  });
}

async function execute(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const {
    path,
    workload,
    client_id: clientId,
  } = await readJson<{ path: string; workload?: Record<string, unknown>; client_id: string }>(req);
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
  json(res, 200, { execution_id: executionId, request_id: requestId, name: path, status: 'started' });
}

async function callback(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson<{ request_id: string; status?: string; data?: unknown }>(req);
  const found = pending.get(body.request_id);
  if (!found) return json(res, 404, { error: 'Request not found' });
  pending.delete(body.request_id);
  const frame = {
    jsonrpc: '2.0',
    method: 'playbook/result',
    params: {
      data: body.data ?? null,
      executionId: found.executionId,
      requestId: body.request_id,
      status: body.status ?? 'COMPLETED',
    },
  };
  const stream = streams.get(found.clientId);
  stream?.write(`event: playbook/result\ndata: ${JSON.stringify(frame)}\n\n`);
  json(res, 200, { status: stream ? 'delivered' : 'queued' });
}

const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  const path = req.url?.split('?')[0];
  const route =
    req.method === 'GET' && path === '/events'
      ? async () => events(req, res)
      : req.method === 'POST' && path === '/api/playbooks/execute'
        ? () => execute(req, res)
        : req.method === 'POST' && path === '/api/internal/callback/async'
          ? () => callback(req, res)
          : req.method === 'GET' && path === '/health'
            ? async () => json(res, 200, { status: 'ok' })
            : async () => json(res, 404, { error: 'not found' });
  route().catch(() => {
    if (!res.headersSent) json(res, 500, { error: 'internal' });
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`READY ${JSON.stringify({ port: (server.address() as AddressInfo).port })}`);
});
process.once('SIGTERM', () => process.exit(0));
