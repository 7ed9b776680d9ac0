/**
 * @module http/routes/graphqlRoutes
 * `POST /graphql` (the legacy endpoint every SPA uses for `executePlaybook`) and its `GET` page, for a
 * caller with a session. The GraphQL work itself is the framework-free executor.
 */
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../api/authenticate.ts';
import type { GraphqlExecutor } from '../../api/graphql/graphqlExecutor.ts';
import { Problem } from '../../api/problem.ts';
import { routes } from '../../contract/index.ts';
import { credentialsOf } from './apiRoutes.ts';

const PAGE =
  '<!doctype html><meta charset="utf-8"><title>NoETL Gateway GraphQL</title><h1>GraphQL endpoint</h1>' +
  '<p>POST <code>{"query": "…", "variables": {…}}</code> to <code>/graphql</code> with <code>Authorization: Bearer &lt;session_token&gt;</code>. ' +
  'See <a href="/docs">the API reference</a> for the REST and SSE routes.</p>';

export function registerGraphql(
  app: FastifyInstance,
  authenticator: Authenticator,
  executor: () => Promise<GraphqlExecutor>,
): void {
  app.get(routes.graphqlPage.path, async (request, reply) => {
    await authenticator.session(credentialsOf(request));
    return reply.type('text/html; charset=utf-8').send(PAGE);
  });
  app.post(routes.graphql.path, async (request, reply) => {
    const session = await authenticator.session(credentialsOf(request));
    if (request.body === undefined)
      throw new Problem('UNSUPPORTED_MEDIA_TYPE', 'Expected request with `Content-Type: application/json`');
    const answer = await (await executor()).execute(request.body, session, { requestId: request.id });
    return reply.code(answer.status).type(answer.contentType).send(answer.body);
  });
}
