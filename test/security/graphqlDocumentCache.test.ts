/**
 * The GraphQL executor parses and validates a query text once (60% of GraphQL's CPU was graphql-js
 * re-validating the same SPA mutation) and keeps a bounded number of documents.
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
});
