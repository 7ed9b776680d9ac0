/**
 * Issue 13: every example of the route table is what its schema accepts, parsed by the same Zod schema
 * the gateway validates with (inputs) or answers with (outputs): the OpenAPI document shows them, and
 * schemathesis sends the request examples as valid input.
 */

import { expect, test } from 'vitest';
import type { z } from 'zod';
import { ErrorBody, type Route, routeList } from '../../src/contract/index.ts';

/** Each example of a route with the schema it must fit. */
function examplesOf(route: Route): [string, z.ZodType, unknown][] {
  const found: [string, z.ZodType, unknown][] = [];
  const statuses = Object.keys(route.responses);
  if (route.kind === 'json') {
    if (route.input.from !== 'none')
      found.push([`input (${route.input.from})`, route.input.schema, route.example.input]);
    const first = route.responses[Number(statuses[0])];
    if (first?.schema) found.push([`output ${statuses[0]}`, route.output, route.example.output]);
  } else {
    if (route.body) found.push(['request body', route.body.schema, route.example?.request]);
    const first = route.responses[Number(statuses[0])];
    if (first?.schema) found.push([`response ${statuses[0]}`, first.schema, route.example?.response]);
  }
  for (const [status, spec] of Object.entries(route.responses).slice(1))
    if (spec.schema) found.push([`response ${status}`, spec.schema, spec.example]);
  for (const [status, spec] of Object.entries(route.errorBodies ?? {}))
    found.push([`error body ${status}`, spec.schema ?? ErrorBody, spec.example]);
  return found;
}

const cases = routeList.flatMap((route) =>
  examplesOf(route).map(
    ([what, schema, example]) => [`${route.method} ${route.path} ${what}`, schema, example] as const,
  ),
);

test.each(cases)('%s example fits its schema', (what, schema, example) => {
  expect(example, `${what}: no example`).not.toBeUndefined();
  const parsed = schema.safeParse(example);
  expect(parsed.success ? [] : parsed.error.issues, what).toEqual([]);
});

test('a wrong example is caught', () => {
  const route = routeList.find((r) => r.path === '/api/auth/login')!;
  const [, schema] = examplesOf(route)[0]!;
  expect(schema.safeParse({ auth0_token: 42 }).success).toBe(false);
});
