/**
 * Attack-pass finding: every made-up session token ran a NoETL validate playbook (50 unauthenticated
 * requests with junk tokens started 50 validations in 0.9 s, and a repeated token counted again).
 * Required: repeats and concurrent copies of a token cost one validation (negative cache, single flight),
 * and one client address cannot start more than GATEWAY_AUTH_FAILED_PER_MINUTE failing validations
 * (then 429 with Retry-After). Real HTTP, the NoETL double counts the validate playbooks it runs.
 */
import { afterEach, expect, test } from 'vitest';
import { type Stack, startStack } from '../support/stack.ts';

const stacks: Stack[] = [];
afterEach(async () => {
  for (const stack of stacks.splice(0)) await stack.stop();
});

async function stack(env: Record<string, string>): Promise<Stack> {
  const started = await startStack({ GATEWAY_SESSION_VALIDATE_VIA_PLAYBOOK: 'true', ...env });
  stacks.push(started);
  return started;
}

function validations(stack: Stack): number {
  return stack.noetl.executeBodies().filter((body) => body.path === stack.noetl.options.validatePlaybook)
    .length;
}

/** A protected route called with a made-up token: its status and Retry-After. */
async function probe(stack: Stack, token: string, via: 'execute' | 'events' | 'validate') {
  const response =
    via === 'execute'
      ? await stack.post(
          '/api/playbooks/execute',
          { path: 'demo/x', client_id: 'c-1' },
          { authorization: `Bearer ${token}` },
        )
      : via === 'events'
        ? await fetch(`${stack.url}/events?session_token=${token}`)
        : await stack.post('/api/auth/validate', { session_token: token });
  const text = await response.text();
  return { status: response.status, retryAfter: response.headers.get('retry-after'), text };
}

test('50 junk-token requests, 5 tokens repeated and concurrent: 5 validations, then none', async () => {
  const gateway = await stack({});
  const tokens = Array.from({ length: 5 }, (_, i) => `junk-token-${i}-${'x'.repeat(20)}`);
  const routes = ['execute', 'events', 'validate'] as const;
  const burst = Array.from({ length: 50 }, (_, i) => probe(gateway, tokens[i % 5]!, routes[i % 3]!));
  const answers = await Promise.all(burst);
  // Rejected as usual: 401, the error frame on the stream, `valid: false` from validate.
  for (const answer of answers) expect([200, 401], answer.text).toContain(answer.status);
  expect(answers.filter((answer) => answer.status === 401).length).toBeGreaterThan(0);
  expect(validations(gateway)).toBe(5);

  // The same tokens again, one by one: answered from the negative cache.
  for (const token of tokens) expect((await probe(gateway, token, 'execute')).status).toBe(401);
  expect(validations(gateway)).toBe(5);

  // A real user is not affected.
  const session = await gateway.login('ann');
  expect((await probe(gateway, session, 'execute')).status).not.toBe(401);
});

test('50 distinct junk tokens from one address, concurrently: at most the per-address limit validate, the rest get 429', async () => {
  const gateway = await stack({ GATEWAY_AUTH_FAILED_PER_MINUTE: '10' });
  const answers = await Promise.all(
    Array.from({ length: 50 }, (_, i) => probe(gateway, `junk-${i}-${'y'.repeat(20)}`, 'execute')),
  );
  expect(validations(gateway)).toBeLessThanOrEqual(10);
  const refused = answers.filter((answer) => answer.status === 429);
  expect(refused.length).toBeGreaterThanOrEqual(40);
  expect(answers.filter((answer) => answer.status === 401).length).toBe(50 - refused.length);
  for (const answer of refused) {
    expect(Number(answer.retryAfter)).toBeGreaterThan(0);
    expect(answer.text).toMatch(/too many invalid session tokens/i);
  }

  // More junk from that address is refused without a validation; a logged-in user still gets through.
  expect((await probe(gateway, 'one-more-junk-token-zzzzzzzz', 'events')).status).toBe(429);
  expect(validations(gateway)).toBeLessThanOrEqual(10);
  const session = await gateway.login('bob');
  expect((await probe(gateway, session, 'execute')).status).not.toBe(401);
});

test('POST /api/auth/validate counts against the per-address limit too', async () => {
  const gateway = await stack({ GATEWAY_AUTH_FAILED_PER_MINUTE: '5' });
  const answers = await Promise.all(
    Array.from({ length: 20 }, (_, i) => probe(gateway, `junk-validate-${i}-${'z'.repeat(20)}`, 'validate')),
  );
  expect(validations(gateway)).toBeLessThanOrEqual(5);
  expect(answers.filter((answer) => answer.status === 429).length).toBeGreaterThanOrEqual(15);
});

test('behind a trusted proxy the limit is per X-Forwarded-For client', async () => {
  const gateway = await stack({ GATEWAY_AUTH_FAILED_PER_MINUTE: '2', GATEWAY_TRUST_PROXY: '1' });
  const from = async (client: string, i: number) => {
    const response = await fetch(`${gateway.url}/events?session_token=junk-proxied-${i}-${'w'.repeat(20)}`, {
      headers: { 'x-forwarded-for': client },
    });
    return { status: response.status, text: await response.text() };
  };
  for (const i of [0, 1]) expect((await from('198.51.100.1', i)).status).toBe(200); // the error frame
  expect((await from('198.51.100.1', 2)).status).toBe(429);
  // Another client behind the same proxy is not affected.
  const other = await from('198.51.100.2', 3);
  expect(other.status).toBe(200);
  expect(other.text).toMatch(/invalid/i);
  expect(validations(gateway)).toBe(3);
});
