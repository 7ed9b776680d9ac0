/**
 * W3C trace context from the client through the gateway to NoETL (the double records every request's
 * headers), and spans exported over OTLP/HTTP (protobuf) to a receiver in this file.
 *
 * Tracing off (no endpoint): a valid incoming `traceparent`/`tracestate` reaches NoETL unchanged through
 * execute (REST, tRPC, GraphQL) and `/noetl/*`; nothing is invented. Tracing on: the same trace id reaches
 * NoETL with the gateway's client span as parent; without an incoming one a new trace starts; the spans
 * (server → client, server → NATS producer) arrive at the receiver.
 */
import { randomBytes } from 'node:crypto';
import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AppRouter } from '../../src/api/router.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { isTraceparent } from '../../src/observability/tracing.ts';
import { NatsServer } from '../support/natsServer.ts';
import type { RecordedRequest } from '../support/noetlDouble.ts';
import { type Stack, startStack } from '../support/stack.ts';

// ---- a tiny OTLP/HTTP receiver: protobuf wire format, as opentelemetry-proto defines it ---------------

type WireValue = bigint | Buffer;

/** One protobuf message's fields by number (varints as bigint; length-delimited and fixed as bytes). */
function fieldsOf(bytes: Buffer): Map<number, WireValue[]> {
  const fields = new Map<number, WireValue[]>();
  let at = 0;
  const varint = (): bigint => {
    let value = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = bytes[at++];
      if (byte === undefined) throw new Error('truncated varint');
      value |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value;
    }
  };
  while (at < bytes.length) {
    const key = Number(varint());
    const take = (length: number) => {
      at += length;
      return bytes.subarray(at - length, at);
    };
    let value: WireValue;
    switch (key & 7) {
      case 0:
        value = varint();
        break;
      case 1:
        value = take(8);
        break;
      case 2:
        value = take(Number(varint()));
        break;
      case 5:
        value = take(4);
        break;
      default:
        throw new Error(`unexpected wire type ${key & 7}`);
    }
    const list = fields.get(key >>> 3) ?? [];
    list.push(value);
    fields.set(key >>> 3, list);
  }
  return fields;
}

const bytesOf = (fields: Map<number, WireValue[]>, field: number): Buffer[] =>
  (fields.get(field) ?? []) as Buffer[];
const textOf = (fields: Map<number, WireValue[]>, field: number): string =>
  bytesOf(fields, field)[0]?.toString('utf8') ?? '';
const hexOf = (fields: Map<number, WireValue[]>, field: number): string =>
  bytesOf(fields, field)[0]?.toString('hex') ?? '';
const numberOf = (fields: Map<number, WireValue[]>, field: number): number =>
  Number((fields.get(field)?.[0] as bigint | undefined) ?? 0n);

/** KeyValue list → plain object (AnyValue: 1 string, 2 bool, 3 int, 4 double). */
function attributesOf(list: Buffer[]): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const item of list) {
    const pair = fieldsOf(item);
    const value = fieldsOf(bytesOf(pair, 2)[0] ?? Buffer.alloc(0));
    const key = textOf(pair, 1);
    if (value.has(1)) out[key] = textOf(value, 1);
    else if (value.has(2)) out[key] = numberOf(value, 2) === 1;
    else if (value.has(3)) out[key] = numberOf(value, 3);
    else if (value.has(4)) out[key] = bytesOf(value, 4)[0]!.readDoubleLE(0);
  }
  return out;
}

/** SpanKind of opentelemetry-proto. */
const KIND = { server: 2, client: 3, producer: 4 } as const;

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, string | number | boolean>;
  /** Status code: 0 unset, 1 ok, 2 error. */
  status: number;
  resource: Record<string, string | number | boolean>;
}

/** ExportTraceServiceRequest → its spans (resource_spans 1 → resource 1, scope_spans 2 → spans 2). */
function decodeExport(body: Buffer): ExportedSpan[] {
  const spans: ExportedSpan[] = [];
  for (const resourceSpans of bytesOf(fieldsOf(body), 1)) {
    const rs = fieldsOf(resourceSpans);
    const resource = attributesOf(bytesOf(fieldsOf(bytesOf(rs, 1)[0] ?? Buffer.alloc(0)), 1));
    for (const scopeSpans of bytesOf(rs, 2))
      for (const encoded of bytesOf(fieldsOf(scopeSpans), 2)) {
        const span = fieldsOf(encoded);
        spans.push({
          traceId: hexOf(span, 1),
          spanId: hexOf(span, 2),
          parentSpanId: hexOf(span, 4),
          name: textOf(span, 5),
          kind: numberOf(span, 6),
          attributes: attributesOf(bytesOf(span, 9)),
          status: numberOf(fieldsOf(bytesOf(span, 15)[0] ?? Buffer.alloc(0)), 3),
          resource,
        });
      }
  }
  return spans;
}

class OtlpReceiver {
  readonly spans: ExportedSpan[] = [];
  readonly exports: { path: string; contentType: string | undefined }[] = [];
  readonly #waiters = new Set<() => void>();
  #server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.#server = createServer((req, res) => void this.#receive(req).then(() => res.end()));
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async #receive(req: IncomingMessage): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body = Buffer.concat(chunks);
    if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
    this.exports.push({ path: req.url ?? '', contentType: req.headers['content-type'] });
    this.spans.push(...decodeExport(body));
    for (const wake of this.#waiters) wake();
  }

  /** Resolves with the spans matching `pick` once `count` of them have arrived. */
  waitFor(pick: (span: ExportedSpan) => boolean, count = 1, timeoutMs = 10_000): Promise<ExportedSpan[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.spans.filter(pick);
        if (found.length < count) return;
        this.#waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`spans not exported; have: ${this.spans.map((span) => span.name).join(', ')}`));
      }, timeoutMs);
      this.#waiters.add(check);
      check();
    });
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}

// ---- helpers -----------------------------------------------------------------------------------------

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** A fresh caller context: `00-<trace>-<parent>-<flags>`. */
function callerContext(sampled = true) {
  const traceId = hex(16);
  const parentId = hex(8);
  return { traceId, parentId, traceparent: `00-${traceId}-${parentId}-${sampled ? '01' : '00'}` };
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-(0[01])$/;

function traceparentAt(request: RecordedRequest | undefined): {
  traceId: string;
  parentId: string;
  flags: string;
} {
  const header = request?.headers.traceparent;
  const match = typeof header === 'string' ? TRACEPARENT.exec(header) : null;
  if (!match) throw new Error(`NoETL got no valid traceparent: ${JSON.stringify(header)}`);
  return { traceId: match[1]!, parentId: match[2]!, flags: match[3]! };
}

/** The request NoETL received for the execute of this playbook path. */
function executeOf(stack: Stack, path: string): RecordedRequest {
  const found = stack.noetl
    .requestsTo('/api/execute')
    .find((request) => (request.body as { path?: string }).path === path);
  if (!found) throw new Error(`no execute of ${path} reached NoETL`);
  return found;
}

const GRAPHQL_EXECUTE = `mutation ExecutePlaybook($name: String!) {
  executePlaybook(name: $name) { executionId }
}`;

async function executeAll(
  stack: Stack,
  token: string,
  path: string,
  headers: Record<string, string>,
): Promise<void> {
  const auth = { authorization: `Bearer ${token}`, ...headers };
  const rest = await stack.post('/api/playbooks/execute', { path: `${path}/rest` }, auth);
  expect(rest.status).toBe(200);
  const trpc = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${stack.url}/trpc`, headers: auth })],
  });
  await trpc.playbooks.execute.mutate({ path: `${path}/trpc` });
  const graphql = await stack.post(
    '/graphql',
    { query: GRAPHQL_EXECUTE, variables: { name: `${path}/graphql` } },
    auth,
  );
  expect(graphql.status).toBe(200);
  expect(((await graphql.json()) as { errors?: unknown }).errors).toBeUndefined();
}

/** GET /noetl/echo with these headers; the double answers with the headers it received. */
async function echoThroughProxy(
  stack: Stack,
  token: string,
  headers: Record<string, string>,
): Promise<Record<string, string | undefined>> {
  const response = await fetch(`${stack.url}/noetl/echo`, {
    headers: { authorization: `Bearer ${token}`, ...headers },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { headers: Record<string, string | undefined> }).headers;
}

// ---- tracing off ------------------------------------------------------------------------------------

describe('tracing off (no OTLP endpoint): the caller’s trace context is relayed unchanged', () => {
  let stack: Stack;
  let token: string;
  beforeAll(async () => {
    stack = await startStack();
    token = await stack.login();
  });
  afterAll(() => stack.stop());

  test('execute over REST, tRPC and GraphQL: traceparent and tracestate reach NoETL as sent', async () => {
    const caller = callerContext();
    await executeAll(stack, token, 'trace/off', {
      traceparent: caller.traceparent,
      tracestate: 'vendor=abc,x=1',
    });
    for (const transport of ['rest', 'trpc', 'graphql']) {
      const request = executeOf(stack, `trace/off/${transport}`);
      expect(request.headers.traceparent, transport).toBe(caller.traceparent);
      expect(request.headers.tracestate, transport).toBe('vendor=abc,x=1');
    }
  });

  test('/noetl/* relays them as any end-to-end header', async () => {
    const caller = callerContext();
    const seen = await echoThroughProxy(stack, token, { traceparent: caller.traceparent, tracestate: 'v=1' });
    expect(seen.traceparent).toBe(caller.traceparent);
    expect(seen.tracestate).toBe('v=1');
  });

  test('without one (or with an invalid one) NoETL gets none: nothing is invented when off', async () => {
    await executeAll(stack, token, 'trace/none', {});
    await executeAll(stack, token, 'trace/zeros', { traceparent: `00-${'0'.repeat(32)}-${hex(8)}-01` });
    for (const transport of ['rest', 'trpc', 'graphql']) {
      expect(executeOf(stack, `trace/none/${transport}`).headers.traceparent).toBeUndefined();
      expect(executeOf(stack, `trace/zeros/${transport}`).headers.traceparent).toBeUndefined();
    }
  });

  test('concurrent requests on one keep-alive connection, bodies sent slowly: each keeps its own context', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (path: string, traceparent: string | undefined) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          `${stack.url}/api/playbooks/execute`,
          {
            method: 'POST',
            agent,
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${token}`,
              ...(traceparent ? { traceparent } : {}),
            },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        // The body comes in three writes, after the headers: parsing ends in a later event than the hook.
        req.write('{"path":');
        setImmediate(() => {
          req.write(JSON.stringify(path));
          setImmediate(() => req.end('}'));
        });
      });
    const contexts = [callerContext(), undefined, callerContext(), undefined, callerContext()];
    const statuses = await Promise.all(
      contexts.map((context, index) => send(`trace/concurrent/${index}`, context?.traceparent)),
    );
    agent.destroy();
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    for (const [index, context] of contexts.entries())
      expect(executeOf(stack, `trace/concurrent/${index}`).headers.traceparent).toBe(context?.traceparent);
  });
});

// ---- tracing on -------------------------------------------------------------------------------------

describe('tracing on (OTEL_EXPORTER_OTLP_ENDPOINT): spans exported, the trace continues at NoETL', () => {
  let receiver: OtlpReceiver;
  let stack: Stack;
  let token: string;
  beforeAll(async () => {
    receiver = await new OtlpReceiver().start();
    stack = await startStack({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '20',
      OTEL_SERVICE_NAME: 'gateway-under-test',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test',
    });
    token = await stack.login();
  });
  afterAll(async () => {
    await stack.stop();
    await receiver.stop();
  });

  test('an incoming traceparent is continued: same trace id at NoETL, parented by the gateway’s client span', async () => {
    const caller = callerContext();
    await executeAll(stack, token, 'trace/on', { traceparent: caller.traceparent, tracestate: 'vendor=abc' });
    for (const transport of ['rest', 'trpc', 'graphql']) {
      const request = executeOf(stack, `trace/on/${transport}`);
      const sent = traceparentAt(request);
      expect(sent.traceId, transport).toBe(caller.traceId);
      expect(sent.parentId, transport).not.toBe(caller.parentId);
      expect(sent.flags).toBe('01');
      expect(request.headers.tracestate, transport).toBe('vendor=abc');
    }

    // REST, tRPC, GraphQL: three server spans parented by the caller, each with a `noetl execute` child
    // whose span id is the parent NoETL was told.
    const servers = await receiver.waitFor(
      (span) => span.traceId === caller.traceId && span.kind === KIND.server,
      3,
    );
    expect(servers.map((span) => span.parentSpanId)).toEqual([
      caller.parentId,
      caller.parentId,
      caller.parentId,
    ]);
    expect(servers.map((span) => span.attributes['http.route']).sort()).toEqual([
      '/api/playbooks/execute',
      '/graphql',
      '/trpc/:path',
    ]);
    const clients = await receiver.waitFor(
      (span) => span.traceId === caller.traceId && span.name === 'noetl execute',
      3,
    );
    for (const transport of ['rest', 'trpc', 'graphql']) {
      const sent = traceparentAt(executeOf(stack, `trace/on/${transport}`));
      const client = clients.find((span) => span.spanId === sent.parentId);
      expect(client, transport).toBeDefined();
      expect(client!.kind).toBe(KIND.client);
      expect(client!.attributes['http.response.status_code']).toBe(200);
      expect(servers.map((span) => span.spanId)).toContain(client!.parentSpanId);
    }
    const rest = servers.find((span) => span.attributes['http.route'] === '/api/playbooks/execute')!;
    expect(rest.name).toBe('POST /api/playbooks/execute');
    expect(rest.attributes['http.response.status_code']).toBe(200);
    expect(rest.resource['service.name']).toBe('gateway-under-test');
    expect(rest.resource['deployment.environment.name']).toBe('test');
    expect(receiver.exports[0]).toEqual({ path: '/v1/traces', contentType: 'application/x-protobuf' });
  });

  test('without an incoming traceparent a new trace starts, and NoETL is told its id', async () => {
    await executeAll(stack, token, 'trace/new', {});
    const ids = new Set<string>();
    for (const transport of ['rest', 'trpc', 'graphql']) {
      const sent = traceparentAt(executeOf(stack, `trace/new/${transport}`));
      expect(isTraceparent(`00-${sent.traceId}-${sent.parentId}-${sent.flags}`)).toBe(true);
      ids.add(sent.traceId);
      const [root] = await receiver.waitFor(
        (span) => span.traceId === sent.traceId && span.kind === KIND.server,
      );
      expect(root!.parentSpanId).toBe('');
    }
    expect(ids.size).toBe(3);
  });

  test('/noetl/*: the caller’s traceparent is replaced by the gateway’s span in the same trace', async () => {
    const caller = callerContext();
    const seen = await echoThroughProxy(stack, token, { traceparent: caller.traceparent, tracestate: 'v=1' });
    const match = TRACEPARENT.exec(seen.traceparent ?? '');
    expect(match?.[1]).toBe(caller.traceId);
    expect(match?.[2]).not.toBe(caller.parentId);
    expect(seen.tracestate).toBe('v=1');
    const [client] = await receiver.waitFor((span) => span.spanId === match![2]);
    expect(client!.name).toBe('noetl proxy GET');
    expect(client!.kind).toBe(KIND.client);
    expect(client!.attributes['url.path']).toBe('/api/echo');
    expect(client!.attributes['http.response.status_code']).toBe(200);
    const [server] = await receiver.waitFor((span) => span.spanId === client!.parentSpanId);
    expect(server!.kind).toBe(KIND.server);
    expect(server!.parentSpanId).toBe(caller.parentId);

    // Without one: a new trace, still one context (no second traceparent header).
    const fresh = await echoThroughProxy(stack, token, {});
    expect(fresh.traceparent).toMatch(TRACEPARENT);
  });

  test('a caller that does not sample: the trace id is kept, unsampled, and nothing is exported for it', async () => {
    const quiet = callerContext(false);
    const rest = await stack.post(
      '/api/playbooks/execute',
      { path: 'trace/unsampled' },
      { authorization: `Bearer ${token}`, traceparent: quiet.traceparent },
    );
    expect(rest.status).toBe(200);
    const sent = traceparentAt(executeOf(stack, 'trace/unsampled'));
    expect(sent.traceId).toBe(quiet.traceId);
    expect(sent.flags).toBe('00');
    // A sampled request after it: once its spans are exported, the earlier (ended first) would have been.
    const loud = callerContext();
    await stack.post(
      '/api/playbooks/execute',
      { path: 'trace/after' },
      {
        authorization: `Bearer ${token}`,
        traceparent: loud.traceparent,
      },
    );
    await receiver.waitFor((span) => span.traceId === loud.traceId && span.kind === KIND.server);
    expect(receiver.spans.filter((span) => span.traceId === quiet.traceId)).toEqual([]);
  });

  test('a failing NoETL call is an error span; the gateway’s 5xx answer marks its server span', async () => {
    const caller = callerContext();
    const response = await stack.post(
      '/api/playbooks/execute',
      { path: 'broken/x' },
      {
        authorization: `Bearer ${token}`,
        traceparent: caller.traceparent,
      },
    );
    expect(response.status).toBe(502);
    const [client] = await receiver.waitFor(
      (span) => span.traceId === caller.traceId && span.kind === KIND.client,
    );
    expect(client!.status).toBe(2);
    expect(client!.attributes['http.response.status_code']).toBe(500);
    const [server] = await receiver.waitFor(
      (span) => span.traceId === caller.traceId && span.kind === KIND.server,
    );
    expect(server!.status).toBe(2);
    expect(server!.attributes['http.response.status_code']).toBe(502);
  });
});

describe('tracing on with NATS: publishes are spans of the request that made them', () => {
  let receiver: OtlpReceiver;
  let nats: NatsServer;
  let stack: Stack;
  beforeAll(async () => {
    receiver = await new OtlpReceiver().start();
    nats = await NatsServer.start();
    stack = await startStack({
      NATS_URL: nats.url,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/custom/traces`,
      OTEL_BSP_SCHEDULE_DELAY: '20',
    });
  });
  afterAll(async () => {
    await stack.stop();
    await nats.close();
    await receiver.stop();
  });

  test('callback/async → the frame stored on JetStream: a producer span under the callback’s span', async () => {
    const token = await stack.login();
    const events = await stack.events(token);
    await events.waitForEvent('message');
    const started = (await (
      await stack.post(
        '/api/playbooks/execute',
        { path: 'trace/nats', client_id: events.clientId },
        { authorization: `Bearer ${token}` },
      )
    ).json()) as { request_id: string };
    const caller = callerContext();
    const callback = await stack.post(
      '/api/internal/callback/async',
      { request_id: started.request_id, status: 'COMPLETED', data: { ok: true } },
      { traceparent: caller.traceparent },
    );
    expect(callback.status).toBe(200);
    await events.waitForEvent('playbook/result');
    events.close();

    const [server] = await receiver.waitFor(
      (span) => span.traceId === caller.traceId && span.kind === KIND.server,
    );
    expect(server!.attributes['http.route']).toBe('/api/internal/callback/async');
    const producers = await receiver.waitFor(
      (span) => span.traceId === caller.traceId && span.kind === KIND.producer,
    );
    expect(producers[0]!.name).toBe('nats publish');
    expect(producers[0]!.parentSpanId).toBe(server!.spanId);
    expect(producers[0]!.attributes['messaging.system']).toBe('nats');
    expect(String(producers[0]!.attributes['messaging.destination.name'])).toContain(events.clientId);
    expect(receiver.exports.every((sent) => sent.path === '/custom/traces')).toBe(true);
  });
});

// ---- configuration ----------------------------------------------------------------------------------

describe('tracing configuration', () => {
  test('endpoint → /v1/traces; the traces endpoint wins; OTEL_SDK_DISABLED turns export off', () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing.tracesUrl).toBe(
      'http://collector:4318/v1/traces',
    );
    expect(
      loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://other:4318/traces',
      }).tracing.tracesUrl,
    ).toBe('http://other:4318/traces');
    expect(loadConfig({}).tracing.tracesUrl).toBeUndefined();
    expect(
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }).tracing
        .tracesUrl,
    ).toBeUndefined();
  });

  test('headers are decoded pairs and never echoed in an error; unsupported protocols are refused', () => {
    expect(
      loadConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20s3cret, x-tenant = a' }).tracing
        .headers,
    ).toEqual({ authorization: 'Bearer s3cret', 'x-tenant': 'a' });
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_HEADERS: 's3cret-token-without-name' })).toThrow(
      /OTEL_EXPORTER_OTLP_HEADERS.*key=value/s,
    );
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'a=ok,no-equals-sign-s3cret' })).toThrow(
      /^(?!.*s3cret)[\s\S]*value hidden/,
    );
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(ConfigError);
    expect(() => loadConfig({ OTEL_BSP_MAX_QUEUE_SIZE: '10', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '20' })).toThrow(
      /OTEL_BSP_MAX_EXPORT_BATCH_SIZE/,
    );
  });

  test('traceparent validation (W3C Trace Context level 1)', () => {
    const trace = hex(16);
    const parent = hex(8);
    expect(isTraceparent(`00-${trace}-${parent}-01`)).toBe(true);
    expect(isTraceparent(`00-${trace}-${parent}-01-extra`)).toBe(false);
    expect(isTraceparent(`01-${trace}-${parent}-01-extra`)).toBe(true);
    expect(isTraceparent(`ff-${trace}-${parent}-01`)).toBe(false);
    expect(isTraceparent(`00-${trace.toUpperCase()}-${parent}-01`)).toBe(false);
    expect(isTraceparent(`00-${trace}-${'0'.repeat(16)}-01`)).toBe(false);
    expect(isTraceparent(`00-${trace}-${parent}-01, 00-${trace}-${parent}-01`)).toBe(false);
  });
});
