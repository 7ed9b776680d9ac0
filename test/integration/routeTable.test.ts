/**
 * The route table is the one source: every route is in the OpenAPI document, answers on the listener it
 * belongs to (and only there), and every JSON route is also its tRPC procedure.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildOpenApiDocument } from '../../src/api/openapiDocument.ts';
import { procedureRoutes } from '../../src/api/trpc.ts';
import { jsonRoutes, type Route, routeList } from '../../src/contract/index.ts';
import { freePort } from '../support/ports.ts';
import { type Stack, startStack } from '../support/stack.ts';

/** A request path for a table path: parameters filled in. */
const concrete = (route: Route) => route.path.replace('{path}', 'catalog/list').replace(/\{\w+\}/g, 'x');
const methodOf = (route: Route) => (route.method === 'ANY' ? 'GET' : route.method);

async function probe(base: string, route: Route) {
  const method = methodOf(route);
  const response = await fetch(`${base}${concrete(route)}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: method === 'GET' || method === 'HEAD' || method === 'DELETE' ? undefined : '{}',
    signal: AbortSignal.timeout(5000),
  });
  const type = response.headers.get('content-type') ?? '';
  // An event stream stays open: its head is the answer.
  const text = type.startsWith('text/event-stream') ? '' : await response.text();
  await response.body?.cancel().catch(() => {});
  return { status: response.status, text };
}

/** Whether an answer says the route exists here (whatever else it says). */
const served = (answer: { status: number; text: string }) =>
  answer.status !== 405 &&
  !(answer.status === 404 && /"code":"NOT_FOUND"/.test(answer.text) && /Not found"/.test(answer.text));

test('every route of the table is in the OpenAPI document, with its security and errors', () => {
  const document = buildOpenApiDocument();
  for (const route of routeList) {
    const item = document.paths?.[route.path] as Record<string, { operationId?: string; security?: unknown }>;
    expect(item, route.path).toBeDefined();
    const method = route.method === 'ANY' ? 'get' : route.method.toLowerCase();
    expect(item[method], `${route.method} ${route.path}`).toBeDefined();
    expect(item[method]!.security, `${route.method} ${route.path} security`).toBeDefined();
    expect(item[method]!.operationId).toBeTruthy();
  }
  // Nothing in the document that the table does not have.
  expect(Object.keys(document.paths ?? {}).sort()).toEqual(
    [...new Set(routeList.map((route) => route.path))].sort(),
  );
});

test('every JSON route is the tRPC procedure it names, and every procedure is a route', () => {
  const procedures = procedureRoutes();
  for (const route of jsonRoutes) expect(procedures.get(route.procedure)).toBe(route);
  expect(procedures.size).toBe(jsonRoutes.length);
});

describe('listeners', () => {
  let stack: Stack;
  let internalUrl: string;
  beforeAll(async () => {
    const port = await freePort();
    internalUrl = `http://127.0.0.1:${port}`;
    stack = await startStack({ GATEWAY_INTERNAL_PORT: String(port) });
  });
  afterAll(() => stack.stop());

  test.each(
    routeList.map((route) => [`${route.method} ${route.path}`, route] as const),
  )('%s answers on its listener only', async (_name, route) => {
    const onPublic = await probe(stack.url, route);
    const onInternal = await probe(internalUrl, route);
    expect(served(onPublic), `public: ${onPublic.status} ${onPublic.text}`).toBe(
      route.listener !== 'internal',
    );
    expect(served(onInternal), `internal: ${onInternal.status} ${onInternal.text}`).toBe(
      route.listener !== 'public',
    );
  });

  test.each(
    jsonRoutes.map((route) => [route.procedure, route] as const),
  )('tRPC %s answers on its listener only', async (procedure, route) => {
    const call = (base: string) =>
      fetch(`${base}/trpc/${procedure}`, {
        method: route.method === 'GET' ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json' },
        body: route.method === 'GET' ? undefined : '{}',
      });
    const [onPublic, onInternal] = await Promise.all([call(stack.url), call(internalUrl)]);
    expect(onPublic.status === 404, 'public').toBe(route.listener === 'internal');
    expect(onInternal.status === 404, 'internal').toBe(route.listener === 'public');
  });
});
