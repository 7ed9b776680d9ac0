/**
 * The GraphQL executor parses and validates a query text once (60% of GraphQL's CPU was graphql-js
 * re-validating the same SPA mutation), keeps a bounded number of documents, checks limits before it
 * validates, and refuses variables nested deep enough to overflow a recursive consumer (an HTTP layer whose
 * JSON parser does not recurse lets them through to it).
 */
import { type DocumentNode, type GraphQLSchema, validate } from 'graphql';
import { describe, expect, test, vi } from 'vitest';
import type { NoetlApi } from '../../src/adapters/ports.ts';
import { createGraphqlExecutor, type GraphqlExecutorOptions } from '../../src/api/graphql/graphqlExecutor.ts';
import type { ExecutionService } from '../../src/core/executions/executionService.ts';
import type { Session } from '../../src/core/sessions/sessionResolver.ts';

const session: Session = {
  token: 't',
  user: { user_id: 7, email: 'ann@example.com', display_name: 'ann', roles: ['developer'] },
  expiresAt: '2999-01-01T00:00:00+00:00',
};

const SPA_MUTATION = `mutation ExecutePlaybook($name: String!, $vars: JSON, $clientId: String) {
  executePlaybook(name: $name, variables: $vars, clientId: $clientId) { id executionId requestId name status }
}`;

function setup(overrides: Partial<GraphqlExecutorOptions> = {}) {
  const validations = vi.fn((schema: GraphQLSchema, document: DocumentNode) => validate(schema, document));
  const execute = vi.fn(async (request: { path: string }) => ({
    execution_id: '42',
    request_id: null,
    name: request.path,
    status: 'started',
  }));
  const executions = { execute } as unknown as ExecutionService;
  const noetl = {} as NoetlApi;
  const executor = createGraphqlExecutor({
    executions,
    noetl,
    version: '1.2.3',
    validate: validations,
    ...overrides,
  });
  const run = async (body: unknown) => {
    const answer = await executor.execute(body, session);
    return { ...answer, json: JSON.parse(answer.body) as unknown };
  };
  return { executor, run, validations, execute };
}

describe('document cache', () => {
  test('the same query text is validated once, whatever its variables', async () => {
    const { run, validations, execute } = setup();
    for (let i = 0; i < 5; i++) {
      const answer = await run({ query: SPA_MUTATION, variables: { name: `demo/${i}`, vars: { i } } });
      expect(answer).toMatchObject({
        status: 200,
        contentType: 'application/graphql-response+json; charset=utf-8',
        json: { data: { executePlaybook: { executionId: '42', name: `demo/${i}` } } },
      });
    }
    expect(execute).toHaveBeenCalledTimes(5);
    expect(validations).toHaveBeenCalledTimes(1);
    await run([{ query: SPA_MUTATION, variables: { name: 'a' } }, { query: '{ health }' }]);
    expect(validations).toHaveBeenCalledTimes(2);
  });

  test('an invalid document is answered the same each time, validated once', async () => {
    const { run, validations } = setup();
    const first = await run({ query: '{ nope }' });
    const second = await run({ query: '{ nope }' });
    expect(first.status).toBe(200);
    expect(first.json).toEqual({
      errors: [
        { message: 'Cannot query field "nope" on type "QueryRoot".', locations: [{ line: 1, column: 3 }] },
      ],
    });
    expect(second.body).toBe(first.body);
    expect(validations).toHaveBeenCalledTimes(1);
    const syntax = await run({ query: 'mutation {' });
    expect(syntax.status).toBe(200);
    expect(syntax.json).toMatchObject({ errors: [{ message: expect.stringMatching(/^Syntax Error/) }] });
    expect(validations).toHaveBeenCalledTimes(1);
  });

  test('bounded: the least recently used document goes first', async () => {
    const { run, validations } = setup({ documentCacheSize: 2 });
    await run({ query: '{ health }' });
    await run({ query: '{ version }' });
    await run({ query: '{ health }' }); // cached; now the most recent
    expect(validations).toHaveBeenCalledTimes(2);
    await run({ query: '{ health version }' }); // evicts `{ version }`
    await run({ query: '{ health }' });
    expect(validations).toHaveBeenCalledTimes(3);
    await run({ query: '{ version }' });
    expect(validations).toHaveBeenCalledTimes(4);
  });

  test('limits are checked before validation: a refused document costs no validation', async () => {
    const { run, validations, execute } = setup();
    const aliases = Array.from({ length: 300 }, (_, i) => `a${i}: executePlaybook(name: "x") { id }`);
    const answer = await run({ query: `mutation { ${aliases.join(' ')} }` });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({
      errors: [
        {
          message: expect.stringContaining('GATEWAY_GRAPHQL_MAX_MUTATIONS'),
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
    expect(validations).not.toHaveBeenCalled();
    expect(execute).not.toHaveBeenCalled();
  });
});

describe('limits given as options', () => {
  test('limits come from options (the GATEWAY_GRAPHQL_* settings)', async () => {
    const { run, execute } = setup({ limits: { maxMutations: 2, maxBatch: 2, maxDepth: 1, maxAliases: 1 } });
    const three = await run({
      query: 'mutation { a: executePlaybook(name: "x") { id } b: executePlaybook(name: "y") { id } }',
    });
    // Two aliases: over maxAliases 1 (the mutation count, 2, is within its limit).
    expect(three.json).toMatchObject({ errors: [{ message: expect.stringContaining('MAX_ALIASES') }] });
    const deep = await run({ query: 'mutation { executePlaybook(name: "x") { id } }' });
    expect(deep.json).toMatchObject({ errors: [{ message: expect.stringContaining('MAX_DEPTH') }] });
    const batch = await run([{ query: '{ health }' }, { query: '{ health }' }, { query: '{ health }' }]);
    expect(batch.json).toMatchObject({
      errors: [{ message: expect.stringMatching(/1 to 2 .*this one has 3.*MAX_BATCH/) }],
    });
    expect(execute).not.toHaveBeenCalled();
  });
});

describe('JSON nesting', () => {
  test('variables nested 5,000 deep: 400 before anything runs (the walk itself does not recurse)', async () => {
    const { run, execute } = setup();
    let vars: unknown = 1;
    for (let i = 0; i < 5000; i++) vars = { a: vars };
    const answer = await run({ query: SPA_MUTATION, variables: { name: 'demo/hello', vars } });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({
      errors: [
        {
          message: expect.stringMatching(/variables nest more than 100/),
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
    expect(execute).not.toHaveBeenCalled();
  });

  test('100 levels are fine', async () => {
    const { run, execute } = setup();
    let vars: unknown = 1;
    for (let i = 0; i < 99; i++) vars = [vars];
    const answer = await run({ query: SPA_MUTATION, variables: { name: 'demo/hello', vars } });
    expect(answer.status).toBe(200);
    expect(execute).toHaveBeenCalledTimes(1);
  });
});
