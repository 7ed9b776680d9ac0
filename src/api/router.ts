/**
 * @module api/router
 * The whole API. Served as tRPC at /trpc and as REST (the `openapi` meta of each procedure).
 */
import { authRouter } from './routers/authRouter.ts';
import { internalRouter } from './routers/internalRouter.ts';
import { playbooksRouter } from './routers/playbooksRouter.ts';
import { subscriptionsRouter } from './routers/subscriptionsRouter.ts';
import { systemRouter } from './routers/systemRouter.ts';
import { router } from './trpc.ts';

export const appRouter = router({
  auth: authRouter,
  internal: internalRouter,
  playbooks: playbooksRouter,
  subscriptions: subscriptionsRouter,
  system: systemRouter,
});

export type AppRouter = typeof appRouter;
