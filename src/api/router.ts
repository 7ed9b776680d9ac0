/**
 * @module api/router
 * The whole tRPC API's type, for TypeScript clients.
 */
export { type AppRouter, appRouter } from './trpc.ts';
