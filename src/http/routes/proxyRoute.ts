/**
 * @module http/routes/proxyRoute
 * `/noetl/*` (any method) for a caller with a session: the path and declared size checked first, then the
 * session, then the exchange is streamed by the proxy on the raw request and response. Its own scope
 * takes every body as the untouched request stream.
 */
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../api/authenticate.ts';
import { routes } from '../../contract/index.ts';
import { fastifyPath } from '../pipeline.ts';
import type { NoetlProxy } from '../proxy/noetlProxy.ts';
import { credentialsOf } from './apiRoutes.ts';

export function registerProxy(app: FastifyInstance, authenticator: Authenticator, proxy: NoetlProxy): void {
  app.register(async function proxyScope(scope) {
    scope.removeAllContentTypeParsers();
    // Leave the body unread: the proxy streams it upstream.
    scope.addContentTypeParser('*', function keepStream(_request, _payload, done) {
      done(null);
    });
    scope.all(fastifyPath(routes.proxy.path), async function forward(request, reply) {
      const target = proxy.target(request.raw);
      const session = await authenticator.session(credentialsOf(request));
      reply.hijack();
      proxy.forward(request.raw, reply.raw, request.id, request.ownHeaders, session.user, target);
    });
  });
}
