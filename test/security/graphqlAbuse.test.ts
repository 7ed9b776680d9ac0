/**
 * Attack-pass findings on POST /graphql, replayed over real HTTP against the NoETL double:
 * - 300 aliases of `executePlaybook` in one document started 300 executions; a batch of 10 such documents
 *   started 3,000;
 * - nothing bounded a document's depth (introspection types nest without end) or its aliases;
 * - a deeply nested JSON literal overflowed the parser's stack and was answered `{"errors":[{}]}`.
 * Required: over a limit, a 400 GraphQL answer `{"errors":[{"message", "extensions":{"code":"BAD_REQUEST"}}]}`
 * naming the limit and its setting, and nothing started at NoETL. A batch's documents count together
 * against the mutation limit, so one request starts at most GATEWAY_GRAPHQL_MAX_MUTATIONS executions.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Stack, startStack } from '../support/stack.ts';

let stack: Stack;
let token: string;
beforeAll(async () => {
  stack = await startStack();
  token = await stack.login('graphql-abuser');
});
afterAll(() => stack.stop());

const auth = () => ({ authorization: `Bearer ${token}` });

interface GraphqlError {
  message: string;
  extensions?: { code?: string };
}

async function post(body: unknown) {
  const before = stack.noetl.executeBodies().length;
  const response = await stack.post('/graphql', body, auth());
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: JSON.parse(text) as unknown,
    started: stack.noetl.executeBodies().length - before,
  };
}

/** `count` aliased `executePlaybook` fields in one mutation. */
function aliasedMutations(count: number): string {
  const fields = Array.from(
    { length: count },
    (_, i) => `a${i}: executePlaybook(name: "demo/hello", variables: {n: ${i}}) { executionId }`,
  );
  return `mutation { ${fields.join(' ')} }`;
}

function expectRefused(
  answer: Awaited<ReturnType<typeof post>>,
  setting: string,
): asserts answer is typeof answer & { body: { errors: GraphqlError[] } } {
  expect(answer.status).toBe(400);
  expect(answer.type).toContain('application/graphql-response+json');
  expect(answer.body).toEqual({
    errors: [{ message: expect.stringContaining(setting), extensions: { code: 'BAD_REQUEST' } }],
  });
  expect(answer.started).toBe(0);
}

describe('mutations per request (GATEWAY_GRAPHQL_MAX_MUTATIONS, default 10)', () => {
  test('300 aliases of executePlaybook: 400, nothing started; 10 start 10', async () => {
    const answer = await post({ query: aliasedMutations(300) });
    expectRefused(answer, 'GATEWAY_GRAPHQL_MAX_MUTATIONS');
    expect(answer.body.errors[0]!.message).toMatch(/300 mutation fields.*at most 10/);
    const allowed = await post({ query: aliasedMutations(10) });
    expect(allowed.status).toBe(200);
    expect(allowed.started).toBe(10);
  });

  test('a batch of 10 such documents: 400, nothing started', async () => {
    const answer = await post(Array.from({ length: 10 }, () => ({ query: aliasedMutations(300) })));
    expectRefused(answer, 'GATEWAY_GRAPHQL_MAX_MUTATIONS');
  });

  test('one document over the limit in an otherwise fine batch: nothing of the batch starts', async () => {
    const fine = { query: aliasedMutations(2) };
    const answer = await post([fine, fine, { query: aliasedMutations(11) }, fine]);
    expectRefused(answer, 'GATEWAY_GRAPHQL_MAX_MUTATIONS');
    expect((answer.body as { errors: GraphqlError[] }).errors[0]!.message).toMatch(/request 3 of the batch/i);
  });

  test('a batch counts its documents together: 3 × 4 mutations is 400, nothing started; 5 + 5 start 10', async () => {
    const answer = await post(Array.from({ length: 3 }, () => ({ query: aliasedMutations(4) })));
    expectRefused(answer, 'GATEWAY_GRAPHQL_MAX_MUTATIONS');
    expect(answer.body.errors[0]!.message).toMatch(/batch has 12 mutation fields in all; at most 10/);
    const allowed = await post([{ query: aliasedMutations(5) }, { query: aliasedMutations(5) }]);
    expect(allowed.status).toBe(200);
    expect(allowed.started).toBe(10);
  });

  test('mutation fields are counted through fragments', async () => {
    const fields = (from: number, count: number) =>
      Array.from(
        { length: count },
        (_, i) => `f${from + i}: executePlaybook(name: "demo/hello") { executionId }`,
      ).join(' ');
    const answer = await post({
      query: `mutation { ${fields(0, 4)} ...More ... on MutationRoot { ${fields(4, 4)} } }
        fragment More on MutationRoot { ${fields(8, 4)} }`,
    });
    expectRefused(answer, 'GATEWAY_GRAPHQL_MAX_MUTATIONS');
  });
});

describe('other limits', () => {
  test('batch of 21: 400 naming GATEWAY_GRAPHQL_MAX_BATCH', async () => {
    const answer = await post(Array.from({ length: 21 }, () => ({ query: '{ health }' })));
    expectRefused(answer, 'GATEWAY_GRAPHQL_MAX_BATCH');
  });

  test('51 aliased fields: 400 naming GATEWAY_GRAPHQL_MAX_ALIASES', async () => {
    const fields = Array.from({ length: 51 }, (_, i) => `h${i}: health`);
    const answer = await post({ query: `{ ${fields.join(' ')} }` });
    expectRefused(answer, 'GATEWAY_GRAPHQL_MAX_ALIASES');
  });

  test('introspection nested 11 deep: 400 naming GATEWAY_GRAPHQL_MAX_DEPTH', async () => {
    const levels = [
      '__schema',
      'types',
      'fields',
      'type',
      'fields',
      'type',
      'fields',
      'type',
      'fields',
      'type',
    ];
    const answer = await post({ query: `{ ${levels.join(' { ')} { name ${'} '.repeat(levels.length)}}` });
    expectRefused(answer, 'GATEWAY_GRAPHQL_MAX_DEPTH');
    expect((answer.body as { errors: GraphqlError[] }).errors[0]!.message).toMatch(
      /11 levels deep; at most 10/,
    );
  });

  test('depth is counted through fragments', async () => {
    const answer = await post({
      query: `{ __schema { types { ...Deep } } }
        fragment Deep on __Type { fields { type { fields { type { fields { type { fields { type { name } } } } } } } } }`,
    });
    expectRefused(answer, 'GATEWAY_GRAPHQL_MAX_DEPTH');
  });

  test('a JSON literal nested 5,000 deep: 400, nothing started', async () => {
    const deep = `${'{a: '.repeat(5000)}1${'}'.repeat(5000)}`;
    const answer = await post({
      query: `mutation { executePlaybook(name: "demo/hello", variables: ${deep}) { id } }`,
    });
    expectRefused(answer, 'nest');
  });
});
