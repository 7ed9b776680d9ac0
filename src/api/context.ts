/**
 * @module api/context
 * What every procedure sees: the services, the caller's credentials, and where the call came from.
 */
import type { IncomingMessage } from 'node:http';
import type { RuntimeContract } from '../contract/index.ts';
import type { AuthService } from '../core/auth/authService.ts';
import type { CallbackWaiters } from '../core/auth/callbackWaiters.ts';
import type { ExecutionService } from '../core/executions/executionService.ts';
import type { CallbackDelivery } from '../core/push/callbackDelivery.ts';
import type { SessionResolver } from '../core/sessions/sessionResolver.ts';
import { extractSessionToken } from '../core/sessions/sessionToken.ts';
import type { SubscriptionService } from '../core/subscriptions/subscriptionService.ts';

export interface ApiServices {
  auth: AuthService;
  sessions: SessionResolver;
  executions: ExecutionService;
  delivery: CallbackDelivery;
  waiters: CallbackWaiters;
  subscriptions: SubscriptionService;
  runtimeContract: () => RuntimeContract;
  internalApiToken: string | undefined;
}

export interface ApiContext {
  services: ApiServices;
  sessionToken: string | undefined;
  authorization: string | undefined;
  clientIp: string | undefined;
  userAgent: string | undefined;
}

export function createContextFactory(services: ApiServices) {
  return ({ req }: { req: IncomingMessage }): ApiContext => ({
    services,
    sessionToken: extractSessionToken(req.headers),
    authorization: req.headers.authorization,
    clientIp: req.socket.remoteAddress,
    userAgent: req.headers['user-agent'],
  });
}
