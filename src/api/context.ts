/**
 * @module api/context
 * What every handler sees: the services, the caller's session (on session routes), and where the call
 * came from. Built the same way for REST and tRPC.
 */
import type { RuntimeContract } from '../contract/index.ts';
import type { AuthService } from '../core/auth/authService.ts';
import type { CallbackWaiters } from '../core/auth/callbackWaiters.ts';
import type { ExecutionService } from '../core/executions/executionService.ts';
import type { CallbackDelivery } from '../core/push/callbackDelivery.ts';
import type { Session, SessionResolver } from '../core/sessions/sessionResolver.ts';
import type { SubscriptionService } from '../core/subscriptions/subscriptionService.ts';
import type { Authenticator, Credentials } from './authenticate.ts';
import type { FixedWindowLimiter } from './fixedWindowLimiter.ts';

export interface ApiServices {
  auth: AuthService;
  sessions: SessionResolver;
  executions: ExecutionService;
  delivery: CallbackDelivery;
  waiters: CallbackWaiters;
  subscriptions: SubscriptionService;
  runtimeContract: () => RuntimeContract;
  authenticator: Authenticator;
  /** Login attempts per client address. */
  loginLimiter: FixedWindowLimiter;
}

export interface CallContext {
  services: ApiServices;
  credentials: Credentials;
  /** Set on session routes once the caller is authenticated. */
  session: Session | undefined;
  userAgent: string | undefined;
  requestId: string;
}
