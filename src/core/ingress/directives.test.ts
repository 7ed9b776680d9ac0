import { expect, test } from 'vitest';
import { parseDirectiveSpec, resolveDirectives } from './directives.ts';

const spec = (raw: unknown) => {
  const { spec: parsed, error } = parseDirectiveSpec(raw);
  if (!parsed) throw new Error(error);
  return parsed;
};

test('routing directives must name their allowed values; priority its map', () => {
  expect(
    parseDirectiveSpec({ directives: [{ header: 'x-r', controls: 'dispatch.playbook' }] }).error,
  ).toMatch(/allowed/);
  expect(parseDirectiveSpec({ directives: [{ header: 'x-p', controls: 'priority' }] }).error).toMatch(/map/);
  expect(parseDirectiveSpec({ directives: [{ header: 'x-p', controls: 'route' }] }).error).toBeDefined();
  expect(parseDirectiveSpec(undefined)).toEqual({});
});

test('an explicit pool wins over a priority mapping declared before it; a repeated header’s last value counts', () => {
  const rules = spec({
    directives: [
      { header: 'x-priority', controls: 'priority', map: { high: 'priority' } },
      { header: 'X-Pool', controls: 'dispatch.execution_pool', allowed: ['iot', 'priority'] },
    ],
  });
  const plan = resolveDirectives(
    rules,
    new Map<string, unknown>([
      ['x-priority', 'high'],
      ['x-pool', ['priority', 'iot']],
    ]),
  );
  expect(plan.executionPool).toBe('iot');
  expect(plan.applied.map((applied) => applied.controls)).toEqual(['priority', 'dispatch.execution_pool']);
});

test('headers that no rule names, and inherited names, steer nothing', () => {
  const rules = spec({ directives: [{ header: 'constructor', controls: 'idempotency_key' }] });
  expect(resolveDirectives(rules, new Map()).applied).toEqual([]);
  expect(resolveDirectives(rules, new Map([['x-other', 'v']])).applied).toEqual([]);
});

test('W3C trace context only when propagated, a malformed traceparent dropped, baggage allowlisted', () => {
  const channel = new Map([
    ['traceparent', 'not-a-traceparent'],
    ['tracestate', 'vendor=1'],
    ['baggage', 'tenant=acme;prop=1, user=ann'],
  ]);
  expect(resolveDirectives(spec({}), channel).trace).toBeUndefined();
  const plan = resolveDirectives(
    spec({ trace: { propagate: 'w3c', baggage_allowlist: ['tenant'] } }),
    channel,
  );
  expect(plan.trace).toEqual({ tracestate: 'vendor=1', baggage: { tenant: 'acme' } });
});
