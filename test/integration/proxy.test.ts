import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingHttpHeaders, type IncomingMessage, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { NoetlDouble } from '../support/noetlDouble.ts';
import { SseTestClient } from '../support/sseClient.ts';
import { type Stack, startStack } from '../support/stack.ts';
import { until } from '../support/until.ts';

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  json<T = Record<string, unknown>>(): T;
}

/** Reads a whole node:http response. */
function collect(res: IncomingMessage): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => {
      const body = Buffer.concat(chunks);
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        body,
        json: <T>() => JSON.parse(body.toString('utf8')) as T,
      });
    });
    res.on('error', reject);
  });
}

/**
 * One request with node:http, which sends the path byte for byte (fetch would resolve `..` itself) and
 * reads the response without decompressing it.
 */
function raw(
  base: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string | string[]>; body?: Buffer | string } = {},
): Promise<RawResponse> {
  const url = new URL(base);
  // node:http frames a GET/DELETE body only when told its length.
  const headers =
    options.body === undefined
      ? options.headers
      : { 'content-length': String(Buffer.byteLength(options.body)), ...options.headers };
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers }, (res) =>
      collect(res).then(resolve, reject),
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

interface Echo {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  rawHeaders: string[];
  bodyBytes: number;
  bodySha256: string;
  clientPort: number;
}

let stack: Stack;
let token: string;
let auth: Record<string, string>;

beforeAll(async () => {
  stack = await startStack({ CORS_ALLOWED_ORIGINS: 'http://app.example' });
  token = await stack.login();
  auth = { authorization: `Bearer ${token}` };
});
afterAll(() => stack.stop());

const proxied = () => stack.noetl.requests.filter((r) => !r.path.startsWith('/api/auth/'));

describe('routing, methods and query strings', () => {
  test.each([
    'GET',
    'POST',
    'PUT',
    'PATCH',
    'DELETE',
  ])('%s /noetl/echo/item/7 → the same method on /api/echo/item/7', async (method) => {
    const response = await raw(stack.url, method, '/noetl/echo/item/7', {
      headers: { ...auth, 'content-type': 'application/json' },
      body: method === 'GET' ? undefined : '{"a":1}',
    });
    expect(response.status).toBe(200);
    const echo = response.json<Echo>();
    expect(echo).toMatchObject({ method, path: '/api/echo/item/7' });
    expect(echo.bodyBytes).toBe(method === 'GET' ? 0 : 7);
  });

  test('HEAD stays HEAD', async () => {
    const response = await raw(stack.url, 'HEAD', '/noetl/echo', { headers: auth });
    expect(response.status).toBe(200);
    expect(response.headers['x-upstream']).toBe('noetl-double');
    expect(stack.noetl.requests.at(-1)).toMatchObject({ method: 'HEAD', path: '/api/echo' });
  });

  test('OPTIONS without a preflight header is forwarded; a preflight is answered by CORS', async () => {
    const plain = await raw(stack.url, 'OPTIONS', '/noetl/echo', { headers: auth });
    expect(plain.json<Echo>().method).toBe('OPTIONS');
    const before = proxied().length;
    const preflight = await raw(stack.url, 'OPTIONS', '/noetl/echo', {
      headers: { origin: 'http://app.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://app.example');
    expect(proxied().length).toBe(before);
  });

  test('a GET with a body keeps its body (the reference dropped it)', async () => {
    const response = await raw(stack.url, 'GET', '/noetl/echo', {
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{"filter":"x"}',
    });
    expect(response.json<Echo>().bodyBytes).toBe(14);
  });

  test('the query string is passed exactly as sent; the path stays percent-encoded', async () => {
    const query = '?page=2&page_size=100&q=a%20b&q=c&empty=&plus=1+2';
    const response = await raw(stack.url, 'GET', `/noetl/echo/a%20b/c${query}`, { headers: auth });
    const echo = response.json<Echo>();
    expect(echo.query).toBe(query);
    expect(echo.path).toBe('/api/echo/a%20b/c');
    expect(stack.noetl.requests.at(-1)?.query).toBe(query);
  });

  test('/noetl/ with nothing after it is 404 and goes nowhere', async () => {
    const before = proxied().length;
    for (const path of ['/noetl', '/noetl/', '/noetl/?x=1']) {
      const response = await raw(stack.url, 'GET', path, { headers: auth });
      expect(response.status).toBe(404);
      expect(response.json()).toMatchObject({ error: expect.any(String) });
    }
    expect(proxied().length).toBe(before);
  });
});

describe('streaming', () => {
  test('a 5 MB upload is streamed: NoETL receives bytes before the client has sent them all', async () => {
    const body = randomBytes(5 * 1024 * 1024);
    const half = body.length / 2;
    const url = new URL(stack.url);
    const response = await new Promise<RawResponse>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: '/noetl/upload/stream',
          headers: { ...auth, 'content-type': 'application/octet-stream', 'content-length': body.length },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks);
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: text,
              json: <T>() => JSON.parse(text.toString()) as T,
            });
          });
        },
      );
      req.on('error', reject);
      req.write(body.subarray(0, half));
      // A buffering proxy would send nothing upstream until the whole body had arrived.
      until(() => stack.noetl.uploadBytesSeen > 0, 'the first bytes upstream').then(
        () => req.end(body.subarray(half)),
        reject,
      );
    });
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({
      bytes: body.length,
      sha256: createHash('sha256').update(body).digest('hex'),
    });
  });

  test('a chunked upload (no Content-Length) arrives whole', async () => {
    const body = randomBytes(256 * 1024);
    const response = await fetch(`${stack.url}/noetl/echo`, {
      method: 'POST',
      headers: auth,
      body: new Blob([body]).stream(),
      duplex: 'half',
    } as RequestInit);
    const echo = (await response.json()) as Echo;
    expect(echo.headers['transfer-encoding']).toBe('chunked');
    expect(echo.bodySha256).toBe(createHash('sha256').update(body).digest('hex'));
  });

  test('an event stream reaches the client frame by frame, before NoETL has finished it', async () => {
    const events = await SseTestClient.connect(`${stack.url}/noetl/stream/held?id=frames`, auth);
    expect(events.response.headers.get('content-type')).toBe('text/event-stream');
    expect((await events.waitForEvent('tick')).json).toEqual({ n: 0 });
    // NoETL is still holding the stream open: the frame above was not waiting for its end.
    expect(stack.noetl.heldStreams.get('frames')?.closed).toBe(false);
    const release = await fetch(`${stack.url}/noetl/stream/release?id=frames`, { headers: auth });
    expect(release.status).toBe(200);
    await events.waitForEnd();
    expect(events.events.map((event) => event.json)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
  });

  test('a client that disconnects aborts the upstream request', async () => {
    const events = await SseTestClient.connect(`${stack.url}/noetl/stream/held?id=gone`, auth);
    await events.waitForEvent('tick');
    events.close();
    await until(() => stack.noetl.heldStreams.get('gone')?.closed === true, 'the upstream stream to close');
  });

  test('upstream connections are reused (keep-alive pool)', async () => {
    const ports = new Set<number>();
    for (let i = 0; i < 5; i++) {
      const response = await raw(stack.url, 'GET', '/noetl/echo', { headers: auth });
      ports.add(response.json<Echo>().clientPort);
    }
    expect(ports.size).toBe(1);
  });
});

describe('upstream answers pass through', () => {
  test.each([400, 404, 409, 422, 500, 503])('status %i with its body', async (status) => {
    const response = await raw(stack.url, 'GET', `/noetl/status/${status}`, { headers: auth });
    expect(response.status).toBe(status);
    expect(response.json()).toEqual({ detail: `status ${status}` });
  });

  test('a redirect is passed to the client, Location kept, not followed', async () => {
    const before = proxied().length;
    const response = await raw(stack.url, 'GET', '/noetl/redirect', { headers: auth });
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('/api/echo?redirected=1');
    expect(
      proxied()
        .slice(before)
        .map((r) => r.path),
    ).toEqual(['/api/redirect']);
  });

  test('end-to-end response headers survive; hop-by-hop and upstream CORS headers do not', async () => {
    const response = await raw(stack.url, 'GET', '/noetl/hop-headers', {
      headers: { ...auth, origin: 'http://app.example' },
    });
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('a,b\n1,2\n');
    expect(response.headers).toMatchObject({
      'content-disposition': 'attachment; filename="report.csv"',
      location: '/api/elsewhere',
      'set-cookie': ['noetl=1; Path=/'],
      'content-type': 'text/csv',
      'access-control-allow-origin': 'http://app.example',
      vary: 'Origin, Accept-Encoding',
    });
    expect(response.headers['x-hop-listed']).toBeUndefined();
    expect(response.headers['proxy-authenticate']).toBeUndefined();
    expect(response.headers['keep-alive']).not.toBe('timeout=99');
    expect(response.headers['x-request-id']).not.toBe('upstream-own-id');
  });

  test('etag, cache-control and custom x- headers survive', async () => {
    const response = await raw(stack.url, 'GET', '/noetl/echo', { headers: auth });
    expect(response.headers).toMatchObject({
      etag: '"echo-1"',
      'cache-control': 'private, max-age=5',
      'x-upstream': 'noetl-double',
    });
  });
});

describe('request headers', () => {
  test('identity comes from the session; spoofed x-user-* and x-noetl-* are replaced or dropped', async () => {
    const response = await raw(stack.url, 'GET', '/noetl/echo', {
      headers: {
        ...auth,
        'x-user-id': '999',
        'X-User-Email': 'admin@evil.example',
        'x-user-roles': 'admin',
        'x-user-extra': 'spoof',
        'x-noetl-internal': 'yes',
      },
    });
    const { headers, rawHeaders } = response.json<Echo>();
    expect(headers).toMatchObject({
      'x-user-id': '1',
      'x-user-email': 'ann@example.com',
      'x-user-roles': 'developer',
    });
    expect(headers['x-user-extra']).toBeUndefined();
    expect(headers['x-noetl-internal']).toBeUndefined();
    // Exactly one of each: the spoofed values were removed, not joined with the real ones.
    expect(rawHeaders.filter((name) => name.toLowerCase() === 'x-user-id')).toHaveLength(1);
    expect(rawHeaders.filter((name) => name.toLowerCase() === 'x-user-email')).toHaveLength(1);
  });

  test('the caller’s credentials (Authorization, Cookie, X-Session-Token) are not forwarded', async () => {
    const response = await raw(stack.url, 'GET', '/noetl/echo', {
      headers: { ...auth, cookie: `session_token=${token}; theme=dark`, 'x-session-token': token },
    });
    const { headers } = response.json<Echo>();
    expect(headers.authorization).toBeUndefined();
    expect(headers.cookie).toBeUndefined();
    expect(headers['x-session-token']).toBeUndefined();
    expect(JSON.stringify(headers)).not.toContain(token);
  });

  test('hop-by-hop request headers are removed, end-to-end ones kept', async () => {
    const response = await raw(stack.url, 'GET', '/noetl/echo', {
      headers: {
        ...auth,
        connection: 'keep-alive, x-hop-listed',
        'x-hop-listed': 'secret',
        'keep-alive': 'timeout=99',
        te: 'trailers',
        'proxy-authorization': 'Basic Zm9vOmJhcg==',
        accept: 'application/json',
        'accept-encoding': 'gzip',
        'if-none-match': '"echo-1"',
        'x-custom': 'kept',
        'user-agent': 'proxy-test',
      },
    });
    const { headers } = response.json<Echo>();
    expect(headers['x-hop-listed']).toBeUndefined();
    expect(headers.te).toBeUndefined();
    expect(headers['proxy-authorization']).toBeUndefined();
    expect(headers['keep-alive']).toBeUndefined();
    expect(headers).toMatchObject({
      accept: 'application/json',
      'accept-encoding': 'gzip',
      'if-none-match': '"echo-1"',
      'x-custom': 'kept',
      'user-agent': 'proxy-test',
    });
  });

  test('X-Forwarded-* describe this hop; client-sent ones are not trusted by default', async () => {
    const response = await raw(stack.url, 'GET', '/noetl/echo', {
      headers: {
        ...auth,
        'x-forwarded-for': '6.6.6.6',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'evil',
      },
    });
    const { headers } = response.json<Echo>();
    const host = new URL(stack.url).host;
    expect(headers).toMatchObject({
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': host,
    });
  });

  test('X-Request-Id: a sane one is kept and echoed; anything else is replaced', async () => {
    const kept = await raw(stack.url, 'GET', '/noetl/echo', {
      headers: { ...auth, 'x-request-id': 'trace-42.a:b' },
    });
    expect(kept.json<Echo>().headers['x-request-id']).toBe('trace-42.a:b');
    expect(kept.headers['x-request-id']).toBe('trace-42.a:b');
    const replaced = await raw(stack.url, 'GET', '/noetl/echo', {
      headers: { ...auth, 'x-request-id': 'bad id with spaces' },
    });
    const sent = replaced.json<Echo>().headers['x-request-id'];
    expect(sent).toMatch(/^[0-9a-f-]{36}$/);
    expect(replaced.headers['x-request-id']).toBe(sent);
  });
});

describe('refusals before anything is sent upstream', () => {
  test('401 without a session, and with an unknown one', async () => {
    const before = stack.noetl.requestsTo('/api/echo').length;
    const none = await raw(stack.url, 'GET', '/noetl/echo');
    expect(none.status).toBe(401);
    expect(none.json()).toMatchObject({ error: expect.any(String) });
    const unknown = await raw(stack.url, 'GET', '/noetl/echo', { headers: { authorization: 'Bearer nope' } });
    expect(unknown.status).toBe(401);
    expect(stack.noetl.requestsTo('/api/echo').length).toBe(before);
  });

  test.each([
    '/noetl/../admin',
    '/noetl/a/../../admin',
    '/noetl/./echo',
    '/noetl/%2e%2e/admin',
    '/noetl/%2E%2E/admin',
    '/noetl/.%2e/admin',
    '/noetl/%252e%252e/admin',
    '/noetl/echo%2f..%2f..%2fadmin',
    '/noetl/echo%2Fx',
    '/noetl/echo%5c..%5cadmin',
    '/noetl/echo\\..\\admin',
    '/noetl/echo/%00',
  ])('%s → 400, nothing recorded upstream', async (path) => {
    const before = stack.noetl.requests.length;
    const response = await raw(stack.url, 'GET', path, { headers: auth });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toContain('application/json');
    expect(response.json()).toMatchObject({ error: expect.any(String) });
    expect(stack.noetl.requests.length).toBe(before);
  });
});

describe('limits and failures', () => {
  let limited: Stack;
  let limitedAuth: Record<string, string>;
  const MiB = 1024 * 1024;

  beforeAll(async () => {
    limited = await startStack({
      GATEWAY_PROXY_TIMEOUT_SECS: '1',
      GATEWAY_PROXY_MAX_BODY_BYTES: String(MiB),
      GATEWAY_TRUST_PROXY: '1',
    });
    limitedAuth = { authorization: `Bearer ${await limited.login()}` };
  });
  afterAll(() => limited.stop());

  test('behind a trusted proxy (GATEWAY_TRUST_PROXY > 0) the forwarded chain grows, proto and host are kept', async () => {
    const response = await raw(limited.url, 'GET', '/noetl/echo', {
      headers: {
        ...limitedAuth,
        'x-forwarded-for': '203.0.113.7',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'gateway.example',
      },
    });
    expect(response.json<Echo>().headers).toMatchObject({
      'x-forwarded-for': '203.0.113.7, 127.0.0.1',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'gateway.example',
    });
  });

  test('a body at the cap passes', async () => {
    const response = await raw(limited.url, 'POST', '/noetl/echo', {
      headers: limitedAuth,
      body: Buffer.alloc(MiB),
    });
    expect(response.json<Echo>().bodyBytes).toBe(MiB);
  });

  test('Content-Length over the cap → 413 at once, nothing sent upstream', async () => {
    const before = limited.noetl.requests.length;
    const url = new URL(limited.url);
    const response = await new Promise<RawResponse>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: '/noetl/echo',
          headers: { ...limitedAuth, 'content-length': MiB + 1 },
        },
        (res) => collect(res).then(resolve, reject),
      );
      req.on('error', reject);
      req.flushHeaders(); // headers only: the gateway must answer without reading the body
    });
    expect(response.status).toBe(413);
    expect(response.json()).toMatchObject({ error: expect.stringContaining('too large') });
    expect(limited.noetl.requests.length).toBe(before);
  });

  test('a chunked body growing past the cap → 413', async () => {
    const url = new URL(limited.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: url.hostname, port: url.port, method: 'POST', path: '/noetl/echo', headers: limitedAuth },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', (error) => (answered ? undefined : reject(error)));
      let answered = false;
      req.on('response', () => {
        answered = true;
      });
      const chunk = Buffer.alloc(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (!answered && sent < 4 * MiB) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!answered) req.end();
      };
      pump();
    });
    expect(status).toBe(413);
  });

  test('upstream slow → 504 within the configured timeout', async () => {
    const started = Date.now();
    const response = await raw(limited.url, 'GET', '/noetl/slow/3000', { headers: limitedAuth });
    expect(response.status).toBe(504);
    expect(response.json()).toMatchObject({ error: expect.stringContaining('1 s') });
    expect(Date.now() - started).toBeLessThan(2900);
  });

  test('upstream down → 502 with a JSON error', async () => {
    await limited.noetl.stop();
    const response = await raw(limited.url, 'GET', '/noetl/echo', { headers: limitedAuth });
    expect(response.status).toBe(502);
    expect(response.headers['content-type']).toContain('application/json');
    expect(response.json()).toMatchObject({ error: expect.stringContaining('Proxy request failed') });
  });
});

describe('shard routing', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'gateway-shards-'));
    dirs.push(dir);
    return dir;
  };
  let sharded: Stack;
  let shards: NoetlDouble[];
  let shardAuth: Record<string, string>;

  beforeAll(async () => {
    shards = await Promise.all([new NoetlDouble().start(), new NoetlDouble().start()]);
    const dir = tempDir();
    const file = join(dir, 'gateway.toml');
    // Listed out of order on purpose: shard_index, not position, decides.
    writeFileSync(
      file,
      `[[noetl.shards]]\nshard_index = 1\nbase_url = "${shards[1]!.url}"\n\n` +
        `[[noetl.shards]]\nshard_index = 0\nbase_url = "${shards[0]!.url}"\n`,
    );
    sharded = await startStack({ GATEWAY_CONFIG: file });
    shardAuth = { authorization: `Bearer ${await sharded.login()}` };
  });
  afterAll(async () => {
    await sharded.stop();
    await Promise.all(shards.map((shard) => shard.stop()));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const servedBy = (path: string) =>
    [sharded.noetl, ...shards].map((server) => server.requests.filter((r) => r.path === path).length);

  // Shard indices for 2 shards from the independently computed table in test/unit/proxyShardRouting.test.ts.
  test.each([
    ['635758340626186456', 0],
    ['635758340626186455', 1],
  ])('executions/%s goes to shard %i', async (id, shard) => {
    await raw(sharded.url, 'GET', `/noetl/executions/${id}/status`, { headers: shardAuth });
    await raw(sharded.url, 'GET', `/noetl/vars/${id}`, { headers: shardAuth });
    const expected = shard === 0 ? [0, 1, 0] : [0, 0, 1];
    expect(servedBy(`/api/executions/${id}/status`)).toEqual(expected);
    expect(servedBy(`/api/vars/${id}`)).toEqual(expected);
  });

  test('events are routed by the execution_id in the body, which arrives intact', async () => {
    const body = '{"execution_id": 635758340626186455, "events": [{"type": "step.exit"}]}';
    const response = await raw(sharded.url, 'POST', '/noetl/events', {
      headers: { ...shardAuth, 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(200); // who answered is what counts
    expect(servedBy('/api/events')).toEqual([0, 0, 1]);
    expect(shards[1]!.requestsTo('/api/events')[0]?.rawBody.toString()).toBe(body);
    await raw(sharded.url, 'POST', '/noetl/events/batch', {
      headers: { ...shardAuth, 'content-type': 'application/json' },
      body: '{"execution_id": "635758340626186456"}',
    });
    expect(servedBy('/api/events/batch')).toEqual([0, 1, 0]);
  });

  test('everything else, and events without a usable id, go to NOETL_BASE_URL', async () => {
    await raw(sharded.url, 'GET', '/noetl/catalog/list', { headers: shardAuth });
    await raw(sharded.url, 'POST', '/noetl/events', { headers: shardAuth, body: 'not json' });
    expect(servedBy('/api/catalog/list')).toEqual([1, 0, 0]);
    expect(servedBy('/api/events')).toEqual([1, 0, 1]);
  });

  test('a shard list that does not cover 0..N-1 exactly once stops the start', () => {
    const dir = tempDir();
    const gap = join(dir, 'gap.toml');
    writeFileSync(
      gap,
      '[[noetl.shards]]\nshard_index = 0\nbase_url = "http://a:1"\n[[noetl.shards]]\nshard_index = 2\nbase_url = "http://b:1"\n',
    );
    expect(() => loadConfig({ GATEWAY_CONFIG: gap })).toThrow(ConfigError);
    expect(() => loadConfig({ GATEWAY_CONFIG: gap })).toThrow(/cover 0\.\.1 exactly once/);
    const twice = join(dir, 'twice.toml');
    writeFileSync(
      twice,
      '[[noetl.shards]]\nshard_index = 0\nbase_url = "http://a:1"\n[[noetl.shards]]\nshard_index = 0\nbase_url = "http://b:1"\n',
    );
    expect(() => loadConfig({ GATEWAY_CONFIG: twice })).toThrow(/appears more than once/);
    expect(loadConfig({ NOETL_SHARDS: 'http://a:1, http://b:2/' }).noetl.shards).toEqual([
      'http://a:1',
      'http://b:2',
    ]);
    expect(loadConfig({}).noetl.shards).toEqual([]);
  });
});

describe('GET /sharding/preview (public)', () => {
  test('answers the shard with the id as an exact JSON integer', async () => {
    const response = await raw(
      stack.url,
      'GET',
      '/sharding/preview?execution_id=635758340626186455&shard_count=1024',
    );
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe(
      '{"execution_id":635758340626186455,"shard_count":1024,"shard_index":659,"source":"noetl-gateway","hash_function":"twox_hash::XxHash64","seed":0}',
    );
  });

  test.each([
    ['execution_id=x&shard_count=4', 'execution_id "x" is not a valid i64'],
    [
      'execution_id=9223372036854775808&shard_count=4',
      'execution_id "9223372036854775808" is not a valid i64',
    ],
    ['execution_id=1&shard_count=0', 'shard_count must be >= 1'],
    ['execution_id=1&shard_count=2000', 'shard_count 2000 exceeds practical maximum 1024'],
    ['shard_count=4', 'Failed to deserialize query string: missing field `execution_id`'],
    ['execution_id=1', 'Failed to deserialize query string: missing field `shard_count`'],
  ])('%s → 400 %s', async (query, message) => {
    const response = await raw(stack.url, 'GET', `/sharding/preview?${query}`);
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ error: message });
  });
});

test('proxied requests are measured under the route label /noetl/*', async () => {
  await raw(stack.url, 'GET', '/noetl/status/418', { headers: auth });
  const metrics = (await raw(stack.url, 'GET', '/metrics')).body.toString();
  expect(metrics).toMatch(
    /noetl_gateway_http_request_seconds_count\{[^}]*route="\/noetl\/\*"[^}]*status="418"/,
  );
});

test('the runtime contract describes the proxy as it behaves', async () => {
  const response = await raw(stack.url, 'GET', '/api/runtime/contract');
  const contract = response.json<{ proxy_contract: Record<string, unknown>; routes: { public: string[] } }>();
  expect(contract.proxy_contract).toMatchObject({
    incoming_prefix: '/noetl/',
    upstream_prefix: '/api/',
    added_request_headers: expect.arrayContaining([
      'x-user-id',
      'x-user-email',
      'x-user-roles',
      'x-request-id',
    ]),
  });
  expect(contract.routes.public).toContain('GET /sharding/preview');
});
