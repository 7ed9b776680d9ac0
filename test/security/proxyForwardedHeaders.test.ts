/**
 * Attack-pass finding 8: headers that speak for the client or the original request crossed `/noetl/*` to
 * NoETL as the caller sent them: `Forwarded` and `X-Real-IP` (a made-up client address),
 * `X-Original-URL` / `X-Rewrite-URL` (frameworks that honour them route by another path than the one the
 * gateway checked), and underscore spellings of the identity headers (`X_User_Id`, `x_noetl_*`), which
 * CGI/WSGI-style servers read as the `x-user-id` the gateway sets. Required: none of them reaches NoETL.
 * Replayed over real HTTP against the NoETL double, which echoes the headers it received.
 */
import { type IncomingHttpHeaders, request } from 'node:http';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Stack, startStack } from '../support/stack.ts';

let stack: Stack;
let token: string;
beforeAll(async () => {
  stack = await startStack();
  token = await stack.login('headers-ann');
});
afterAll(() => stack.stop());

interface Echo {
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
}

/** GET through node:http, which sends header names exactly as given (underscores included). */
function get(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const url = new URL(stack.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method: 'GET', path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

test('Forwarded, X-Real-IP, X-Original-URL, X-Rewrite-URL and underscore identity spellings stay at the gateway', async () => {
  const spoofed = {
    Forwarded: 'for=6.6.6.6;proto=https;host=admin.internal',
    'X-Real-IP': '6.6.6.6',
    'X-Original-URL': '/api/admin/secret',
    'X-Rewrite-URL': '/api/admin/secret',
    X_User_Id: '999',
    X_User_Email: 'admin@evil.example',
    x_user_roles: 'admin',
    x_noetl_tenant: 'other-tenant',
    X_Forwarded_For: '6.6.6.6',
    X_Request_Id: 'spoofed-id',
    X_Session_Token: 'another-token',
  };
  const response = await get('/noetl/echo', { authorization: `Bearer ${token}`, ...spoofed });
  expect(response.status).toBe(200);
  const echo = JSON.parse(response.body) as Echo;
  const names = echo.rawHeaders.filter((_, index) => index % 2 === 0).map((name) => name.toLowerCase());
  for (const name of Object.keys(spoofed)) expect(names).not.toContain(name.toLowerCase());
  expect(response.body).not.toContain('6.6.6.6');
  expect(response.body).not.toContain('/api/admin/secret');
  expect(response.body).not.toContain('evil.example');
  // The gateway's own statements are there, once each.
  expect(echo.headers['x-user-email']).toBe('headers-ann@example.com');
  expect(echo.headers['x-forwarded-for']).toBe('127.0.0.1');
  expect(names.filter((name) => name === 'x-user-id')).toHaveLength(1);
});

test('other headers with underscores are end-to-end and still pass', async () => {
  const response = await get('/noetl/echo', { authorization: `Bearer ${token}`, X_Trace_Tag: 'kept' });
  expect((JSON.parse(response.body) as Echo).headers.x_trace_tag).toBe('kept');
});
