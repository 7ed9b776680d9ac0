/**
 * @module bench/servers/upstream
 * The proxy benchmark's upstream, as in stack.md ("Proxy speed"): `node:http`, keep-alive, one fixed
 * 731-byte JSON body for every GET. It also answers NoETL's session-validate endpoint for any token
 * (so a gateway with `GATEWAY_SESSION_VALIDATE_VIA_PLAYBOOK=false` can warm its session cache).
 * Prints `READY {"port":…}`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const BODY_BYTES = 731;

function fixedBody(): Buffer {
  const base = {
    execution_id: '635758340626186455',
    path: 'bench/proxy/echo',
    status: 'COMPLETED',
    created_at: '2025-01-01T00:00:00+00:00',
    steps: [
      { name: 'start', status: 'COMPLETED', duration_ms: 12 },
      { name: 'fetch', status: 'COMPLETED', duration_ms: 340 },
      { name: 'transform', status: 'COMPLETED', duration_ms: 57 },
      { name: 'end', status: 'COMPLETED', duration_ms: 1 },
    ],
    padding: '',
  };
  const without = Buffer.byteLength(JSON.stringify(base));
  base.padding = 'x'.repeat(BODY_BYTES - without);
  const body = Buffer.from(JSON.stringify(base));
  if (body.length !== BODY_BYTES) throw new Error(`body is ${body.length} bytes`);
  return body;
}

const body = fixedBody();
const expires = new Date(Date.now() + 24 * 3600_000).toISOString().replace('Z', '+00:00');
const validated = Buffer.from(
  JSON.stringify({
    status: 'ok',
    valid: true,
    user: { user_id: 1, email: 'bench@example.com', display_name: 'bench', roles: ['developer'] },
    expires_at: expires,
    message: 'Session is valid',
  }),
);

const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  if (req.method === 'POST' && req.url === '/api/auth/session/validate') {
    req.resume();
    req.once('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': validated.length });
      res.end(validated);
    });
    return;
  }
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(
    `READY ${JSON.stringify({ port: (server.address() as AddressInfo).port, bytes: body.length })}`,
  );
});
process.once('SIGTERM', () => process.exit(0));
