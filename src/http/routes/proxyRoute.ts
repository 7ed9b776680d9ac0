/**
 * @module http/routes/proxyRoute
 * `/noetl/*` (the methods of `ANY_METHODS`) for a caller with a session: the path and declared size checked first, then the
 * session, then the exchange is streamed by the proxy on the raw request and response. Its own scope
 * takes every body as the untouched request stream.
 */
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../api/authenticate.ts';
import { ANY_METHODS, routes } from '../../contract/index.ts';
import { fastifyPath } from '../pipeline.ts';
import type { NoetlProxy } from '../proxy/noetlProxy.ts';
import { credentialsOf } from './apiRoutes.ts';

/** The playbook path a `POST /noetl/execute` body names, if it is a JSON object with a string `path`. */
function executedPath(body: Buffer): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    const path = (parsed as { path?: unknown } | null)?.path;
    return typeof path === 'string' ? path : undefined;
  } catch {
    return undefined; // not JSON: NoETL refuses it
  }
}

/**
 * @param refuseAuthPlaybook throws (403) for an auth playbook path: `POST /noetl/execute` naming one by
 *   `path` is refused before anything reaches NoETL.
 */
export function registerProxy(
  app: FastifyInstance,
  authenticator: Authenticator,
  proxy: NoetlProxy,
  refuseAuthPlaybook: (path: string) => void,
): void {
  app.register(async function proxyScope(scope) {
    scope.removeAllContentTypeParsers();
    // Leave the body unread: the proxy streams it upstream.
    scope.addContentTypeParser('*', function keepStream(_request, _payload, done) {
      done(null);
    });
    scope.route({
      method: [...ANY_METHODS],
      url: fastifyPath(routes.proxy.path),
      handler: async function forward(request, reply) {
        const target = proxy.target(request.raw);
        const session = await authenticator.session(credentialsOf(request));
        if (proxy.startsExecution(request.method, target)) {
          const body = await proxy.readBody(request.raw);
          if (!body) throw proxy.tooLarge();
          const path = executedPath(body);
          if (path !== undefined) refuseAuthPlaybook(path);
          reply.hijack();
          proxy.forward(request.raw, reply.raw, request.id, request.ownHeaders, session.user, target, body);
          return;
        }
        reply.hijack();
        proxy.forward(request.raw, reply.raw, request.id, request.ownHeaders, session.user, target);
      },
    });
  });
}
