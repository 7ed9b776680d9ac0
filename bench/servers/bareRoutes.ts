/**
 * @module bench/servers/bareRoutes
 * Baseline of the JSON-route scenario: the least those two routes can cost on Node — bare `node:http`,
 * as measured in stack.md ("One authenticated JSON route, five stacks"):
 *   POST /api/auth/validate  Zod-validated body, in-memory session lookup, JSON answer, x-request-id;
 *   POST /graphql {health}   bearer session lookup, graphql-js with parsed + validated documents cached.
 * Every token is a valid session (the gateway's is warm: validated once, then served from memory).
 * Prints `READY {"port":…}`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema, type DocumentNode, execute, parse, validate } from 'graphql';
import { z } from 'zod';

const ValidateRequest = z.object({ session_token: z.string().min(1) });
const GraphqlRequest = z.object({
  query: z.string(),
  variables: z.record(z.string(), z.unknown()).nullish(),
  operationName: z.string().nullish(),
});

const expires = new Date(Date.now() + 24 * 3600_000).toISOString();
const sessions = new Map<string, { user_id: number; email: string; display_name: string; roles: string[] }>();
function session(token: string) {
  let found = sessions.get(token);
  if (!found) {
    found = { user_id: 1, email: 'bench@example.com', display_name: 'bench', roles: ['developer'] };
    sessions.set(token, found);
  }
  return found;
}

const schema = buildSchema('type Query { health: String! version: String! }');
const root = { health: () => 'ok', version: () => '0.0.0' };
const documents = new Map<string, DocumentNode>();

function reply(res: ServerResponse, status: number, body: unknown, requestId: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-request-id': requestId,
  });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = (req.headers['x-request-id'] as string | undefined) ?? randomUUID();
  if (req.method === 'GET' && req.url === '/health') return reply(res, 200, { status: 'ok' }, requestId);
  if (req.method === 'POST' && req.url === '/api/auth/validate') {
    const parsed = ValidateRequest.safeParse(await readJson(req));
    if (!parsed.success) return reply(res, 400, { error: 'invalid body' }, requestId);
    const user = session(parsed.data.session_token);
    return reply(
      res,
      200,
      { valid: true, user, expires_at: expires, message: 'Session is valid' },
      requestId,
    );
  }
  if (req.method === 'POST' && req.url === '/graphql') {
    const auth = req.headers.authorization;
    if (!auth?.startsWith('Bearer ')) return reply(res, 401, { error: 'unauthorized' }, requestId);
    session(auth.slice(7));
    const parsed = GraphqlRequest.safeParse(await readJson(req));
    if (!parsed.success) return reply(res, 400, { error: 'invalid body' }, requestId);
    let document = documents.get(parsed.data.query);
    if (!document) {
      document = parse(parsed.data.query);
      const errors = validate(schema, document);
      if (errors.length) return reply(res, 400, { errors }, requestId);
      documents.set(parsed.data.query, document);
    }
    const result = await execute({
      schema,
      document,
      rootValue: root,
      variableValues: parsed.data.variables ?? undefined,
    });
    return reply(res, 200, result, requestId);
  }
  reply(res, 404, { error: 'not found' }, requestId);
}

const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  handle(req, res).catch(() => {
    if (!res.headersSent) reply(res, 500, { error: 'internal' }, '');
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`READY ${JSON.stringify({ port: (server.address() as AddressInfo).port })}`);
});
process.once('SIGTERM', () => process.exit(0));
