/**
 * @module http/routes/apiRoutes
 * The JSON routes of the table as REST (authenticate by the route's caller kind → validate the input
 * with the route's schema → the handler → the answer), and the same handlers as tRPC procedures at
 * `/trpc`. A listener gets only the routes and procedures it serves.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Credentials } from '../../api/authenticate.ts';
import type { ApiServices, CallContext } from '../../api/context.ts';
import { handlers, type JsonRouteKey, successStatus } from '../../api/handlers.ts';
import { invalidInput, Problem } from '../../api/problem.ts';
import { procedureRoutes, routerOf, type TrpcContext } from '../../api/trpc.ts';
import { type JsonRoute, type Route, routes } from '../../contract/index.ts';
import { markExactNumbers } from '../../lib/losslessJson.ts';
import { DEFAULT_MAX_JSON_DEPTH, nestingProblem } from '../jsonBody.ts';
import { fastifyPath } from '../pipeline.ts';

/** The request's credentials; `queryToken`: a token from the query string (`/events`). */
export function credentialsOf(request: FastifyRequest, queryToken?: string): Credentials {
  // The address is read when asked for (see Credentials.clientIp), never here.
  return { headers: request.headers, method: request.method, clientIp: () => request.ip, queryToken };
}

function inputOf(route: JsonRoute, request: FastifyRequest): unknown {
  switch (route.input.from) {
    case 'body':
      return request.body;
    case 'params':
      return request.params;
    case 'query':
      return request.query;
    case 'none':
      return undefined;
  }
}

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * tRPC's Fastify adapter, loaded by the first /trpc request: loading it makes Node load its bundled undici
 * (fetch's Request/Response), +3–4 MB idle RSS for a gateway whose clients may never use tRPC.
 */
let trpcAdapter: Promise<typeof import('@trpc/server/adapters/fastify')> | undefined;

/** Requests whose tRPC body carries marked exact numbers (lib/losslessJson `markExactNumbers`). */
const MARKED = new WeakSet<FastifyRequest>();

export function registerApiRoutes(
  app: FastifyInstance,
  services: ApiServices,
  served: readonly Route[],
  maxJsonDepth: number = DEFAULT_MAX_JSON_DEPTH,
): void {
  const keys = (Object.keys(routes) as (keyof typeof routes)[]).filter(
    (key): key is JsonRouteKey => routes[key].kind === 'json' && served.includes(routes[key]),
  );
  for (const key of keys) {
    const route: JsonRoute = routes[key];
    const handler = handlers[key] as (input: unknown, ctx: CallContext) => unknown;
    app.route({
      method: route.method as 'GET' | 'POST' | 'DELETE',
      url: fastifyPath(route.path),
      async handler(request, reply) {
        const credentials = credentialsOf(request);
        const session = await services.authenticator.authenticate(route.caller, credentials);
        const input = route.input.schema.safeParse(inputOf(route, request));
        if (!input.success) throw invalidInput(input.error);
        const output = await handler(input.data, {
          services,
          credentials,
          session,
          userAgent: request.headers['user-agent'],
          requestId: request.id,
        });
        const status = successStatus(key, route, output);
        reply.code(status);
        if (status === 204) return reply.send();
        return reply.type(JSON_TYPE).send(JSON.stringify(output));
      },
    });
  }
  if (keys.length === 0) return;
  const router = routerOf((route) => served.includes(route));
  const procedures = new Set(
    [...procedureRoutes()].filter(([, route]) => served.includes(route)).map(([name]) => name),
  );
  const createContext = ({ req }: { req: FastifyRequest }): TrpcContext => ({
    services,
    credentials: credentialsOf(req),
    userAgent: req.headers['user-agent'],
    requestId: req.id,
    markedNumbers: MARKED.has(req),
  });
  // tRPC reads its body itself (as text, with JSON.parse): its own scope with a text parser for JSON that
  // checks the nesting and hands exact numbers through as marked strings.
  app.register(async function trpc(scope) {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      const text = body as string;
      const tooDeep = nestingProblem(text, maxJsonDepth);
      if (tooDeep) return done(tooDeep);
      const marked = markExactNumbers(text);
      if (marked === undefined) return done(null, text);
      MARKED.add(request);
      done(null, marked);
    });
    scope.route({
      method: ['GET', 'POST'],
      url: '/trpc/:path',
      exposeHeadRoute: false,
      async handler(request, reply) {
        const path = (request.params as { path: string }).path;
        // A call (or batch) naming a procedure this listener does not have is refused whole.
        for (const name of path.split(','))
          if (!procedures.has(name)) throw new Problem('NOT_FOUND', `No procedure found on path "${name}"`);
        trpcAdapter ??= import('@trpc/server/adapters/fastify');
        const { fastifyRequestHandler } = await trpcAdapter;
        await fastifyRequestHandler({ router, createContext, req: request, res: reply, path });
      },
    });
  });
}
