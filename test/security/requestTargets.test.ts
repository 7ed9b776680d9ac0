/**
 * Attack-pass finding 10: odd request-targets. `OPTIONS *` and `GET *` (the raw HTTP request-target `*`,
 * which fetch cannot send) answered 500 and logged a stack trace; `GET *` was later taken by the router
 * for `/`. Required: a clean answer — `OPTIONS *` 204 with `Allow`, any other method with `*` a JSON 400 in
 * the contract's shape — and nothing logged as an error. Replayed on a raw socket (node:net).
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Stack, startStack } from '../support/stack.ts';

let stack: Stack;
const logLines: string[] = [];
beforeAll(async () => {
  const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
  stack = await startStack({ LOG_LEVEL: 'info' }, {}, logger);
});
afterAll(() => stack.stop());

interface RawAnswer {
  statusLine: string;
  headers: Record<string, string>;
  body: string;
}

/** One request written byte for byte on a fresh connection; the whole answer (the server closes). */
async function rawRequest(text: string): Promise<RawAnswer> {
  const socket = connect(Number(new URL(stack.url).port), '127.0.0.1');
  await once(socket, 'connect');
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    received += chunk;
  });
  socket.write(text);
  await once(socket, 'close');
  const [head = '', body = ''] = received.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => [
      line.slice(0, line.indexOf(':')).toLowerCase(),
      line.slice(line.indexOf(':') + 1).trim(),
    ]),
  );
  return { statusLine, headers, body };
}

const errorsLogged = () =>
  logLines.filter((line) => {
    const entry = JSON.parse(line) as { level: number };
    return entry.level >= 50 || /"stack"/.test(line);
  });

test('OPTIONS * → 204 with Allow, no body', async () => {
  const answer = await rawRequest('OPTIONS * HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n');
  expect(answer.statusLine).toBe('HTTP/1.1 204 No Content');
  expect(answer.headers.allow).toBe('GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
  expect(answer.headers['x-request-id']).toBeTruthy();
  expect(answer.body).toBe('');
  expect(errorsLogged()).toEqual([]);
});

test.each([
  'GET',
  'HEAD',
  'POST',
  'DELETE',
])('%s * → 400 JSON in the contract shape, nothing routed', async (method) => {
  const body = method === 'POST' ? 'Content-Length: 2\r\nContent-Type: application/json\r\n\r\n{}' : '\r\n';
  const answer = await rawRequest(`${method} * HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n${body}`);
  expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request');
  expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
  if (method !== 'HEAD') {
    expect(JSON.parse(answer.body)).toEqual({
      error: expect.stringContaining('`*`'),
      code: 'BAD_REQUEST',
    });
    expect(answer.body).not.toContain('NoETL Gateway'); // not the index of `/`
  }
  expect(errorsLogged()).toEqual([]);
});

test('the request log names what arrived, with its real status', async () => {
  await rawRequest('GET * HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n');
  await expect
    .poll(() =>
      logLines
        .map((line) => JSON.parse(line) as { msg: string; method?: string; path?: string; status?: number })
        .filter((entry) => entry.msg === 'request' && entry.path === '*' && entry.method === 'GET')
        .map((entry) => entry.status),
    )
    .toContain(400);
});
