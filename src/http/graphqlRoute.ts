/**
 * @module http/graphqlRoute
 * POST /graphql on Express: a thin wrapper around the framework-free GraphQL executor
 * (`api/graphql/graphqlExecutor.ts`), which holds the schema, the limits and the document cache. The
 * 415 for a body that is not JSON stays here, in the HTTP layer.
 */
import type { Request, Response } from 'express';
import { createGraphqlExecutor, type GraphqlExecutorOptions } from '../api/graphql/graphqlExecutor.ts';
import type { Session } from '../core/sessions/sessionResolver.ts';

export type GraphqlRouteOptions = GraphqlExecutorOptions;

export function graphqlRoute(options: GraphqlRouteOptions) {
  const executor = createGraphqlExecutor(options);
  return async function graphqlHandler(req: Request, res: Response): Promise<void> {
    if (req.body === undefined) {
      const message = 'Expected request with `Content-Type: application/json`';
      res.status(415).json({ error: message, message, code: 'UNSUPPORTED_MEDIA_TYPE' });
      return;
    }
    const answer = await executor.execute(req.body, res.locals.session as Session, {
      requestId: res.locals.requestId as string | undefined,
    });
    res.status(answer.status).type(answer.contentType).send(answer.body);
  };
}

export function graphqlPage(_req: Request, res: Response): void {
  res
    .type('text/html; charset=utf-8')
    .send(
      '<!doctype html><meta charset="utf-8"><title>NoETL Gateway GraphQL</title><h1>GraphQL endpoint</h1>' +
        '<p>POST <code>{"query": "…", "variables": {…}}</code> to <code>/graphql</code> with <code>Authorization: Bearer &lt;session_token&gt;</code>. ' +
        'See <a href="/docs">the API reference</a> for the REST and SSE routes.</p>',
    );
}
