/**
 * @module api/routers/systemRouter
 * Public descriptions of the gateway.
 */
import { z } from 'zod';
import { RuntimeContract } from '../../contract/index.ts';
import { publicProcedure, router } from '../trpc.ts';

export const systemRouter = router({
  runtimeContract: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/api/runtime/contract',
        tags: ['system'],
        protect: false,
        summary: 'What the gateway proxies and where (for the CLI and agents)',
      },
    })
    .input(z.void())
    .output(RuntimeContract)
    .query(({ ctx }) => ctx.services.runtimeContract()),
});
